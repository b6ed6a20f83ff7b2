package dev.radial.common.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * supervisord's value types (datatypes.py), with its accept/reject rules. Each converter throws
 * IllegalArgumentException with a message saying what was wrong; the parser adds where.
 */
public final class Values {
    private Values() {
    }

    /** Python int(str): surrounding whitespace, a sign and '_' between digits are allowed. */
    public static int pyInt(String s) {
        return (int) pyLong(s);
    }

    static long pyLong(String s) {
        String t = s.strip();
        if (t.isEmpty()) {
            throw new NumberFormatException(s);
        }
        int start = (t.charAt(0) == '+' || t.charAt(0) == '-') ? 1 : 0;
        if (start == t.length() || t.charAt(start) == '_' || t.endsWith("_") || t.contains("__")) {
            throw new NumberFormatException(s);
        }
        for (int i = start; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '_') {
                throw new NumberFormatException(s);
            }
        }
        return Long.parseLong(t.replace("_", ""));
    }

    public static int integer(String v) {
        try {
            return pyInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not an integer");
        }
    }

    public static boolean bool(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        switch (s) {
            case "yes", "true", "on", "1" -> {
                return true;
            }
            case "no", "false", "off", "0" -> {
                return false;
            }
            default -> throw new IllegalArgumentException("'" + v + "' is not a valid boolean value");
        }
    }

    /** byte_size: an integer with an optional KB/MB/GB suffix (x1024), case-insensitive. "50M" is invalid. */
    public static long byteSize(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        long mult = 1;
        if (s.endsWith("kb")) {
            mult = 1024L;
        } else if (s.endsWith("mb")) {
            mult = 1024L * 1024;
        } else if (s.endsWith("gb")) {
            mult = 1024L * 1024 * 1024;
        }
        if (mult > 1) {
            s = s.substring(0, s.length() - 2);
        }
        try {
            return pyLong(s) * mult;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a byte size (an integer, optionally with KB, MB or GB)");
        }
    }

    public static int octal(String v) {
        String s = v.strip();
        String digits = s.startsWith("0o") || s.startsWith("0O") ? s.substring(2) : s;
        try {
            if (digits.isEmpty() || digits.startsWith("+") || digits.startsWith("-")) {
                throw new NumberFormatException();
            }
            return Integer.parseInt(digits.replace("_", ""), 8);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' can not be converted to an octal type");
        }
    }

    /** list_of_exitcodes: comma-separated integers 0-255. */
    public static List<Integer> exitCodes(String v) {
        List<Integer> out = new ArrayList<>();
        if (v.isEmpty()) {
            return out;
        }
        for (String part : v.split(",", -1)) {
            int code;
            try {
                code = pyInt(part);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + v + "' is not a valid list of exit codes");
            }
            if (code < 0 || code > 255) {
                throw new IllegalArgumentException("'" + v + "' is not a valid list of exit codes (" + code
                        + " is outside 0-255)");
            }
            out.add(code);
        }
        return out;
    }

    public static List<String> listOfStrings(String v) {
        List<String> out = new ArrayList<>();
        if (v == null || v.isEmpty()) {
            return out;
        }
        for (String p : v.split(",", -1)) {
            out.add(p.strip());
        }
        return out;
    }

    public static AutoRestart autoRestart(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        return switch (s) {
            case "yes", "true", "on", "1" -> AutoRestart.TRUE;
            case "no", "false", "off", "0" -> AutoRestart.FALSE;
            case "unexpected" -> AutoRestart.UNEXPECTED;
            default -> throw new IllegalArgumentException("invalid 'autorestart' value '" + s + "'");
        };
    }

    /** process_or_group_name: stripped; no space, ':' or '/'. */
    public static String name(String v) {
        String s = v.strip();
        for (char c : new char[] {' ', ':', '/'}) {
            if (s.indexOf(c) >= 0) {
                throw new IllegalArgumentException("Invalid name: '" + v + "' because of character: '" + c + "'");
            }
        }
        return s;
    }

    /** supervisord's log levels; note "warn", not "warning". */
    public static String logLevel(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        return switch (s) {
            case "critical", "error", "warn", "info", "debug", "trace", "blather" -> s;
            default -> throw new IllegalArgumentException("bad logging level name '" + v + "'");
        };
    }

    static String expandUser(String v) {
        if (v.equals("~") || v.startsWith("~/")) {
            String home = System.getenv("HOME");
            if (home == null) {
                home = Users.byUid(0).map(Users.User::home).orElse("/");
            }
            return home + v.substring(1);
        }
        return v;
    }

    public static String existingDirectory(String v) {
        String nv = expandUser(v);
        if (Files.isDirectory(Path.of(nv))) {
            return nv;
        }
        throw new IllegalArgumentException(v + " is not an existing directory");
    }

    /** existing_dirpath: the directory part, if any, must exist. */
    public static String existingDirpath(String v) {
        String nv = expandUser(v);
        int slash = nv.lastIndexOf('/');
        if (slash < 0) {
            return nv;
        }
        String dir = slash == 0 ? "/" : nv.substring(0, slash);
        if (Files.isDirectory(Path.of(dir))) {
            return nv;
        }
        throw new IllegalArgumentException("The directory named as part of the path " + v + " does not exist");
    }

    /** normalize_path: absolute and normalized like os.path.normpath(os.path.abspath(v)). */
    public static String normalizePath(String v) {
        String n = Path.of(v).toAbsolutePath().normalize().toString();
        // POSIX lets exactly two leading slashes mean something else, so Python's normpath keeps them
        if (v.startsWith("//") && !v.startsWith("///")) {
            n = "/" + n;
        }
        return n;
    }

    public static Map<String, String> environment(String v) {
        try {
            return PyShlex.keyValuePairs(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }
}
