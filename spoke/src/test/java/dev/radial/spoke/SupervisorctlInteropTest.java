package dev.radial.spoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.testing.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real supervisorctl drives the real supervisord and our spoke, loaded with the same config; every
 * command must print the same (modulo pids and times) and exit with the same code.
 */
class SupervisorctlInteropTest {
    private static final String PROGRAMS = """
            [program:run]
            command=/bin/sleep 1000
            startsecs=0
            [program:off]
            command=/bin/sleep 1000
            autostart=false
            [program:broken]
            command=/no/such/binary
            startretries=0
            [group:pair]
            programs=a,b
            [program:a]
            command=/bin/sleep 1001
            startsecs=0
            [program:b]
            command=/bin/sleep 1002
            startsecs=0
            """;

    @BeforeAll
    static void reference() {
        Reference.require();
    }

    private static List<String> session(Daemons.Running d) throws Exception {
        Daemons.await(Duration.ofSeconds(30), () -> {
            try {
                String s = d.ctl("status").stdout();
                return s.contains("broken") && s.contains("FATAL") && s.matches("(?s).*run +RUNNING.*")
                        && s.matches("(?s).*pair:b +RUNNING.*");
            } catch (Exception e) {
                return false;
            }
        }, "all autostart programs to settle");
        List<String> out = new ArrayList<>();
        String[][] commands = {{"status"}, {"status", "run"}, {"status", "nosuch"}, {"status", "pair:*"},
            {"stop", "run"}, {"stop", "run"}, {"start", "run"}, {"start", "run"}, {"start", "nosuch"},
            {"stop", "off"}, {"restart", "run"}, {"signal", "HUP", "run"}, {"signal", "HUP", "off"},
            {"pid", "run"}, {"pid", "off"}, {"stop", "pair:*"}, {"start", "pair:*"}, {"status"},
            {"start", "broken"}, {"avail"}, {"clear", "run"}, {"version"}, {"stop", "all"}, {"status"}};
        for (String[] c : commands) {
            Reference.Run r = d.ctl(c);
            String text = Daemons.withoutPidsAndTimes(r.stdout() + r.stderr());
            // supervisord reports group results in callback-completion order, which varies between runs
            // (pair:a/pair:b either way), so lines are compared as a sorted set, each line still exact
            String sorted = text.lines().sorted().collect(java.util.stream.Collectors.joining("\n"));
            out.add("$ supervisorctl " + String.join(" ", c) + " -> exit " + r.exit() + "\n" + sorted);
        }
        return out;
    }

    @Test
    void sameOutputAndExitCodesAsSupervisord(@TempDir Path dir) throws Exception {
        List<String> ref;
        try (Daemons.Running d = Daemons.supervisord(Daemons.config(dir.resolve("ref"), PROGRAMS))) {
            ref = session(d);
        }
        List<String> ours;
        try (Daemons.Running d = Daemons.spoke(Daemons.config(dir.resolve("ours"), PROGRAMS))) {
            ours = session(d);
        }
        for (int i = 0; i < ref.size(); i++) {
            assertEquals(ref.get(i), ours.get(i));
        }
    }

    @Test
    void crashedProgramIsRespawnedWithinMilliseconds(@TempDir Path dir) throws Exception {
        Path conf = Daemons.config(dir, """
                [program:flap]
                command=/bin/sh -c 'sleep 0.2; exit 1'
                autorestart=true
                startsecs=0
                ; each 0.2 s run counts as a crash now and then, not a crash loop: no brake
                restart_delay_reset=0.1
                """);
        try (Daemons.Running d = Daemons.spoke(conf)) {
            Thread.sleep(3000);
            String log = Files.readString(dir.resolve("supervisord.log"));
            long spawns = log.lines().filter(l -> l.contains("spawned: 'flap'")).count();
            // supervisord respawns about 1 s after each exit (2-3 spawns here); we respawn on the reap
            assertTrue(spawns >= 6, "expected at least 6 spawns in 3 s, log:\n" + log);
        }
    }

    @Test
    void missingCommandBacksOffThenGoesFatal(@TempDir Path dir) throws Exception {
        Path conf = Daemons.config(dir, """
                [program:ghost]
                command=/no/such/ghost
                startretries=2
                [program:fine]
                command=/bin/sleep 1000
                startsecs=0
                """);
        try (Daemons.Running d = Daemons.spoke(conf)) {
            Daemons.await(Duration.ofSeconds(20), () -> {
                try {
                    return d.ctl("status", "ghost").stdout().contains("FATAL");
                } catch (Exception e) {
                    return false;
                }
            }, "ghost to become FATAL");
            String log = Files.readString(dir.resolve("supervisord.log"));
            assertEquals(3, log.lines().filter(l -> l.contains("spawnerr: can't find command '/no/such/ghost'")).count(),
                    "1 + startretries attempts");
            assertTrue(d.ctl("status", "fine").stdout().contains("RUNNING"), "others are unaffected");
        }
    }

    @Test
    void shutdownLeavesNoGrandchildren(@TempDir Path dir) throws Exception {
        // unique sleep lengths mark this run's grandchildren
        String a = Long.toString(100000 + System.nanoTime() % 800000);
        String b = a + "1";
        Path conf = Daemons.config(dir, "[program:tree]\ncommand=/bin/sh -c 'setsid /bin/sleep " + a
                + " & /bin/sleep " + b + " & wait'\nstartsecs=0\n");
        try (Daemons.Running d = Daemons.spoke(conf)) {
            Daemons.await(Duration.ofSeconds(20), () -> countSleeps(a, b) == 2, "both grandchildren to run");
            d.process().destroy(); // SIGTERM: orderly shutdown
            assertTrue(d.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, d.process().exitValue());
            Daemons.await(Duration.ofSeconds(10), () -> countSleeps(a, b) == 0, "no grandchild left running");
        } finally {
            Daemons.killRunning("/bin/sleep " + a);
            Daemons.killRunning("/bin/sleep " + b);
        }
    }

    private static long countSleeps(String a, String b) {
        return Daemons.processesRunning("/bin/sleep " + a) + Daemons.processesRunning("/bin/sleep " + b);
    }

    @Test
    void badConfigExitsTwoNamingFileSectionAndKey(@TempDir Path dir) throws Exception {
        Path conf = Daemons.config(dir, """
                [program:web]
                command=/bin/true
                startsecs=abc
                """);
        Reference.Run r = Reference.run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                SpokeMain.class.getName(), "-c", conf.toString()),
                null, dir, 60);
        assertEquals(2, r.exit());
        assertTrue(r.stderr().contains(conf + " [program:web] startsecs: 'abc' is not an integer"), r.stderr());
    }
}
