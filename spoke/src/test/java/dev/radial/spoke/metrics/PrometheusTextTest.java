package dev.radial.spoke.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The writer against the strict reader, with the characters that need escapes, and the /proc parsing. */
class PrometheusTextTest {
    @Test
    void oddLabelValuesRoundTrip() {
        String odd = "a\"b\\c\nd } {x=\"y\"} é";
        String text = new PrometheusText().family("m_total", PrometheusText.Type.COUNTER, "help with \\ and\nnewline")
                .sample(3, "name", odd, "group", "g").sample(0.25, "name", "plain", "group", "g").toString();
        Map<String, PromParser.Family> f = PromParser.parse(text.getBytes(StandardCharsets.UTF_8));
        PromParser.Family m = f.get("m_total");
        assertEquals("counter", m.type());
        assertEquals("help with \\ and\nnewline", m.help());
        assertEquals(odd, m.samples().get(0).labels().get("name"));
        assertEquals(3.0, m.samples().get(0).value());
        assertEquals(0.25, m.samples().get(1).value());
    }

    @Test
    void numbersAreWhatAParserReads() {
        assertEquals("0", PrometheusText.number(0));
        assertEquals("12345678901", PrometheusText.number(12345678901L));
        assertEquals("NaN", PrometheusText.number(Double.NaN));
        assertEquals("+Inf", PrometheusText.number(Double.POSITIVE_INFINITY));
        String t = new PrometheusText().family("x", PrometheusText.Type.GAUGE, "h").sample(1e-7).sample(1.5e20, "a", "b")
                .toString();
        assertEquals(1e-7, PromParser.parse(t.getBytes(StandardCharsets.UTF_8)).get("x").samples().get(0).value());
    }

    @Test
    void invalidNamesAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new PrometheusText().family("bad-name", PrometheusText.Type.GAUGE, "h"));
        assertThrows(IllegalArgumentException.class,
                () -> new PrometheusText().family("ok", PrometheusText.Type.GAUGE, "h").sample(1, "bad-label", "v"));
    }

    @Test
    void theStrictParserRejectsWhatTheRulesForbid() {
        for (String bad : new String[] {"x 1", "x{a=\"\\t\"} 1\n", "x{a=\"1\",a=\"2\"} 1\n", "x 1\nx 2\n",
                "# TYPE x gauge\n# TYPE x gauge\n", "x 1\ny 1\nx{a=\"b\"} 2\n", "x one\n", "x{a=b} 1\n"}) {
            assertThrows(IllegalArgumentException.class, () -> PromParser.parse(bad.getBytes(StandardCharsets.UTF_8)),
                    bad);
        }
    }

    @Test
    void procStatCountsFieldsFromTheLastParenthesis() {
        // a command named "a) (b c" in /proc/PID/stat, utime 250 ticks, stime 50 ticks
        String stat = "4242 (a) (b c) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0 123 1000 50 0\n";
        String status = "Name:\ta) (b c\nVmPeak:\t  9000 kB\nVmRSS:\t    1234 kB\nThreads:\t1\n";
        ProcStat s = ProcStat.parse(stat, status);
        assertEquals(3.0, s.cpuSeconds());
        assertEquals(1234 * 1024L, s.residentBytes());
        assertThrows(IllegalArgumentException.class, () -> ProcStat.parse(stat, "Name:\tkthread\n"));
        assertEquals(1, ProcStat.parentOf(stat));
    }

    @Test
    void aPidThatIsNoLongerOurChildIsNotReported() {
        // found in review: a child reaped after the engine's snapshot could lend its pid to a stranger, whose CPU and
        // memory would have been exported under the program's name; this test JVM is not the parent of pid 1
        java.nio.file.Path proc = java.nio.file.Path.of("/proc");
        int self = (int) ProcessHandle.current().pid();
        assertTrue(ProcStat.readChild(proc, 1, self).isEmpty(), "pid 1 is not a child of this JVM");
        int parent = (int) ProcessHandle.current().parent().orElseThrow().pid();
        assertTrue(ProcStat.readChild(proc, self, parent).isPresent(), "this JVM is a child of its parent");
    }
}
