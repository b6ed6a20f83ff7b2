package dev.radial.spoke;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The crash-loop brake in a real spoke with real children (timings are in SubprocessStateMachineTest). */
class CrashLoopTest {
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    private static List<String> lines(Path log, String marker) {
        return Daemons.read(log).lines().filter(l -> l.contains(marker)).toList();
    }

    @Test
    void aProgramThatExitsAtOnceIsSpacedOutNotFlooding(@TempDir Path dir) throws Exception {
        Path conf = Daemons.config(dir, "[program:loop]\ncommand=/bin/true\nstartsecs=0\nautorestart=true\n"
                + "stdout_logfile=NONE\nstderr_logfile=NONE\n");
        Path log = dir.resolve("supervisord.log");
        try (Daemons.Running d = Daemons.spoke(conf)) {
            Daemons.await(Duration.ofSeconds(60), () -> lines(log, "spawned: 'loop'").size() >= 9,
                    "nine spawns of loop");
        }
        List<String> spawns = lines(log, "spawned: 'loop'");
        LocalDateTime first = LocalDateTime.parse(spawns.get(0).substring(0, 23), LOG_TIME);
        LocalDateTime ninth = LocalDateTime.parse(spawns.get(8).substring(0, 23), LOG_TIME);
        // waits 10+20+40+80+160+320+640+1000 ms; a loaded machine only adds to it (1 ms log resolution)
        long ms = Duration.between(first, ninth).toMillis();
        assertTrue(ms >= 2270 - 8, "nine spawns took only " + ms + " ms:\n" + String.join("\n", spawns));
        assertTrue(Daemons.read(log).contains("waiting 1 s before restarting loop"), Daemons.read(log));
    }

    @Test
    void aProgramThatRanLongerThanTheResetIsRespawnedWithoutWaiting(@TempDir Path dir) throws Exception {
        Path conf = Daemons.config(dir, "[program:now-and-then]\ncommand=/bin/sh -c 'sleep 0.3; exit 1'\n"
                + "startsecs=0\nautorestart=true\nrestart_delay_reset=0.2\nstdout_logfile=NONE\n"
                + "stderr_logfile=NONE\n");
        Path log = dir.resolve("supervisord.log");
        try (Daemons.Running d = Daemons.spoke(conf)) {
            Daemons.await(Duration.ofSeconds(60), () -> lines(log, "spawned: 'now-and-then'").size() >= 4,
                    "four spawns");
        }
        assertTrue(lines(log, "exited: now-and-then (exit status 1; not expected)").size() >= 3, Daemons.read(log));
        assertFalse(Daemons.read(log).contains("waiting"), Daemons.read(log));
    }
}
