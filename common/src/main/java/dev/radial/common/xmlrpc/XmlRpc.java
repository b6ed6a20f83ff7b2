package dev.radial.common.xmlrpc;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * XML-RPC encoding and decoding. Output matches Python's xmlrpclib.dumps byte for byte (what supervisord
 * sends); input is read by {@link XmlLite}, which refuses DOCTYPEs (so no entity but the predefined five). Values map to Java as: int ->
 * Integer (Long or BigInteger beyond 32 bits, as a Python int), boolean -> Boolean, string (or untyped) -> String,
 * double -> Double, base64 -> byte[] (in requests a String when the bytes are UTF-8), dateTime.iso8601 -> String, array -> List,
 * struct -> Map (insertion ordered), nil -> null; the other types as supervisord reads requests and supervisorctl
 * reads answers (see {@link Reader}). Nesting is bounded by {@link #MAX_DEPTH}.
 */
public final class XmlRpc {
    private static final String HEADER = "<?xml version='1.0'?>\n";
    /**
     * Deepest element nesting a document may have (about 80 nested arrays or structs; supervisord's own calls nest
     * under 15). Deeper input is refused while it is parsed, before any tree is built: a clean ParseException, never
     * a StackOverflowError.
     */
    public static final int MAX_DEPTH = 256;

    private XmlRpc() {
    }

    /** A decoded request. */
    public record MethodCall(String method, List<Object> params) {
    }

    /** The request is not well-formed XML-RPC (HTTP 400 on the server). */
    public static final class ParseException extends Exception {
        public ParseException(String message) {
            super(message);
        }
    }

    // ---- encoding ---------------------------------------------------------------------------

    public static String response(Object value) {
        StringBuilder sb = new StringBuilder(HEADER).append("<methodResponse>\n<params>\n<param>\n");
        value(sb, value);
        return sb.append("</param>\n</params>\n</methodResponse>\n").toString();
    }

    public static String fault(int code, String message) {
        StringBuilder sb = new StringBuilder(HEADER).append("<methodResponse>\n<fault>\n");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("faultCode", code);
        m.put("faultString", message);
        value(sb, m);
        return sb.append("</fault>\n</methodResponse>\n").toString();
    }

    public static String call(String method, List<?> params) {
        StringBuilder sb = new StringBuilder(HEADER).append("<methodCall>\n<methodName>").append(escape(method))
                .append("</methodName>\n<params>\n");
        for (Object p : params) {
            sb.append("<param>\n");
            value(sb, p);
            sb.append("</param>\n");
        }
        return sb.append("</params>\n</methodCall>\n").toString();
    }

    static void value(StringBuilder sb, Object v) {
        if (v instanceof Boolean b) {
            sb.append("<value><boolean>").append(b ? "1" : "0").append("</boolean></value>\n");
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            sb.append("<value><int>").append(v).append("</int></value>\n");
        } else if (v instanceof Double || v instanceof Float) {
            sb.append("<value><double>").append(((Number) v).doubleValue()).append("</double></value>\n");
        } else if (v instanceof String s) {
            sb.append("<value><string>").append(escape(s)).append("</string></value>\n");
        } else if (v instanceof byte[] b) {
            sb.append("<value><base64>\n").append(Base64.getMimeEncoder().encodeToString(b)).append("\n</base64></value>\n");
        } else if (v instanceof List<?> l) {
            sb.append("<value><array><data>\n");
            for (Object o : l) {
                value(sb, o);
            }
            sb.append("</data></array></value>\n");
        } else if (v instanceof Map<?, ?> m) {
            sb.append("<value><struct>\n");
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append("<member>\n<name>").append(escape(String.valueOf(e.getKey()))).append("</name>\n");
                value(sb, e.getValue());
                sb.append("</member>\n");
            }
            sb.append("</struct></value>\n");
        } else if (v == null) {
            throw new IllegalArgumentException("XML-RPC cannot marshal None");
        } else {
            throw new IllegalArgumentException("cannot marshal " + v.getClass().getName());
        }
    }

    /** xml.sax.saxutils.escape as xmlrpclib uses it: &amp; &lt; &gt; only. */
    static String escape(String s) {
        if (s.indexOf('&') < 0 && s.indexOf('<') < 0 && s.indexOf('>') < 0) {
            return s;
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    // ---- decoding ---------------------------------------------------------------------------

    /** Longest part of a document an error quotes. */
    static final int QUOTED = 40;

    /**
     * What an error quotes of a document (a name, a value): its first {@link #QUOTED} characters and "...". The
     * server sends the message back and logs it; a request's 2 MiB number was both, whole.
     */
    static String quote(String part) {
        if (part.length() <= QUOTED) {
            return part;
        }
        int cut = Character.isHighSurrogate(part.charAt(QUOTED - 1)) ? QUOTED - 1 : QUOTED; // never half a pair
        return part.substring(0, cut) + "...";
    }

    /**
     * How the decoder walks a document's elements: {@link XmlLite}'s tree here; the JDK's DOM in the tests, which
     * hold XmlLite to it ({@code XmlLiteTest}).
     */
    interface Tree<T> {
        String name(T e);

        List<T> children(T e);

        String text(T e);

        default T child(T parent, String name) {
            for (T e : children(parent)) {
                if (name(e).equals(name)) {
                    return e;
                }
            }
            return null;
        }
    }

    private static final Tree<XmlLite.El> LITE = new Tree<>() {
        @Override
        public String name(XmlLite.El e) {
            return e.name;
        }

        @Override
        public List<XmlLite.El> children(XmlLite.El e) {
            return e.children();
        }

        @Override
        public String text(XmlLite.El e) {
            return e.text();
        }

        @Override
        public XmlLite.El child(XmlLite.El parent, String name) {
            return parent.child(name);
        }
    };

    /**
     * Decodes a methodCall (the server's requests). Read with {@link XmlLite}, as responses are: the JDK's DOM parser
     * and its ~300 classes, their code and heap (3-4 MiB in a spoke that has answered a few calls) stay out of the
     * daemon (docs/benchmarks.md).
     */
    public static MethodCall parseCall(byte[] body) throws ParseException {
        return parseCall(LITE, XmlLite.parse(body));
    }

    static <T> MethodCall parseCall(Tree<T> t, T root) throws ParseException {
        if (!t.name(root).equals("methodCall")) {
            throw new ParseException("expected <methodCall>, found <" + quote(t.name(root)) + ">");
        }
        T nameEl = t.child(root, "methodName");
        if (nameEl == null) {
            throw new ParseException("<methodCall> has no <methodName>");
        }
        List<Object> params = new ArrayList<>();
        T ps = t.child(root, "params");
        if (ps != null) {
            for (T p : t.children(ps)) {
                if (!t.name(p).equals("param")) {
                    throw new ParseException("unexpected <" + quote(t.name(p)) + "> in <params>");
                }
                T v = t.child(p, "value");
                if (v == null) {
                    throw new ParseException("<param> without <value>");
                }
                params.add(parseValue(t, v, 0, Reader.SUPERVISORD_REQUEST));
            }
        }
        return new MethodCall(t.text(nameEl).strip(), params);
    }

    /**
     * Decodes a methodResponse: the value, or throws the fault it carries. Read with {@link XmlLite}, not the DOM:
     * ctl's start-up is mostly this call (docs/benchmarks.md).
     */
    public static Object parseResponse(byte[] body) throws ParseException, XmlRpcFault {
        return parseResponse(LITE, XmlLite.parse(body));
    }

    static <T> Object parseResponse(Tree<T> t, T root) throws ParseException, XmlRpcFault {
        if (!t.name(root).equals("methodResponse")) {
            throw new ParseException("expected <methodResponse>, found <" + quote(t.name(root)) + ">");
        }
        T fault = t.child(root, "fault");
        if (fault != null) {
            T fv = t.child(fault, "value");
            Object f = fv == null ? null : parseValue(t, fv, 0, Reader.XMLRPC_CLIENT);
            if (f instanceof Map<?, ?> m && m.get("faultCode") instanceof Integer code) {
                throw new XmlRpcFault(code, String.valueOf(m.get("faultString")));
            }
            throw new ParseException("malformed fault");
        }
        T ps = t.child(root, "params");
        T p = ps == null ? null : t.child(ps, "param");
        T v = p == null ? null : t.child(p, "value");
        if (v == null) {
            throw new ParseException("response has no value");
        }
        return parseValue(t, v, 0, Reader.XMLRPC_CLIENT);
    }

    private static Object utf8OrBytes(byte[] bytes) {
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return bytes;
        }
    }

    /** An element supervisord's parser does not type: its text, or None (null) when it has none. */
    private static String textOrNone(String text) {
        return text.isEmpty() ? null : text;
    }

    /**
     * Python's {@code int()} of a string (what supervisord applies to {@code <int>} and to int arguments): any size,
     * an Integer when it fits, else a Long, else a BigInteger.
     *
     * @throws NumberFormatException where int() raises ValueError
     */
    public static Number pythonInt(String text) {
        String digits = text.strip();
        // Python's int(): a sign, digits with single underscores between them, at most 4300 digits (3.11+)
        if (digits.length() > 2 * 4300 || !digits.matches("[+-]?[0-9]+(_[0-9]+)*")) {
            throw new NumberFormatException();
        }
        String plain = digits.replace("_", "");
        if (plain.length() - (plain.charAt(0) == '-' || plain.charAt(0) == '+' ? 1 : 0) > 4300) {
            throw new NumberFormatException();
        }
        java.math.BigInteger big = new java.math.BigInteger(plain);
        if (big.bitLength() < 32) {
            return big.intValue();
        }
        return big.bitLength() < 64 ? (Number) big.longValue() : big;
    }

    /**
     * Whose reading of values. A request is read as supervisord reads it: with its own parser
     * ({@code supervisor_xmlrpc_handler.loads} in supervisor/xmlrpc.py), which types only int, i4, boolean, string,
     * double, dateTime.iso8601, base64, array and struct, takes a value's first typed element, and gives any other
     * element (an {@code <i8>}, {@code <nil/>}, {@code <ex:i8>} of Apache XML-RPC's extensions) as its text, or
     * None when it has none. An answer is read as supervisorctl reads one: with Python's xmlrpc.client, which also
     * types i1, i2, i8, biginteger, nil, float and bigdecimal and refuses unknown types and bad booleans.
     */
    private enum Reader {
        SUPERVISORD_REQUEST, XMLRPC_CLIENT
    }

    private static <T> Object parseValue(Tree<T> t, T value, int depth, Reader reader) throws ParseException {
        if (depth > MAX_DEPTH) {
            throw new ParseException("values nested deeper than " + MAX_DEPTH);
        }
        List<T> kids = t.children(value);
        if (kids.isEmpty()) {
            return t.text(value); // untyped value: a string
        }
        boolean request = reader == Reader.SUPERVISORD_REQUEST;
        T typed = request ? kids.get(0) : kids.get(kids.size() - 1);
        String tag = t.name(typed);
        String text = tag.equals("array") || tag.equals("struct") ? "" : t.text(typed);
        try {
            switch (tag) {
                case "int", "i4" -> {
                    return pythonInt(text);
                }
                case "i8", "i1", "i2", "biginteger" -> {
                    return request ? textOrNone(text) : pythonInt(text);
                }
                case "nil" -> {
                    return null;
                }
                case "float" -> {
                    return request ? textOrNone(text) : Double.parseDouble(text.strip());
                }
                case "bigdecimal" -> {
                    return request ? textOrNone(text) : new java.math.BigDecimal(text.strip());
                }
                case "boolean" -> {
                    if (request) {
                        return text.equals("1"); // supervisord: x.text == "1", anything else is False
                    }
                    String b = text.strip();
                    if (!b.equals("0") && !b.equals("1")) {
                        throw new ParseException("bad boolean value '" + quote(b) + "'");
                    }
                    return b.equals("1");
                }
                case "string" -> {
                    return text;
                }
                case "double" -> {
                    return Double.parseDouble(text.strip());
                }
                case "dateTime.iso8601" -> {
                    return text.strip();
                }
                case "base64" -> {
                    byte[] bytes = Base64.getMimeDecoder().decode(text.strip());
                    // supervisord decodes it to a str (as_string: strict UTF-8, a 500 for other bytes, which we keep
                    // as bytes: sendProcessStdin writes them as they are); xmlrpc.client gives bytes
                    return request ? utf8OrBytes(bytes) : bytes;
                }
                case "array" -> {
                    List<Object> out = new ArrayList<>();
                    T data = t.child(typed, "data");
                    if (data != null) {
                        for (T v : t.children(data)) {
                            out.add(parseValue(t, v, depth + 1, reader));
                        }
                    }
                    return out;
                }
                case "struct" -> {
                    Map<String, Object> out = new LinkedHashMap<>();
                    for (T m : t.children(typed)) {
                        T n = t.child(m, "name");
                        T v = t.child(m, "value");
                        if (n == null || v == null) {
                            throw new ParseException("struct member needs <name> and <value>");
                        }
                        out.put(t.text(n), parseValue(t, v, depth + 1, reader));
                    }
                    return out;
                }
                default -> {
                    if (request) {
                        return textOrNone(text);
                    }
                    throw new ParseException("unsupported type <" + quote(tag) + ">");
                }
            }
        } catch (NumberFormatException e) {
            throw new ParseException("bad number '" + quote(text) + "' in <" + tag + ">");
        } catch (IllegalArgumentException e) { // Base64's
            throw new ParseException("bad base64 in <" + tag + ">: " + e.getMessage());
        }
    }
}
