package dev.radial.common.xmlrpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.radial.common.testing.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written response decoder ({@link XmlLite} behind {@link XmlRpc#parseResponse}) against the JDK's DOM
 * parser configured as a server would be ({@link DomOracle}): for every document, both give the same value, or the
 * same fault, or both refuse it. Requests: {@link XmlRequestTest}.
 */
class XmlLiteTest {

    /** What a decoder made of a document: a value, a fault, or a refusal. */
    private record Outcome(Object value, String fault, boolean refused, String error) {
    }

    private static Outcome lite(byte[] doc) {
        try {
            return new Outcome(XmlRpc.parseResponse(doc), null, false, null);
        } catch (XmlRpcFault f) {
            return new Outcome(null, f.code() + ":" + f.getMessage(), false, null);
        } catch (XmlRpc.ParseException e) {
            return new Outcome(null, null, true, e.getMessage());
        }
    }

    private static Outcome dom(byte[] doc) {
        try {
            return new Outcome(DomOracle.parseResponse(doc), null, false, null);
        } catch (XmlRpcFault f) {
            return new Outcome(null, f.code() + ":" + f.getMessage(), false, null);
        } catch (XmlRpc.ParseException e) {
            return new Outcome(null, null, true, e.getMessage());
        }
    }

    private static void same(byte[] doc) {
        Outcome d = dom(doc);
        Outcome l = lite(doc);
        String where = "document:\n" + new String(doc, StandardCharsets.UTF_8) + "\nDOM: " + d + "\nlite: " + l;
        assertEquals(d.refused(), l.refused(), where);
        assertEquals(d.fault(), l.fault(), where);
        if (!d.refused() && d.fault() == null) {
            assertDeepEquals(d.value(), l.value(), where);
        }
        if (l.refused()) {
            assertTrue(l.error() != null && !l.error().isBlank(), where);
        }
    }

    static void assertDeepEquals(Object a, Object b, String where) {
        if (a instanceof byte[] x) {
            assertArrayEquals(x, assertInstanceOf(byte[].class, b, where), where);
        } else if (a instanceof List<?> x) {
            List<?> y = assertInstanceOf(List.class, b, where);
            assertEquals(x.size(), y.size(), where);
            for (int i = 0; i < x.size(); i++) {
                assertDeepEquals(x.get(i), y.get(i), where);
            }
        } else if (a instanceof Map<?, ?> x) {
            Map<?, ?> y = assertInstanceOf(Map.class, b, where);
            assertEquals(new ArrayList<>(x.keySet()), new ArrayList<>(y.keySet()), where);
            for (Object k : x.keySet()) {
                assertDeepEquals(x.get(k), y.get(k), where);
            }
        } else if (!java.util.Objects.equals(a, b)) {
            fail("expected " + escape(a) + " but was " + escape(b) + "\n" + where);
        }
    }

    private static String escape(Object o) {
        if (o == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(o.getClass().getSimpleName()).append(" '");
        o.toString().codePoints().forEach(c -> sb.append(c >= 0x20 && c < 0x7f ? Character.toString(c)
                : String.format("\\u%04x", c)));
        return sb.append('\'').toString();
    }

    // ---- generated values ---------------------------------------------------------------------

    private static final String ODD = "&<>\"' \t\n\r]]>;#x&amp;é中😀\u00a0\u2028";

    static String randomString(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(4)) {
                case 0 -> sb.append((char) ('a' + r.nextInt(26)));
                case 1 -> sb.appendCodePoint(ODD.codePoints().toArray()[r.nextInt((int) ODD.codePoints().count())]);
                case 2 -> sb.appendCodePoint(0xA0 + r.nextInt(0x3000));
                default -> sb.appendCodePoint(0x10000 + r.nextInt(0x1000));
            }
        }
        return sb.toString();
    }

    static Object randomValue(Random r, int depth) {
        int k = r.nextInt(depth > 3 ? 5 : 7);
        return switch (k) {
            case 0 -> r.nextInt();
            case 1 -> r.nextBoolean();
            case 2 -> randomString(r);
            case 3 -> r.nextInt(3) == 0 ? (double) r.nextInt(100) : r.nextDouble() * 1e6 - 5e5;
            case 4 -> {
                byte[] b = new byte[r.nextInt(90)];
                r.nextBytes(b);
                yield b;
            }
            case 5 -> {
                List<Object> l = new ArrayList<>();
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    l.add(randomValue(r, depth + 1));
                }
                yield l;
            }
            default -> {
                Map<String, Object> m = new LinkedHashMap<>();
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    m.put(randomString(r), randomValue(r, depth + 1));
                }
                yield m;
            }
        };
    }

    @Test
    void generatedValuesDecodeAsTheDomDecodesThem() {
        Random r = new Random(15);
        for (int i = 0; i < 3000; i++) {
            Object v = randomValue(r, 0);
            byte[] doc = XmlRpc.response(v).getBytes(StandardCharsets.UTF_8);
            same(doc);
        }
    }

    /** Rewrites a well-formed document the ways XML allows (and some it does not); both decoders must agree. */
    static String variant(Random r, String doc) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < doc.length(); i++) {
            char c = doc.charAt(i);
            int roll = r.nextInt(60);
            if (c == '\n' && roll == 0) {
                sb.append("\r\n");
            } else if (c == '\n' && roll == 1) {
                sb.append("<!-- a comment -->\n");
            } else if (c == '\n' && roll == 2) {
                sb.append("<?pi data?>\n");
            } else if (c == '\n' && roll == 3) {
                sb.append("\n  \t");
            } else if (c >= 'a' && c <= 'z' && roll == 4 && sb.length() > 0 && sb.charAt(sb.length() - 1) == '>') {
                sb.append("<![CDATA[").append(c).append("]]>");
            } else if (c >= 'a' && c <= 'z' && roll == 5) {
                sb.append(r.nextBoolean() ? "&#" + (int) c + ";" : "&#x" + Integer.toHexString(c) + ";");
            } else if (c > 0x7f && roll < 8) {
                sb.append("&#").append((int) c).append(';');
            } else if (roll == 6 && r.nextInt(20) == 0) {
                sb.append(switch (r.nextInt(8)) { // breakage
                    case 0 -> "&bogus;";
                    case 1 -> "<";
                    case 2 -> "&#0;";
                    case 3 -> "\u0001";
                    case 4 -> "</x>";
                    case 5 -> "&#xD800;";
                    case 6 -> "]]>";
                    default -> "<!DOCTYPE x>";
                }).append(c);
            } else {
                sb.append(c);
            }
        }
        String out = sb.toString();
        return switch (r.nextInt(10)) {
            case 0 -> out.replace("<string>", "").replace("</string>", ""); // untyped values are strings
            case 1 -> out.replace("<int>", "<i4>").replace("</int>", "</i4>");
            case 2 -> out.replace("<?xml version='1.0'?>", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
            case 3 -> out.replace("<methodResponse>", "<methodResponse a='1' b=\"&lt;2>\">");
            case 4 -> out.replace("<value><string>", "<value>\n<string>");
            case 5 -> out.replace("<?xml version='1.0'?>\n", "\uFEFF");
            case 6 -> out.replace("</value>", "</value >");
            default -> out;
        };
    }

    @Test
    void rewrittenAndBrokenDocumentsDecodeOrFailAsTheDomDoes() {
        Random r = new Random(1515);
        for (int i = 0; i < 3000; i++) {
            String doc = XmlRpc.response(randomValue(r, 0));
            same(variant(r, doc).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void handWrittenCases() {
        String h = "<?xml version='1.0'?>\n<methodResponse><params><param>";
        String t = "</param></params></methodResponse>";
        for (String v : List.of("<value>  spaced  </value>", "<value></value>", "<value/>", "<value><string/></value>",
                "<value><string>a<b>c</b>d</string></value>", "<value><int> 42 </int></value>",
                "<value><i4>-7</i4></value>", "<value><int>99999999999</int></value>", "<value><int>x</int></value>",
                "<value><boolean>1</boolean></value>", "<value><boolean>true</boolean></value>",
                "<value><double>1e3</double></value>", "<value><double>NaN</double></value>",
                "<value><dateTime.iso8601>20261201T16:00:00</dateTime.iso8601></value>",
                "<value><base64>aGVsbG8=\n</base64></value>", "<value><base64>!!</base64></value>",
                "<value><nil/></value>", "<value><array><data/></array></value>", "<value><array/></value>",
                "<value><struct><member><name>a</name></member></struct></value>",
                "<value><struct><member><name>&#x1F600;</name><value>x</value></member></struct></value>",
                "<value><string>&#1114111;&#1114112;</string></value>", "<value><string>&#65534;</string></value>",
                "<value><string><![CDATA[<&>]]></string></value>", "<value><string><!-- c -->x</string></value>",
                "<value><string>a--b</string></value>", "<value><!-- a -- b --></value>",
                "<value><int>1</int><string>last wins</string></value>", "<value>x<int>1</int>y</value>",
                "<value><string>&amp;&lt;&gt;&quot;&apos;</string></value>", "<value><string>&#x;</string></value>",
                "<value><string>&#-1;</string></value>", "<value><string>&AMP;</string></value>",
                "<value><string>a\r\nb\rc&#13;</string></value>", "<value><string>&#9;\t</string></value>")) {
            same((h + v + t).getBytes(StandardCharsets.UTF_8));
        }
        for (String doc : List.of("", "   ", "<methodResponse/>", "<methodCall/>", "<a></b>",
                "<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>10</int></value>"
                        + "</member><member><name>faultString</name><value>BAD_NAME: x</value></member></struct>"
                        + "</value></fault></methodResponse>",
                "<methodResponse><fault><value>oops</value></fault></methodResponse>",
                "<methodResponse><params><param><value>1</value></param></params></methodResponse> trailing",
                "<methodResponse><params><param><value>1</value></param></params></methodResponse><!-- ok -->\n",
                "<?xml version='1.0' encoding='ISO-8859-1'?><methodResponse/>",
                "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><methodResponse>&e;"
                        + "</methodResponse>",
                "<methodResponse a='1' a='2'/>", "<methodResponse a=1/>", "<methodResponse a='<'/>",
                " <?xml version='1.0'?><methodResponse/>", "<?xml version='1.0'?><?xml version='1.0'?><a/>")) {
            same(doc.getBytes(StandardCharsets.UTF_8));
        }
        same(new byte[] {'<', 'a', '>', (byte) 0xC3, '<', '/', 'a', '>'}); // not UTF-8
        same(("<methodResponse><params><param><value><string>" + "é".repeat(10) + "</string></value></param></params>"
                + "</methodResponse>").getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * The shortcuts taken for ctl's cold start: an end tag matched against its start tag's name without reading it
     * again, XML-RPC's names shared, U+FFFD deciding whether the bytes are decoded a second time, strictly, and
     * the text scan's fast path for characters above '>'.
     */
    @Test
    void coldStartShortcutsReadAsTheDomDoes() {
        String h = "<?xml version='1.0'?>\n<methodResponse><params><param>";
        String t = "</param></params></methodResponse>";
        for (String v : List.of("<value>x</valuex>", "<value>x</value-1>", "<value>x</value >", "<value>x</value\n>",
                "<value>x</valu>", "<value>x</values>", "<value>x</value.>", "<value>x</value·>",
                "<value><string>x</string ></value>", "<value><foo>x</foo></value>", "<value><int>1</inté></value>",
                "<value><valuex>1</valuex></value>", "<value><string>\uFFFD</string></value>",
                "<value><string>a\uFFFDb&#xFFFD;</string></value>", "<value><string>\uFFFF</string></value>",
                "<value><string>\uFFFE</string></value>", "<value><string>\uFFFC~\u007f\u0080?</string></value>",
                "<value><struct><member><name>name</name><value>a</value></member><member><name>name</name>"
                        + "<value>b</value></member></struct></value>")) {
            same((h + v + t).getBytes(StandardCharsets.UTF_8));
        }
        byte[] head = (h + "<value><string>").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("</string></value>" + t).getBytes(StandardCharsets.UTF_8);
        for (byte[] bad : List.of(new byte[] {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD, (byte) 0xC3}, // U+FFFD, then junk
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // an encoded surrogate (CESU-8)
                new byte[] {(byte) 0xC0, (byte) 0xAF}, // overlong '/'
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
                new byte[] {(byte) 0xE2, (byte) 0x82})) { // truncated
            byte[] doc = new byte[head.length + bad.length + tail.length];
            System.arraycopy(head, 0, doc, 0, head.length);
            System.arraycopy(bad, 0, doc, head.length, bad.length);
            System.arraycopy(tail, 0, doc, head.length + bad.length, tail.length);
            same(doc);
            assertThrows(XmlRpc.ParseException.class, () -> XmlRpc.parseResponse(doc));
        }
    }

    @Test
    void nestingIsBoundedWhileReading() {
        String deep = "<value><array><data>".repeat(100) + "</data></array></value>".repeat(100);
        byte[] doc = ("<methodResponse><params><param>" + deep + "</param></params></methodResponse>")
                .getBytes(StandardCharsets.UTF_8);
        XmlRpc.ParseException e = assertThrows(XmlRpc.ParseException.class, () -> XmlRpc.parseResponse(doc));
        assertTrue(e.getMessage().contains("nested deeper than 256"), e.getMessage());
        same(doc);
        String ok = "<value><array><data>".repeat(80) + "</data></array></value>".repeat(80);
        same(("<methodResponse><params><param>" + ok + "</param></params></methodResponse>")
                .getBytes(StandardCharsets.UTF_8));
        byte[] huge = new byte[XmlLite.MAX_BYTES + 1];
        assertTrue(assertThrows(XmlRpc.ParseException.class, () -> XmlRpc.parseResponse(huge)).getMessage()
                .contains("larger than"));
    }

    @Test
    void errorsSayWhere() {
        byte[] doc = "<methodResponse>\n<params>\n<param>&nope;".getBytes(StandardCharsets.UTF_8);
        String m = assertThrows(XmlRpc.ParseException.class, () -> XmlRpc.parseResponse(doc)).getMessage();
        assertEquals("malformed XML at line 3, column 8: undefined entity '&nope;' (only the five predefined ones "
                + "are read)", m);
    }

    /** Documents made by Python's xmlrpc.client.dumps, the encoder supervisord answers with. */
    @Test
    void pythonsEncoderOutputDecodesAsTheDomDecodesIt() throws Exception {
        Reference.require();
        Path dir = Files.createTempDirectory("xmllite");
        try {
            String script = """
                    import sys, xmlrpc.client, random
                    random.seed(15)
                    chars = 'abc &<>"\\'\\t\\n\\r]]>é中😀\\u00a0\\u2028'
                    def s(): return ''.join(random.choice(chars) for _ in range(random.randrange(12)))
                    def v(d):
                        k = random.randrange(4 if d > 3 else 7)
                        if k == 0: return random.randrange(-2**31, 2**31)
                        if k == 1: return random.random() < 0.5
                        if k == 2: return s()
                        if k == 3: return random.random() * 1e6
                        if k == 4: return [v(d + 1) for _ in range(random.randrange(5))]
                        if k == 5: return xmlrpc.client.Binary(bytes(random.randrange(256) for _ in range(random.randrange(60))))
                        return {s(): v(d + 1) for _ in range(random.randrange(5))}
                    n = 0
                    for i in range(400):
                        doc = xmlrpc.client.dumps((v(0),), methodresponse=True)
                        open(sys.argv[1] + '/%d.xml' % i, 'w', encoding='utf-8').write(doc)
                    for code, msg in ((10, 'BAD_NAME: é'), (2, 'INCORRECT_PARAMETERS')):
                        doc = xmlrpc.client.dumps(xmlrpc.client.Fault(code, msg), methodresponse=True)
                        open(sys.argv[1] + '/f%d.xml' % code, 'w', encoding='utf-8').write(doc)
                    """;
            Path py = dir.resolve("gen.py");
            Files.writeString(py, script);
            Reference.Run run = Reference.run(List.of(Reference.PYTHON.toString(), py.toString(), dir.toString()), null,
                    dir, 60);
            assertEquals(0, run.exit(), run.stderr());
            int n = 0;
            try (var files = Files.list(dir)) {
                for (Path p : files.filter(p -> p.toString().endsWith(".xml")).toList()) {
                    byte[] doc = Files.readAllBytes(p);
                    same(doc);
                    n++;
                }
            }
            assertEquals(402, n);
            Outcome f = lite(Files.readAllBytes(dir.resolve("f10.xml")));
            assertEquals("10:BAD_NAME: é", f.fault());
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    @Test
    void everyAcceptedGeneratedValueRoundTrips() throws Exception {
        Random r = new Random(7);
        for (int i = 0; i < 500; i++) {
            Object v = randomValue(r, 0);
            Object back = XmlRpc.parseResponse(XmlRpc.response(v).getBytes(StandardCharsets.UTF_8));
            assertDeepEquals(normalise(v), back, "value " + v);
        }
        if (XmlRpc.parseResponse("<methodResponse><params><param><value>x</value></param></params></methodResponse>"
                .getBytes(StandardCharsets.UTF_8)) instanceof String s) {
            assertEquals("x", s);
        } else {
            fail("untyped value is not a string");
        }
    }

    /** What a value becomes after a trip through XML: CRs are line ends, read as LF. */
    private static Object normalise(Object v) {
        if (v instanceof String s) {
            return s.replace("\r\n", "\n").replace('\r', '\n');
        }
        if (v instanceof List<?> l) {
            return l.stream().map(XmlLiteTest::normalise).toList();
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(normalise(k), normalise(x)));
            return out;
        }
        return v;
    }

}
