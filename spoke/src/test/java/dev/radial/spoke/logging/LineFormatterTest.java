package dev.radial.spoke.logging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.radial.common.config.LogFormat;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Line framing with an injected clock: splits, partial lines, the length bound, UTF-8 and JSON escapes. */
class LineFormatterTest {
    static final long T = 1_780_000_000_123L; // 2026-05-28T20:26:40.123Z
    static final String TS = "2026-05-28T20:26:40.123Z";

    static LineFormatter f(LogFormat fmt, int max) {
        return new LineFormatter(fmt, "we\"b", "stdout", "", () -> T, max);
    }

    static String feed(LineFormatter f, String... chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String c : chunks) {
            byte[] b = c.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(f.feed(b, 0, b.length));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void timestampedSplitsAtNewlinesAndWaitsForTheEnd() {
        LineFormatter f = f(LogFormat.TIMESTAMPED, 1000);
        assertEquals(TS + " one\n" + TS + " two\n", feed(f, "one\ntw", "o\nthr"));
        assertEquals("", feed(f, "ee"));
        assertEquals(TS + " three\n", new String(f.flush(), StandardCharsets.UTF_8));
        assertEquals(0, f.flush().length);
        assertEquals(TS + " \n", feed(f(LogFormat.TIMESTAMPED, 1000), "\n"));
    }

    @Test
    void jsonEscapesAndReplacesInvalidUtf8() {
        LineFormatter f = f(LogFormat.JSON, 1000);
        byte[] bad = {'a', (byte) 0xff, 'b', '\t', '"', '\\', 0x01, '\r', '\n'};
        String out = new String(f.feed(bad, 0, bad.length), StandardCharsets.UTF_8);
        assertEquals("{\"time\":\"" + TS + "\",\"program\":\"we\\\"b\",\"stream\":\"stdout\",\"line\":\"a\ufffdb\\t\\\"\\\\"
                + "\\u0001\\r\"}\n", out);
    }

    @Test
    void aLongLineIsCutAtTheBoundOnACharacterBoundary() {
        LineFormatter f = f(LogFormat.TIMESTAMPED, 8);
        // 6 ASCII bytes then a 3-byte character: the cut at 8 would split it, so the piece ends before it
        String out = feed(f, "abcdef\u20acgh\n");
        assertEquals(TS + " abcdef\n" + TS + " \u20acgh\n", out);
        LineFormatter g = f(LogFormat.TIMESTAMPED, 4);
        assertEquals(TS + " abcd\n" + TS + " efgh\n" + TS + " ij\n", feed(g, "abcdefghij\n"));
    }

    @Test
    void plainNeedsNone() {
        assertEquals(null, LineFormatter.of(LogFormat.PLAIN, "x", "stdout", ""));
        assertThrows(IllegalArgumentException.class, () -> f(LogFormat.PLAIN, 10));
        byte[] b = "x\n".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals((TS + " x | x\n").getBytes(StandardCharsets.UTF_8),
                new LineFormatter(LogFormat.TIMESTAMPED, "x", "stdout", "x | ", () -> T, 100).feed(b, 0, 2));
    }
}
