package dev.radial.common.xmlrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The server's request decoder ({@link XmlRpc#parseCall}, on {@link XmlLite}) against the JDK's DOM parser as the
 * server was once configured ({@link DomOracle}), and the declared encodings as supervisord reads them.
 */
class XmlRequestTest {

    /** What a decoder made of a request: the call, or a refusal. */
    private record Outcome(XmlRpc.MethodCall call, String error) {
    }

    private static Outcome lite(byte[] doc) {
        try {
            return new Outcome(XmlRpc.parseCall(doc), null);
        } catch (XmlRpc.ParseException e) {
            return new Outcome(null, e.getMessage());
        }
    }

    private static Outcome dom(byte[] doc) {
        try {
            return new Outcome(DomOracle.parseCall(doc), null);
        } catch (XmlRpc.ParseException e) {
            return new Outcome(null, e.getMessage());
        }
    }

    private static void same(byte[] doc, String what) {
        Outcome d = dom(doc);
        Outcome l = lite(doc);
        String where = what + "\nDOM: " + d + "\nlite: " + l;
        assertEquals(d.call() == null, l.call() == null, where);
        if (d.call() != null) {
            assertEquals(d.call().method(), l.call().method(), where);
            XmlLiteTest.assertDeepEquals(d.call().params(), l.call().params(), where);
        } else {
            assertTrue(l.error() != null && l.error().startsWith("malformed XML") || l.error().contains("<"), where);
        }
    }

