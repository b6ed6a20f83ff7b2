package dev.radial.common.xmlrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A hostile client's documents within the server's 2 MiB body limit (docs/http.md): none may cost more than linear
 * time, and no error may echo an unbounded part of the request (the message is sent back and logged in the main
 * log). The time bounds are generous (a linear read of 2 MiB takes well under a second here); what they catch is
 * the quadratic case, which took minutes.
 */
class XmlLiteAbuseTest {
    private static final int BODY = 2 * 1024 * 1024;

    private static byte[] attributes(String last) {
        StringBuilder sb = new StringBuilder("<methodCall");
        for (int i = 0; sb.length() < BODY - 100; i++) {
            sb.append(String.format(" a%06d=''", i));
        }
        sb.append(last).append("><methodName>x</methodName></methodCall>");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** 200,000 attributes in one start tag: duplicates were looked for in a list, 240 s for this document. */
    @Test
    void manyAttributesAreCheckedForDuplicatesInLinearTime() {
        byte[] distinct = attributes("");
        XmlRpc.MethodCall call = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> XmlRpc.parseCall(distinct));
        assertEquals("x", call.method());
        byte[] twice = attributes(" a000007='again'");
        String m = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(XmlRpc.ParseException.class, () -> XmlRpc.parseCall(twice))).getMessage();
        assertTrue(m.contains("attribute 'a000007' given twice in <methodCall>"), m);
    }

    /** What an error quotes from the document is cut short: a 2 MiB number was sent back and logged whole. */
    @Test
    void errorsQuoteAtMostALittleOfTheDocument() {
        String longName = "n".repeat(BODY - 200);
        String head = "<methodCall><methodName>x</methodName><params><param><value>";
        String tail = "</value></param></params></methodCall>";
        for (String doc : List.of(head + "<int>" + "9".repeat(BODY - 200) + "</int>" + tail,
                head + "<double>" + "x".repeat(BODY - 200) + "</double>" + tail,
                "<" + longName + "/>",
                "<methodCall><" + longName + "></x></methodCall>",
                "<methodCall a='1' " + longName + "='1' " + longName + "='2'/>",
                "<methodCall><methodName>x</methodName><params><" + longName + "/></params></methodCall>",
                "<?xml version='1.0' encoding='" + longName + "!'?><methodCall/>")) {
            String m = assertThrows(XmlRpc.ParseException.class,
                    () -> XmlRpc.parseCall(doc.getBytes(StandardCharsets.UTF_8))).getMessage();
            assertTrue(m.length() < 300, () -> m.length() + " characters: " + m.substring(0, 200));
            assertTrue(m.contains("..."), m);
        }
        // a bad boolean and an unknown type are refused in answers only (supervisord's parser takes both in requests)
        String answer = "<methodResponse><params><param><value>";
        for (String doc : List.of(answer + "<boolean>" + "2".repeat(BODY - 200) + "</boolean>" + tail.replace(
                "</methodCall>", "</methodResponse>"),
                answer + "<" + longName + "/></value></param></params></methodResponse>")) {
            String m = assertThrows(XmlRpc.ParseException.class,
                    () -> XmlRpc.parseResponse(doc.getBytes(StandardCharsets.UTF_8))).getMessage();
            assertTrue(m.length() < 300, () -> m.length() + " characters: " + m.substring(0, 200));
            assertTrue(m.contains("..."), m);
        }
    }

    /**
     * 500,000 empty elements of one name: each had its own copy of the name, half of the 52 MiB the tree of a 2 MiB
     * body held (28 MiB with the names shared; measured with System.gc() around XmlLite.parse).
     */
    @Test
    void repeatedNamesAreOneString() throws Exception {
        StringBuilder sb = new StringBuilder("<x>");
        for (int i = 0; sb.length() < BODY - 10; i++) {
            sb.append(i % 3 == 0 ? "<a/>" : i % 3 == 1 ? "<bb></bb>" : "<a x='1'/>");
        }
        XmlLite.El root = XmlLite.parse(sb.append("</x>").toString().getBytes(StandardCharsets.UTF_8));
        List<XmlLite.El> kids = root.children();
        assertTrue(kids.size() > 200_000, "" + kids.size());
        for (int i = 3; i < kids.size(); i++) {
            assertSame(kids.get(i % 3).name, kids.get(i).name, "element " + i);
        }
        assertEquals(List.of("a", "bb", "a"), kids.subList(0, 3).stream().map(e -> e.name).toList());
    }

    /**
     * A character reference is as long as its digits: supervisord (expat) and the DOM read {@code &#x00000000041;}
     * as "A", which was refused as an "unterminated entity reference" (references were cut at 12 characters). A
     * reference never ends at a ';' past a character that cannot be in one, so '&' without ';' costs one short scan.
     */
    @Test
    void characterReferencesMayHaveLeadingZeros() throws Exception {
        String head = "<methodCall><methodName>x</methodName><params><param><value><string>";
        String tail = "</string></value></param></params></methodCall>";
        for (String ref : List.of("&#x00000000041;", "&#00000000000065;", "&#x" + "0".repeat(100_000) + "41;")) {
            byte[] doc = (head + ref + tail).getBytes(StandardCharsets.UTF_8);
            assertEquals(List.of("A"), XmlRpc.parseCall(doc).params());
            assertEquals(List.of("A"), DomOracle.parseCall(doc).params());
        }
        String m = assertThrows(XmlRpc.ParseException.class, () -> XmlRpc.parseCall((head + "&" + "a".repeat(BODY - 200)
                + ";" + tail).getBytes(StandardCharsets.UTF_8))).getMessage();
        assertTrue(m.length() < 300 && m.contains("undefined entity"), m.substring(0, Math.min(m.length(), 200)));
        byte[] ampersands = (head + "&a".repeat((BODY - 200) / 2) + ";" + tail).getBytes(StandardCharsets.UTF_8);
        m = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(XmlRpc.ParseException.class, () -> XmlRpc.parseCall(ampersands))).getMessage();
        assertTrue(m.contains("column 69: unterminated entity reference"), m);
    }

    /**
     * XML 1.0 (fifth edition, 2.8) reads a document of version 1.x as 1.0; supervisord (expat) and the DOM answer
     * a call declared {@code version='1.1'}, which was refused ("unsupported version").
     */
    @Test
    void versionOneDotAnythingIsReadAsOneDotZero() throws Exception {
        for (String v : List.of("1.0", "1.1", "1.10")) {
            byte[] doc = ("<?xml version='" + v + "'?><methodCall><methodName>x</methodName></methodCall>")
                    .getBytes(StandardCharsets.UTF_8);
            assertEquals("x", XmlRpc.parseCall(doc).method(), v);
        }
        for (String v : List.of("1.", "2.0", "1.x", "1.1 ", "")) {
            byte[] doc = ("<?xml version='" + v + "'?><methodCall><methodName>x</methodName></methodCall>")
                    .getBytes(StandardCharsets.UTF_8);
            String m = assertThrows(XmlRpc.ParseException.class, () -> XmlRpc.parseCall(doc), v).getMessage();
            assertTrue(m.contains("unsupported version"), m);
        }
    }
}
