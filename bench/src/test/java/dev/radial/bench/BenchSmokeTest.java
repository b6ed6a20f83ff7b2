package dev.radial.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.testing.Reference;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark harness end to end at tiny sizes: every scenario runs and yields a number for each side. */
class BenchSmokeTest {
    @Test
    void everyScenarioRunsAtSmokeSizes() throws Exception {
        Reference.require();
        List<Row> rows = Bench.run(Path.of("..").toAbsolutePath().normalize(), Sizes.SMOKE,
                new PrintStream(new ByteArrayOutputStream()));
        assertEquals(23, rows.size(), Bench.table(rows));
        for (Row r : rows) {
            assertNotNull(r.ours(), r.scenario());
            assertTrue(r.ours() >= 0, r.scenario());
            // supervisord has no webhook, and Python no compact object headers
            if (!r.scenario().startsWith("8.") && !r.scenario().contains("CompactObjectHeaders")) {
                assertNotNull(r.supervisord(), r.scenario());
            }
        }
        assertTrue(Bench.table(rows).contains("| 1. spawn"), Bench.table(rows));
        for (Row r : rows) {
            if (r.scenario().startsWith("5.") && r.supervisord() != null) {
                // a figure of 0 would mean a /proc field went unread: every process has resident memory
                assertTrue(r.supervisord() > 0 && r.ours() > 0, r.scenario());
            }
        }
    }
}
