package dev.radial.spoke;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** schedule= in a real spoke: a job fires by itself at its times; a run due while it still runs is missed and logged. */
class ScheduleTest {
    private static List<String> lines(Path log, String marker) {
        return Daemons.read(log).lines().filter(l -> l.contains(marker)).toList();
    }

    @Test
    void firesAtItsTimesAndLogsARunMissedWhileStillRunning(@TempDir Path dir) throws Exception {
        Path runs = dir.resolve("runs");
        Path conf = Daemons.config(dir, "[program:job]\ncommand=/bin/sh -c 'date +%%s >> " + runs + "'\n"
                + "schedule=*/2 * * * * *\nautostart=false\nautorestart=false\nstartsecs=0\n"
                + "[program:slow]\ncommand=/bin/sleep 3\nschedule=* * * * * *\nautostart=false\n"
                + "autorestart=false\nstartsecs=0\n");
        Path log = dir.resolve("supervisord.log");
        try (Daemons.Running d = Daemons.spoke(conf)) {
            Daemons.await(Duration.ofSeconds(60), () -> Daemons.read(runs).lines().count() >= 3,
                    "three scheduled runs of job; log:\n" + Daemons.read(log));
            Daemons.await(Duration.ofSeconds(60), () -> !lines(log, "missed scheduled run of slow").isEmpty(),
                    "a missed run of slow; log:\n" + Daemons.read(log));
        }
        String text = Daemons.read(log);
        List<Long> at = Files.readAllLines(runs).stream().map(Long::parseLong).toList();
        for (int i = 1; i < at.size(); i++) {
            // every 2 s: consecutive runs at least a second apart even on a loaded machine (one per due time)
            assertTrue(at.get(i) - at.get(i - 1) >= 1, at + "\n" + text);
        }
        assertTrue(text.contains("scheduled run of job due at"), text);
        assertTrue(text.contains("missed scheduled run of slow due at") && text.contains(": it is still RUNNING"),
                text);
        assertTrue(lines(log, "spawned: 'job'").size() >= 3, text);
    }

    @Test
    void aScheduledProgramRemovedByUpdateNeverRunsAgain(@TempDir Path dir) throws Exception {
        Path jobRuns = dir.resolve("job-runs");
        Path clockRuns = dir.resolve("clock-runs");
        String job = "[program:job]\ncommand=/bin/sh -c 'echo x >> " + jobRuns + "'\nschedule=* * * * * *\n"
                + "autostart=false\nautorestart=false\nstartsecs=0\n";
        String clock = "[program:clock]\ncommand=/bin/sh -c 'echo x >> " + clockRuns + "'\nschedule=* * * * * *\n"
                + "autostart=false\nautorestart=false\nstartsecs=0\n";
        Path conf = Daemons.config(dir, job + clock);
        try (Daemons.Running d = Daemons.spoke(conf)) {
            Daemons.await(Duration.ofSeconds(60), () -> Daemons.read(jobRuns).lines().count() >= 1, "a run of job");
            Daemons.config(dir, clock);
            String out = d.ctl("update").stdout();
            assertTrue(out.contains("job: removed process group"), out);
            long jobs = Daemons.read(jobRuns).lines().count();
            long clocks = Daemons.read(clockRuns).lines().count();
            // the clock program, still scheduled every second, is the witness that time went by
            Daemons.await(Duration.ofSeconds(60), () -> Daemons.read(clockRuns).lines().count() >= clocks + 3,
                    "three more runs of clock");
            assertTrue(Daemons.read(jobRuns).lines().count() == jobs, "job ran after its removal");
        }
    }
}