    private static String randomCall(Random r) {
        List<Object> params = new ArrayList<>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            params.add(XmlLiteTest.randomValue(r, 0));
        }
        String method = r.nextInt(4) == 0 ? XmlLiteTest.randomString(r) : "supervisor.getProcessInfo";
        return XmlRpc.call(method, params);
    }

    @Test
    void generatedCallsDecodeAsTheDomDecodesThem() {
        Random r = new Random(25);
        for (int i = 0; i < 2000; i++) {
            String doc = randomCall(r);
            same(doc.getBytes(StandardCharsets.UTF_8), doc);
            String v = XmlLiteTest.variant(r, doc);
            same(v.getBytes(StandardCharsets.UTF_8), v);
        }
    }

    @Test
    void handWrittenCalls() {
        for (String doc : List.of("<methodCall><methodName> supervisor.getState </methodName></methodCall>",
                "<methodCall><methodName>a</methodName><params/></methodCall>",
                "<methodCall><methodName>a</methodName><params><param/></params></methodCall>",
                "<methodCall><methodName>a</methodName><params><x/></params></methodCall>",
                "<methodCall><params></params></methodCall>", "<methodResponse/>", "<methodCall/>",
                "<methodCall><methodName>a&amp;b<!-- c --></methodName></methodCall>",
                "<methodCall><methodName>a</methodName><params><param><value><i4>1</i4></value></param>"
                        + "<param><value><nil/></value></param></params></methodCall>",
                "<?xml version='1.0'?><!DOCTYPE m [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><methodCall>"
                        + "<methodName>&x;</methodName></methodCall>",
                "<!DOCTYPE methodCall><methodCall><methodName>a</methodName></methodCall>")) {
            same(doc.getBytes(StandardCharsets.UTF_8), doc);
        }
        XmlRpc.ParseException e = assertThrows(XmlRpc.ParseException.class, () -> XmlRpc.parseCall(
                "<?xml version='1.0'?>\n<!DOCTYPE m [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                        .getBytes(StandardCharsets.UTF_8)));
        assertEquals("malformed XML at line 2, column 1: DOCTYPE is not allowed", e.getMessage());
    }

    /**
     * Requests are read as supervisord's own parser reads them (supervisor/xmlrpc.py, {@code loads}): int and i4 are
     * Python ints of any size (an Integer when it fits), a boolean is true only for exactly "1", base64 is decoded
     * to a string, a value's first typed element counts, and any type that parser does not know ({@code <i8>},
     * {@code <float>}, {@code <bigdecimal>}, Apache XML-RPC's {@code <ex:i8>}) is its text, {@code <nil/>} or an
     * empty one None. The digits of an int are Python's int(): a sign, single underscores between digits, no more
     * than 4300 of them.
     */
    @Test
    void requestValuesAreReadAsSupervisordReadsThem() throws Exception {
        String ex = " xmlns:ex='http://ws.apache.org/xmlrpc/namespaces/extensions'";
        String doc = "<methodCall><methodName>m</methodName><params>"
                + p("<int>5</int>") + p("<int>99999999999</int>") + p("<i4>-9223372036854775809</i4>")
                + p("<int> +1_000 </int>") + p("<i8>5</i8>") + p("<ex:i8" + ex + ">-3</ex:i8>")
                + p("<nil/>") + p("<i8></i8>") + p("<float>2.5</float>") + p("<bigdecimal>7.90</bigdecimal>")
                + p("<boolean>1</boolean>") + p("<boolean>true</boolean>") + p("<boolean> 1</boolean>")
                + p("<base64>aMOpbGxv</base64>") + p("<base64>/w==</base64>") + p("<string>a</string><int>7</int>")
                + p("<array><data><value><i8>4</i8></value><value><int>4</int></value></data></array>")
                + "</params></methodCall>";
        List<Object> values = XmlRpc.parseCall(doc.getBytes(StandardCharsets.UTF_8)).params();
        List<Object> want = new ArrayList<>(List.of(5, 99_999_999_999L, new java.math.BigInteger("-9223372036854775809"),
                1000, "5", "-3"));
        want.add(null);
        want.add(null);
        want.addAll(List.of("2.5", "7.90", true, false, false, "h\u00e9llo", "a", List.of("4", 4)));
        assertEquals("h\u00e9llo", values.get(13));
        assertEquals(List.of((byte) 0xff), toList((byte[]) values.remove(14)), "not UTF-8: the bytes");
        assertEquals(want, values);
        for (String bad : List.of("1__0", "_1", "1_", "0x10", "1.0", "", "9".repeat(4301))) {
            XmlRpc.ParseException e = assertThrows(XmlRpc.ParseException.class, () -> XmlRpc.parseCall(
                    ("<methodCall><methodName>m</methodName><params>" + p("<int>" + bad + "</int>") + "</params>"
                            + "</methodCall>").getBytes(StandardCharsets.UTF_8)), bad);
            assertTrue(e.getMessage().startsWith("bad number '") && e.getMessage().endsWith("' in <int>"),
                    e.getMessage());
        }
    }

    /**
     * Answers are read as supervisorctl reads them, with Python's xmlrpc.client: it also types i1, i2, i8,
     * biginteger, nil, float and bigdecimal, and refuses a type it does not know and a boolean that is not 0 or 1.
     */
    @Test
    void answerValuesAreReadAsXmlrpcClientReadsThem() throws Exception {
        String doc = "<methodResponse><params><param><value><array><data>"
                + "<value><i8>99999999999</i8></value><value><i2>7</i2></value><value><nil/></value>"
                + "<value><float>2.5</float></value><value><bigdecimal>7.90</bigdecimal></value>"
                + "<value><base64>aGk=</base64></value>"
                + "</data></array></value></param></params></methodResponse>";
        List<?> values = (List<?>) XmlRpc.parseResponse(doc.getBytes(StandardCharsets.UTF_8));
        assertEquals(99_999_999_999L, values.get(0));
        assertEquals(7, values.get(1));
        assertEquals(null, values.get(2));
        assertEquals(2.5, values.get(3));
        assertEquals(new java.math.BigDecimal("7.90"), values.get(4));
        assertEquals("hi", new String((byte[]) values.get(5), StandardCharsets.UTF_8));
        for (String bad : List.of("<boolean>true</boolean>", "<ex:i8 xmlns:ex='u'>1</ex:i8>")) {
            assertThrows(XmlRpc.ParseException.class, () -> XmlRpc.parseResponse(("<methodResponse><params><param>"
                    + "<value>" + bad + "</value></param></params></methodResponse>")
                    .getBytes(StandardCharsets.UTF_8)), bad);
        }
    }

    private static List<Byte> toList(byte[] b) {
        List<Byte> l = new ArrayList<>();
        for (byte x : b) {
            l.add(x);
        }
        return l;
    }

    private static String p(String typed) {
        return "<param><value>" + typed + "</value></param>";
    }

    /**
     * supervisord decodes a request body as UTF-8 before its parser sees it, so the declaration's encoding is never
     * used: any well-formed name is accepted and the bytes are UTF-8 (Python's {@code xmlrpc.client.loads} of the
     * same texts, as supervisord calls it, gives the same, run in {@code RpcOracleTest} against supervisord itself).
     */
    @Test
    void theDeclaredEncodingIsNotUsedAsSupervisordDoesNotUseIt() throws Exception {
        for (String name : List.of("UTF-8", "utf8", "ISO-8859-1", "Shift_JIS", "UTF-16", "UTF-32", "foo", "x".repeat(600),
                "a.b_c-d")) {
            byte[] doc = ("<?xml version='1.0' encoding='" + name + "'?><methodCall><methodName>m\u00e9\u20ac"
                    + "</methodName></methodCall>").getBytes(StandardCharsets.UTF_8);
            assertEquals("m\u00e9\u20ac", XmlRpc.parseCall(doc).method(), name);
        }
        for (String[] c : List.of(new String[] {"../x", "30"}, new String[] {"1abc", "30"}, new String[] {"a b", "30"},
                new String[] {"", "30"}, new String[] {"\u00e9", "30"})) {
            byte[] doc = ("<?xml version='1.0' encoding='" + c[0] + "'?><methodCall><methodName>m</methodName>"
                    + "</methodCall>").getBytes(StandardCharsets.UTF_8);
            XmlRpc.ParseException e = assertThrows(XmlRpc.ParseException.class, () -> XmlRpc.parseCall(doc), c[0]);
            assertEquals("malformed XML at line 1, column " + c[1] + ": malformed encoding name '" + c[0] + "'",
                    e.getMessage());
        }
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] rest = "<methodCall><methodName>m</methodName></methodCall>".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[bom.length + rest.length];
        System.arraycopy(bom, 0, withBom, 0, 3);
        System.arraycopy(rest, 0, withBom, 3, rest.length);
        assertEquals("m", XmlRpc.parseCall(withBom).method());
    }

    /** Bytes that are not UTF-8 (supervisord drops the connection without an answer): refused, saying why. */
    @Test
    void bytesThatAreNotUtf8AreRefusedSayingWhy() {
        String why = "; XML-RPC is read as UTF-8, as supervisord reads it, whatever the declaration names)";
        for (Object[] c : List.of(
                new Object[] {("<?xml version='1.0' encoding='ISO-8859-1'?><methodCall><methodName>m\u00e9</methodName>"
                        + "</methodCall>").getBytes(StandardCharsets.ISO_8859_1), "Input length = 1"},
                new Object[] {("\uFEFF<?xml version='1.0' encoding='UTF-16'?><methodCall><methodName>m</methodName>"
                        + "</methodCall>").getBytes(StandardCharsets.UTF_16BE), "Input length = 1"},
                new Object[] {new byte[] {'<', 'm', (byte) 0xC0, (byte) 0xAF, '/', '>'}, "Input length = 1"})) {
            XmlRpc.ParseException e = assertThrows(XmlRpc.ParseException.class, () -> XmlRpc.parseCall((byte[]) c[0]));
            assertEquals("malformed XML: not UTF-8 (" + c[1] + why, e.getMessage());
        }
    }
}
