package dev.radial.spoke;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.testing.Reference;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * startretries_unlimited=true with real children in a real spoke (the exact delays are in UnlimitedRetriesTest,
 * on the injected clock), and the same file in the real supervisord 4.2.5, which ignores the key.
 */
class UnlimitedRetriesProcessTest {
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");
    private static final String ALWAYS_FAILS = "[program:crash]\ncommand=/bin/sh -c 'exit 3'\nstartretries=2\n"
            + "startretries_unlimited=true\nstdout_logfile=NONE\nstderr_logfile=NONE\n";

    private static List<String> lines(Path log, String marker) {
        return Daemons.read(log).lines().filter(l -> l.contains(marker)).toList();
    }

    private static String status(Daemons.Running d, String name) {
        try {
            return d.ctl("status", name).stdout();
        } catch (java.io.IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static long at(String line) {
        return LocalDateTime.parse(line.substring(0, 23), LOG_TIME).atZone(java.time.ZoneOffset.UTC).toInstant()
                .toEpochMilli();
    }

    @Test
    void aProgramThatAlwaysFailsIsRetriedPastStartretriesWithCappedDelays(@TempDir Path dir) throws Exception {
        Path conf = Daemons.config(dir, ALWAYS_FAILS);
        Path log = dir.resolve("supervisord.log");
        try (Daemons.Running d = Daemons.spoke(conf)) {
            Daemons.await(Duration.ofSeconds(90), () -> lines(log, "spawned: 'crash'").size() >= 7,
                    "seven spawns of crash (startretries=2 would stop at three)");
            String status = d.ctl("status", "crash").stdout();
            assertTrue(status.contains("BACKOFF") || status.contains("STARTING"), status);
        }
        assertFalse(Daemons.read(log).contains("gave up"), Daemons.read(log));
        List<String> spawns = lines(log, "spawned: 'crash'");
        // delays 1 s, 2 s, then the cap max(startretries=2 s, restart_delay_max=1 s) = 2 s; the exit comes on top.
        // A loaded machine only adds time: the lower bounds are exact (1 ms log resolution), the upper ones generous
        long[] min = {1000, 2000, 2000, 2000, 2000, 2000};
        for (int i = 0; i < 6; i++) {
            long gap = at(spawns.get(i + 1)) - at(spawns.get(i));
            assertTrue(gap >= min[i] - 2, "retry " + (i + 1) + " after " + gap + " ms:\n" + String.join("\n", spawns));
            assertTrue(gap < min[i] + 15_000, "retry " + (i + 1) + " after " + gap + " ms: the delay is capped");
        }
    }

    @Test
    void aProgramThatEventuallyStaysUpGoesRunning(@TempDir Path dir) throws Exception {
        // fails its first five starts (more than startretries=1), then stays up
        Path conf = Daemons.config(dir, "[program:late]\ncommand=/bin/sh -c 'n=$(cat %(here)s/count 2>/dev/null"
                + " || echo 0); echo $((n+1)) > %(here)s/count; [ $n -ge 5 ] && exec sleep 100000; exit 1'\n"
                + "startretries=1\nstartretries_unlimited=true\nstdout_logfile=NONE\nstderr_logfile=NONE\n");
        Path log = dir.resolve("supervisord.log");
        try (Daemons.Running d = Daemons.spoke(conf)) {
            Daemons.await(Duration.ofSeconds(90), () -> status(d, "late").contains("RUNNING"),
                    "late RUNNING");
            assertTrue(Daemons.read(log).contains("success: late entered RUNNING state"), Daemons.read(log));
            assertTrue(lines(log, "spawned: 'late'").size() == 6, Daemons.read(log));
        }
    }

    @Test
    void realSupervisordIgnoresTheKeyAndGivesUp(@TempDir Path dir) throws Exception {
        Reference.require();
        Path conf = Daemons.config(dir, ALWAYS_FAILS);
        try (Daemons.Running d = Daemons.supervisord(conf)) {
            Daemons.await(Duration.ofSeconds(60), () -> status(d, "crash").contains("FATAL"),
                    "crash FATAL in supervisord after startretries=2");
        }
        assertTrue(Daemons.read(dir.resolve("supervisord.log")).contains("gave up: crash entered FATAL state"));
    }
}
