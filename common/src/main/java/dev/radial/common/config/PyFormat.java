package dev.radial.common.config;

import java.util.Map;

/**
 * Python's {@code str % dict} as supervisord uses it to expand {@code %(name)s} in config values.
 * Supports {@code %%} and {@code %(name)[flags][width][.precision]type} with the conversion types
 * s r a d i u o x X e E f F g G c. Unnamed conversions ({@code %s}) are refused: with a dict argument
 * Python would print the whole dict, which no config means.
 */
public final class PyFormat {
    private PyFormat() {
    }

    /** Thrown with Python's own wording: a missing name or a malformed format. */
    public static final class FormatException extends Exception {
        private final boolean missingName;

        FormatException(String message, boolean missingName) {
            super(message);
            this.missingName = missingName;
        }

        public boolean missingName() {
            return missingName;
        }
    }

    public static String format(String s, Map<String, ?> values) throws FormatException {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            i++;
            if (i >= n) {
                throw new FormatException("incomplete format", false);
            }
            if (s.charAt(i) == '%') {
                out.append('%');
                i++;
                continue;
            }
            if (s.charAt(i) != '(') {
                throw new FormatException("format requires a mapping key: '%" + s.charAt(i) + "'", false);
            }
            int depth = 1;
            int j = i + 1;
            while (j < n && depth > 0) {
                if (s.charAt(j) == '(') {
                    depth++;
                } else if (s.charAt(j) == ')') {
                    depth--;
                }
                j++;
            }
            if (depth > 0) {
                throw new FormatException("incomplete format key", false);
            }
            String key = s.substring(i + 1, j - 1);
            i = j;
            StringBuilder flags = new StringBuilder();
            while (i < n && "#0- +".indexOf(s.charAt(i)) >= 0) {
                flags.append(s.charAt(i++));
            }
            int width = -1;
            int ws = i;
            while (i < n && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (i > ws) {
                width = Integer.parseInt(s.substring(ws, i));
            }
            int precision = -1;
            if (i < n && s.charAt(i) == '.') {
                i++;
                int ps = i;
                while (i < n && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                precision = i > ps ? Integer.parseInt(s.substring(ps, i)) : 0;
            }
            while (i < n && "hlL".indexOf(s.charAt(i)) >= 0) {
                i++; // length modifiers are accepted and ignored by Python
            }
            if (i >= n) {
                throw new FormatException("incomplete format", false);
            }
            char type = s.charAt(i++);
            if (!values.containsKey(key)) {
                throw new FormatException("'" + key + "'", true);
            }
            out.append(convert(values.get(key), flags.toString(), width, precision, type));
        }
        return out.toString();
    }

    private static String convert(Object v, String flags, int width, int precision, char type)
            throws FormatException {
        String body;
        switch (type) {
            case 's', 'r', 'a' -> {
                body = type == 's' ? String.valueOf(v) : repr(v);
                if (precision >= 0 && body.length() > precision) {
                    body = body.substring(0, precision);
                }
            }
            case 'd', 'i', 'u', 'o', 'x', 'X' -> {
                long num = number(v, type);
                String digits = switch (type) {
                    case 'o' -> Long.toOctalString(Math.abs(num));
                    case 'x' -> Long.toHexString(Math.abs(num));
                    case 'X' -> Long.toHexString(Math.abs(num)).toUpperCase();
                    default -> Long.toString(Math.abs(num));
                };
                if (precision > digits.length()) {
                    digits = "0".repeat(precision - digits.length()) + digits;
                }
                if (flags.contains("#") && (type == 'o' || type == 'x' || type == 'X')) {
                    digits = (type == 'o' ? "0o" : type == 'x' ? "0x" : "0X") + digits;
                }
                String sign = num < 0 ? "-" : flags.contains("+") ? "+" : flags.contains(" ") ? " " : "";
                return pad(sign, digits, flags, width, true);
            }
            case 'e', 'E', 'f', 'F', 'g', 'G' -> {
                double d = number(v, type);
                int p = precision < 0 ? 6 : precision;
                String str = String.format(java.util.Locale.ROOT, "%." + p + Character.toLowerCase(type), Math.abs(d));
                if (Character.isUpperCase(type)) {
                    str = str.toUpperCase();
                }
                String sign = d < 0 ? "-" : flags.contains("+") ? "+" : flags.contains(" ") ? " " : "";
                return pad(sign, str, flags, width, true);
            }
            case 'c' -> {
                if (v instanceof Number num) {
                    body = new String(Character.toChars(num.intValue()));
                } else if (v instanceof String str && str.codePointCount(0, str.length()) == 1) {
                    body = str;
                } else {
                    throw new FormatException("%c requires int or char", false);
                }
            }
            default -> throw new FormatException(
                    "unsupported format character '" + type + "' (0x" + Integer.toHexString(type) + ")", false);
        }
        return pad("", body, flags, width, false);
    }

    private static long number(Object v, char type) throws FormatException {
        if (v instanceof Number num) {
            return num.longValue();
        }
        throw new FormatException("%" + type + " format: a real number is required, not str", false);
    }

    private static String pad(String sign, String digits, String flags, int width, boolean numeric) {
        int len = sign.length() + digits.length();
        if (width <= len) {
            return sign + digits;
        }
        String fill;
        if (flags.contains("-")) {
            return sign + digits + " ".repeat(width - len);
        }
        if (numeric && flags.contains("0")) {
            fill = "0".repeat(width - len);
            return sign + fill + digits;
        }
        return " ".repeat(width - len) + sign + digits;
    }

    private static String repr(Object v) {
        if (v instanceof String s) {
            String q = s.contains("'") && !s.contains("\"") ? "\"" : "'";
            return q + s.replace("\\", "\\\\").replace("\n", "\\n") + q;
        }
        return String.valueOf(v);
    }
}
