package dev.radial.spoke.logging;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The main-log lines supervisord writes at {@code loglevel=debug} for child output, with Python's {@code repr}
 * where supervisord uses {@code %r}: a process channel's chunk is {@code 'name' stdout output:\n<text>} (bytes
 * that are not UTF-8 as {@code Undecodable: b'...'}), an event listener's protocol output
 * {@code 'name' stdout output:\nb'...'}. Stateless.
 */
public final class DebugOutput {
    private DebugOutput() {
    }

    /** supervisord's POutputDispatcher._log message for one chunk. */
    public static String channel(String name, String channel, byte[] data) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            text = "Undecodable: " + bytes(data);
        }
        return str(name) + " " + channel + " output:\n" + text;
    }

    /** supervisord's PEventListenerDispatcher.handle_read_event message: the chunk as a bytes repr. */
    public static String listener(String name, String channel, byte[] data) {
        return str(name) + " " + channel + " output:\n" + bytes(data);
    }

    /** Python 3's repr of a str: single quotes unless it holds a ' and no ", printable non-ASCII kept. */
    public static String str(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder b = new StringBuilder(s.length() + 2).append(quote);
        s.codePoints().forEach(c -> {
            if (c == quote || c == '\\') {
                b.append('\\').appendCodePoint(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                b.append(String.format("\\x%02x", c));
            } else if (!Character.isDefined(c) || Character.getType(c) == Character.SURROGATE
                    || Character.getType(c) == Character.PRIVATE_USE) {
                b.append(c <= 0xffff ? String.format("\\u%04x", c) : String.format("\\U%08x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.append(quote).toString();
    }

    /** Python 3's repr of bytes: b'...', printable ASCII as is, \t \n \r, every other byte as \xNN. */
    public static String bytes(byte[] data) {
        boolean single = false;
        boolean dbl = false;
        for (byte x : data) {
            single |= x == '\'';
            dbl |= x == '"';
        }
        char quote = single && !dbl ? '"' : '\'';
        StringBuilder b = new StringBuilder(data.length + 3).append('b').append(quote);
        for (byte x : data) {
            int c = x & 0xff;
            if (c == quote || c == '\\') {
                b.append('\\').append((char) c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c < 0x20 || c >= 0x7f) {
                b.append(String.format("\\x%02x", c));
            } else {
                b.append((char) c);
            }
        }
        return b.append(quote).toString();
    }
}
