package dev.radial.common.xmlrpc;

import dev.radial.common.xmlrpc.XmlRpc.ParseException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A small, strict XML reader for the documents XML-RPC uses: the server's requests and ctl's responses. Made first
 * for ctl's cold start (decoding supervisord's 375 KB answer to {@code getAllProcessInfo} with the JDK's DOM parser
 * was most of a {@code status} in a JVM that had just started), then for the spoke's weight (the DOM parser's
 * classes, code and heap were 3-4 MiB of a daemon that had answered a few calls; docs/benchmarks.md). It builds a
 * tree of elements only; an element's text is read from the source on demand, so whitespace between elements
 * costs nothing.
 *
 * <p>Safety is that of a DOM parser with DOCTYPEs disallowed and external entities off ({@code XmlLiteTest} holds
 * the two to the same results): no DOCTYPE (so no entity but the five predefined ones and character references),
 * UTF-8 only, strictly decoded, characters outside XML 1.0's {@code Char} refused,
 * nesting bounded by {@link XmlRpc#MAX_DEPTH} while reading, input bounded by {@link #MAX_BYTES}. What it accepts
 * it reads exactly as the DOM does (line ends normalised, CDATA as text, comments and processing instructions
 * skipped, attributes checked and ignored); errors say where.
 *
 * <p>Not thread-safe per instance; {@link #parse} makes a new one per document.
 */
final class XmlLite {
    /** Largest document read (the client reads at most 64 MiB of body anyway; the server's request limit is lower). */
    static final int MAX_BYTES = 64 * 1024 * 1024;

    /** An element: its name, its child elements, and where its content lies in the source. */
    static final class El {
        final String name;
        private final XmlLite doc;
        private List<El> kids;
        int contentStart;
        int contentEnd;
        private boolean markup; // content has '<' or '&': text must be decoded, not cut out

        El(String name, XmlLite doc) {
            this.name = name;
            this.doc = doc;
        }

        List<El> children() {
            return kids == null ? List.of() : kids;
        }

        /** The first child element with this name, or null. */
        El child(String n) {
            if (kids != null) {
                for (El e : kids) {
                    if (e.name.equals(n)) {
                        return e;
                    }
                }
            }
            return null;
        }

        /** DOM's getTextContent: every descendant's text and CDATA, comments and processing instructions left out. */
        String text() {
            if (!markup) {
                return doc.s.substring(contentStart, contentEnd);
            }
            StringBuilder sb = new StringBuilder(contentEnd - contentStart);
            doc.collectText(contentStart, contentEnd, sb);
            return sb.toString();
        }
    }

    /**
     * The names XML-RPC documents use: a start tag with one of them gets this very string (no copy, and its hash
     * is computed once, for {@link XmlRpc}'s switch on it). The scanning below reads {@link #cs}, the characters of
     * {@link #s}, and not {@code s.charAt}: a JVM that has just started runs this code interpreted, where an array
     * read is one instruction and {@code charAt} three calls (docs/benchmarks.md).
     */
    private static final String[] NAMES = {"value", "member", "name", "string", "int", "i4", "struct", "array",
        "data", "param", "params", "methodResponse", "methodCall", "methodName", "boolean", "double", "base64",
        "dateTime.iso8601", "fault"};

    private final String s;
    private final char[] cs;
    private final int len;
    private int pos;

    private XmlLite(String s) {
        this.s = s;
        this.cs = s.toCharArray();
        this.len = cs.length;
    }

    /**
     * Reads a whole document; returns its root element. The bytes are read as UTF-8 whatever encoding the
     * declaration names, as supervisord reads a request (it decodes the body as UTF-8 before its parser sees it) and
     * as both daemons write their answers.
     */
    static El parse(byte[] body) throws ParseException {
        if (body.length > MAX_BYTES) {
            throw new ParseException("XML document larger than " + MAX_BYTES + " bytes");
        }
        // The String constructor's decoding is the fast one (a cold CharsetDecoder took 2-6 ms for 375 KB here), but
        // it replaces what is not UTF-8 with U+FFFD: only a text that has one is decoded again, strictly, so that a
        // malformed byte is refused and a U+FFFD that was in the document is kept.
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') >= 0) {
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
            } catch (CharacterCodingException e) {
                throw new ParseException("malformed XML: not UTF-8 (" + e.getMessage() + "; XML-RPC is read as UTF-8, "
                        + "as supervisord reads it, whatever the declaration names)");
            }
        }
        if (text.indexOf('\r') >= 0) { // XML 2.11: every CR LF and lone CR is read as LF
            text = text.replace("\r\n", "\n").replace('\r', '\n');
        }
        return new XmlLite(text).document();
    }

    private El document() throws ParseException {
        if (s.startsWith("\uFEFF")) {
            pos = 1;
        }
        if (s.startsWith("<?xml", pos) && pos + 5 < len && isSpace(cs[pos + 5])) {
            declaration();
        }
        misc();
        if (s.startsWith("<!DOCTYPE", pos)) {
            throw error("DOCTYPE is not allowed");
        }
        if (pos >= len || cs[pos] != '<') {
            throw error("no root element");
        }
        El root = element(1);
        misc();
        if (pos < len) {
            throw error("content after the root element");
        }
        return root;
    }

    /**
     * The XML declaration: version 1.x (read as 1.0, as XML 1.0's fifth edition says), then optionally an encoding
     * and standalone, in that order, as XML 1.0's production 23 says. The encoding must be a well-formed name, and is
     * not used: see {@link #parse}.
     */
    private void declaration() throws ParseException {
        pos += 5;
        String[] names = {"version", "encoding", "standalone"};
        int next = 0;
        while (true) {
            int before = pos;
            skipSpace();
            if (s.startsWith("?>", pos)) {
                if (next == 0) {
                    throw error("XML declaration without a version");
                }
                pos += 2;
                return;
            }
            if (before == pos) {
                throw error("malformed XML declaration");
            }
            String name = pos < len && cs[pos] != '?' ? name() : "";
            int which = Arrays.asList(names).indexOf(name);
            if (which < next || which == 0 && next != 0 || which > 0 && next == 0) {
                throw error("malformed XML declaration");
            }
            next = which + 1;
            skipSpace();
            if (pos >= len || cs[pos] != '=') {
                throw error("malformed XML declaration");
            }
            pos++;
            skipSpace();
            char q = pos < len ? cs[pos] : 0;
            int end = q == '"' || q == '\'' ? s.indexOf(q, pos + 1) : -1;
            if (end < 0) {
                throw error("malformed XML declaration");
            }
            String value = s.substring(pos + 1, end);
            boolean ok = switch (which) {
                case 0 -> value.matches("1\\.[0-9]+"); // 1.x is read as 1.0 (XML 1.0 fifth edition, 2.8)
                case 1 -> isEncName(value);
                default -> value.equals("yes") || value.equals("no");
            };
            if (!ok) {
                throw error(which == 1 ? "malformed encoding name '" + XmlRpc.quote(value) + "'"
                        : "unsupported " + name + " '" + XmlRpc.quote(value) + "'");
            }
            pos = end + 1;
        }
    }

    /** Whitespace, comments and processing instructions outside the root element. */
    private void misc() throws ParseException {
        while (pos < len) {
            char c = cs[pos];
            if (isSpace(c)) {
                pos++;
            } else if (s.startsWith("<!--", pos)) {
                comment();
            } else if (s.startsWith("<?", pos)) {
                pi();
            } else {
                return;
            }
        }
    }

    /** At '<' of a start tag: reads the element and its content, up to after its end tag. */
    private El element(int depth) throws ParseException {
        if (depth > XmlRpc.MAX_DEPTH) {
            throw error("elements nested deeper than " + XmlRpc.MAX_DEPTH);
        }
        pos++; // '<'
        String name = name();
        El el = new El(name, this);
        Set<String> attrs = null; // a set: a list's contains made 200,000 attributes in one tag take minutes
        while (true) {
            int before = pos;
            skipSpace();
            if (pos >= len) {
                throw error("unterminated start tag <" + XmlRpc.quote(name) + ">");
            }
            char c = cs[pos];
            if (c == '>') {
                pos++;
                break;
            }
            if (c == '/') {
                if (!s.startsWith("/>", pos)) {
                    throw error("malformed start tag <" + XmlRpc.quote(name) + ">");
                }
                pos += 2;
                el.contentStart = el.contentEnd = pos;
                return el;
            }
            if (before == pos) {
                throw error("malformed start tag <" + XmlRpc.quote(name) + ">");
            }
            String attr = name();
            if (attrs == null) {
                attrs = new HashSet<>();
            }
            if (!attrs.add(attr)) {
                throw error("attribute '" + XmlRpc.quote(attr) + "' given twice in <" + XmlRpc.quote(name) + ">");
            }
            skipSpace();
            if (pos >= len || cs[pos] != '=') {
                throw error("attribute '" + XmlRpc.quote(attr) + "' without a value");
            }
            pos++;
            skipSpace();
            char q = pos < len ? cs[pos] : 0;
            if (q != '"' && q != '\'') {
                throw error("attribute '" + XmlRpc.quote(attr) + "' value not quoted");
            }
            int end = s.indexOf(q, pos + 1);
            if (end < 0) {
                throw error("unterminated attribute value");
            }
            for (int i = pos + 1; i < end; i++) {
                char a = cs[i];
                if (a == '<') {
                    throw error("'<' in attribute value");
                }
                if (a == '&') {
                    pos = i;
                    reference(null);
                    i = pos - 1;
                } else {
                    checkChar(a, i);
                }
            }
            pos = end + 1;
        }
        el.contentStart = pos;
        while (true) {
            int lt = pos;
            while (lt < len) { // text up to the next markup
                char c = cs[lt];
                if (c > '>') { // most text: none of the cases below, and an XML character unless U+FFFE or U+FFFF
                    if (c >= 0xFFFE) {
                        checkChar(c, lt);
                    }
                    lt++;
                    continue;
                }
                if (c == '<') {
                    break;
                }
                if (c == '&') {
                    el.markup = true;
                    pos = lt;
                    reference(null);
                    lt = pos;
                    continue;
                }
                if (c == '>' && lt >= 2 && cs[lt - 1] == ']' && cs[lt - 2] == ']') {
                    pos = lt;
                    throw error("']]>' in text");
                }
                if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                    checkChar(c, lt);
                }
                lt++;
            }
            pos = lt;
            if (pos >= len) {
                throw error("element <" + XmlRpc.quote(name) + "> is not closed");
            }
            if (s.startsWith("</", pos)) {
                el.contentEnd = pos;
                pos += 2;
                int after = pos + name.length();
                if (s.startsWith(name, pos) && (after >= len || !isNameChar(cs[after], true))) {
                    pos = after; // the start tag's name, and no more of a name: as name() would read it
                } else {
                    String end = name();
                    if (!end.equals(name)) {
                        throw error("end tag </" + XmlRpc.quote(end) + "> does not match <" + XmlRpc.quote(name) + ">");
                    }
                }
                skipSpace();
                if (pos >= len || cs[pos] != '>') {
                    throw error("malformed end tag </" + XmlRpc.quote(name) + ">");
                }
                pos++;
                return el;
            }
            el.markup = true;
            if (s.startsWith("<!--", pos)) {
                comment();
            } else if (s.startsWith("<![CDATA[", pos)) {
                int end = s.indexOf("]]>", pos + 9);
                if (end < 0) {
                    throw error("unterminated CDATA section");
                }
                for (int i = pos + 9; i < end; i++) {
                    checkChar(cs[i], i);
                }
                pos = end + 3;
            } else if (s.startsWith("<?", pos)) {
                pi();
            } else if (s.startsWith("<!", pos)) {
                throw error("markup declaration not allowed here");
            } else {
                El kid = element(depth + 1);
                if (el.kids == null) {
                    el.kids = new ArrayList<>(4);
                }
                el.kids.add(kid);
            }
        }
    }

    /** Appends the text of the (already validated) content between from and to. */
    private void collectText(int from, int to, StringBuilder sb) {
        int i = from;
        while (i < to) {
            char c = cs[i];
            if (c == '&') {
                int save = pos;
                pos = i;
                try {
                    reference(sb);
                } catch (ParseException e) {
                    throw new IllegalStateException(e); // validated when read
                }
                i = pos;
                pos = save;
            } else if (c != '<') {
                sb.append(c);
                i++;
            } else if (s.startsWith("<![CDATA[", i)) {
                int end = s.indexOf("]]>", i + 9);
                sb.append(s, i + 9, end);
                i = end + 3;
            } else if (s.startsWith("<!--", i)) {
                i = s.indexOf("-->", i + 4) + 3;
            } else if (s.startsWith("<?", i)) {
                i = s.indexOf("?>", i + 2) + 2;
            } else { // a start or end tag: skip it, minding quoted attribute values
                i++;
                while (cs[i] != '>') {
                    char q = cs[i];
                    i = q == '"' || q == '\'' ? s.indexOf(q, i + 1) + 1 : i + 1;
                }
                i++;
            }
        }
    }

    /** At '&': checks the reference and appends what it stands for (when out is not null); pos moves past ';'. */
    private void reference(StringBuilder out) throws ParseException {
        // up to the first character that cannot be in a reference: as long as its digits (leading zeros are
        // allowed), and never a scan to a far ';' for each '&'
        int semi = pos + 1;
        while (semi < len && (isNameChar(cs[semi], true) || cs[semi] == '#')) {
            semi++;
        }
        if (semi >= len || cs[semi] != ';') {
            throw error("unterminated entity reference");
        }
        String ref = s.substring(pos + 1, semi);
        int cp;
        switch (ref) {
            case "amp" -> cp = '&';
            case "lt" -> cp = '<';
            case "gt" -> cp = '>';
            case "quot" -> cp = '"';
            case "apos" -> cp = '\'';
            default -> {
                if (!ref.startsWith("#")) {
                    throw error("undefined entity '&" + XmlRpc.quote(ref)
                            + ";' (only the five predefined ones are read)");
                }
                try {
                    boolean hex = ref.startsWith("#x");
                    String digits = ref.substring(hex ? 2 : 1);
                    if (digits.isEmpty() || digits.charAt(0) == '+' || digits.charAt(0) == '-') {
                        throw new NumberFormatException();
                    }
                    cp = Integer.parseInt(digits, hex ? 16 : 10);
                } catch (NumberFormatException e) {
                    throw error("malformed character reference '&" + XmlRpc.quote(ref) + ";'");
                }
                if (!isXmlChar(cp)) {
                    throw error("character reference '&" + XmlRpc.quote(ref) + ";' is not an XML character");
                }
            }
        }
        if (out != null) {
            out.appendCodePoint(cp);
        }
        pos = semi + 1;
    }

    private void comment() throws ParseException {
        int end = s.indexOf("--", pos + 4);
        if (end < 0) {
            throw error("unterminated comment");
        }
        if (!s.startsWith("-->", end)) {
            pos = end;
            throw error("'--' inside a comment");
        }
        for (int i = pos + 4; i < end; i++) {
            checkChar(cs[i], i);
        }
        pos = end + 3;
    }

    private void pi() throws ParseException {
        pos += 2;
        String target = name();
        if (target.equalsIgnoreCase("xml")) {
            throw error("XML declaration not at the start of the document");
        }
        int end = s.indexOf("?>", pos);
        if (end < 0) {
            throw error("unterminated processing instruction");
        }
        if (end > pos && !isSpace(cs[pos])) {
            throw error("malformed processing instruction");
        }
        for (int i = pos; i < end; i++) {
            checkChar(cs[i], i);
        }
        pos = end + 2;
    }

    private String name() throws ParseException {
        int start = pos;
        while (pos < len && isNameChar(cs[pos], pos > start)) {
            pos++;
        }
        if (pos == start) {
            throw error("a name was expected");
        }
        int length = pos - start;
        for (String known : NAMES) {
            if (known.length() == length && s.startsWith(known, start)) {
                return known;
            }
        }
        // Any other name: the same string as the last one read with its length and first character, so that a
        // document of 500,000 <a/> does not hold 500,000 copies of "a" (half the memory its tree took).
        int slot = (length * 31 + cs[start]) & (seen.length - 1);
        String last = seen[slot];
        if (last != null && last.length() == length && s.startsWith(last, start)) {
            return last;
        }
        return seen[slot] = s.substring(start, pos);
    }

    /** The last other names read, by {@link #name}'s slot. */
    private final String[] seen = new String[64];

    /** A character of an XML name (the subset of XML 1.0's NameStartChar and NameChar read here). */
    private static boolean isNameChar(char c, boolean notFirst) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || c >= 0xC0 && c != 0xD7
                && c != 0xF7 && c < 0xFFFE && !Character.isSurrogate(c)
                || notFirst && (c >= '0' && c <= '9' || c == '-' || c == '.' || c == 0xB7);
    }

    /** XML 1.0's EncName: [A-Za-z] ([A-Za-z0-9._] | '-')*. */
    private static boolean isEncName(String v) {
        if (v.isEmpty() || !(v.charAt(0) >= 'a' && v.charAt(0) <= 'z' || v.charAt(0) >= 'A' && v.charAt(0) <= 'Z')) {
            return false;
        }
        for (int i = 1; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private void skipSpace() {
        while (pos < len && isSpace(cs[pos])) {
            pos++;
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\n' || c == '\t' || c == '\r';
    }

    private void checkChar(char c, int at) throws ParseException {
        if (c < 0x20 ? c != '\t' && c != '\n' && c != '\r' : c >= 0xFFFE) {
            pos = at;
            throw error(String.format("character U+%04X is not allowed in XML", (int) c));
        }
    }

    private static boolean isXmlChar(int cp) {
        return cp == 0x9 || cp == 0xA || cp == 0xD || cp >= 0x20 && cp <= 0xD7FF || cp >= 0xE000 && cp <= 0xFFFD
                || cp >= 0x10000 && cp <= 0x10FFFF;
    }

    private ParseException error(String what) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < Math.min(pos, len); i++) {
            if (cs[i] == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new ParseException("malformed XML at line " + line + ", column " + col + ": " + what);
    }
}
