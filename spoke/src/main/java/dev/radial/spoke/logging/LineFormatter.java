package dev.radial.spoke.logging;

import dev.radial.common.config.LogFormat;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.LongSupplier;

/**
 * Turns a channel's raw output into formatted lines for {@code log_format=timestamped} or {@code json} (PLAIN
 * needs none: the dispatcher writes the bytes as they are). Output is split at '\n'; a partial line waits for
 * its end, up to {@value #MAX_LINE} bytes, then is written as a line of its own (cut at a UTF-8 character
 * boundary) and the rest continues in the next. Every piece returned ends with '\n', so a log file still rotates
 * only at line ends. One instance per channel and destination; single-threaded (the engine thread).
 *
 * <ul>
 * <li>timestamped: {@code 2026-12-01T16:53:24.123Z <prefix><line bytes as written>\n}</li>
 * <li>json: {@code {"time":"2026-12-01T16:53:24.123Z","program":"web","stream":"stdout","line":"..."}\n}; the
 * line without its '\n', invalid UTF-8 replaced by U+FFFD, control characters escaped.</li>
 * </ul>
 */
public final class LineFormatter {
    /** The longest line kept whole. */
    public static final int MAX_LINE = 64 * 1024;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final LogFormat format;
    private final String programJson;
    private final String streamJson;
    private final byte[] prefix;
    private final LongSupplier wallMillis;
    private final int maxLine;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    /**
     * @param prefix written after the timestamp of a timestamped line (forwarding's {@code "name | "}), "" for files
     */
    public LineFormatter(LogFormat format, String program, String stream, String prefix, LongSupplier wallMillis,
            int maxLine) {
        if (format == LogFormat.PLAIN) {
            throw new IllegalArgumentException("plain output needs no formatter");
        }
        this.format = format;
        this.programJson = json(program);
        this.streamJson = json(stream);
        this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
        this.wallMillis = wallMillis;
        this.maxLine = maxLine;
    }

    /** A formatter for {@code format}, or null for PLAIN. */
    public static LineFormatter of(LogFormat format, String program, String stream, String prefix) {
        return format == null || format == LogFormat.PLAIN ? null
                : new LineFormatter(format, program, stream, prefix, System::currentTimeMillis, MAX_LINE);
    }

    /** The complete lines in {@code data} (with what was pending before), formatted; possibly empty. */
    public byte[] feed(byte[] data, int off, int len) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(len + 128);
        int start = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (data[i] == '\n') {
                partial.write(data, start, i - start);
                emit(out, partial.toByteArray(), partial.size());
                partial.reset();
                start = i + 1;
            } else if (partial.size() + (i - start) + 1 >= maxLine) {
                partial.write(data, start, i - start + 1);
                start = i + 1;
                cutLongLine(out);
            }
        }
        partial.write(data, start, end - start);
        return out.toByteArray();
    }

    /** What is pending (a last line without '\n'), formatted as a line; empty if nothing is. For end of file. */
    public byte[] flush() {
        if (partial.size() == 0) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        emit(out, partial.toByteArray(), partial.size());
        partial.reset();
        return out.toByteArray();
    }

    /** The pending bytes reached the bound: write them up to the last whole UTF-8 character, keep the rest. */
    private void cutLongLine(ByteArrayOutputStream out) {
        byte[] b = partial.toByteArray();
        int cut = b.length;
        // back off over at most 3 continuation bytes (10xxxxxx) and their lead byte if the character is cut
        int i = b.length - 1;
        int back = 0;
        while (i > 0 && back < 3 && (b[i] & 0xC0) == 0x80) {
            i--;
            back++;
        }
        if ((b[i] & 0xC0) == 0xC0) {
            int need = (b[i] & 0xE0) == 0xC0 ? 2 : (b[i] & 0xF0) == 0xE0 ? 3 : (b[i] & 0xF8) == 0xF0 ? 4 : 1;
            if (b.length - i < need && i > 0) {
                cut = i; // the character is incomplete: it goes to the next piece
            }
        }
        emit(out, b, cut);
        partial.reset();
        partial.write(b, cut, b.length - cut);
    }

    private void emit(ByteArrayOutputStream out, byte[] line, int len) {
        String time = TIME.format(Instant.ofEpochMilli(wallMillis.getAsLong()));
        if (format == LogFormat.TIMESTAMPED) {
            out.writeBytes(time.getBytes(StandardCharsets.US_ASCII));
            out.write(' ');
            out.writeBytes(prefix);
            out.write(line, 0, len);
            out.write('\n');
            return;
        }
        String text = new String(line, 0, len, StandardCharsets.UTF_8); // malformed input becomes U+FFFD
        String obj = "{\"time\":\"" + time + "\",\"program\":" + programJson + ",\"stream\":" + streamJson
                + ",\"line\":" + json(text) + "}\n";
        out.writeBytes(obj.getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON string literal: quotes, backslash and control characters escaped, the rest as is. */
    static String json(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
