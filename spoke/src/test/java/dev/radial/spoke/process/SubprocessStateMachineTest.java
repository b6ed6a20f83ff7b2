package dev.radial.spoke.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.config.Signals;
import dev.radial.common.states.ProcessState;
import dev.radial.spoke.os.ExitStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * supervisord's eight-state machine, move by move, on a fake clock and a launcher that starts nothing (no
 * real process, no sleeping). Each case is a program's keys, a script, and the states it must pass through
 * with the time of each ("ms:STATE"), plus the signals sent ("ms:SIG").
 *
 * <p>Script steps, separated by ';': {@code auto} (the engine's first pass: autostart), {@code start}
 * (startProcess), {@code stop} (stopProcess), {@code +N} (N ms pass, timers fire at their deadlines),
 * {@code skip N} (N ms pass before the engine looks: an exit and a due timer in one loop iteration, where the
 * exit is handled first), {@code exit N} (the child exits with code N), {@code killed N} (it dies of signal
 * N), {@code failspawn} (the next spawn fails), {@code eperm} (the next signal is refused), {@code liveness} (a
 * liveness probe failed: spoke.health's restart).
 */
class SubprocessStateMachineTest {
    record Case(String name, String keys, String script, String states, String signals) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("startsecs passed: STARTING -> RUNNING", "", "auto; +999; +1",
                        "0:STARTING 1000:RUNNING", ""),
                new Case("a failed liveness probe restarts: stop, then start, whatever autorestart says",
                        "startsecs=0\nautorestart=false", "auto; +100; liveness; +50; killed 15; +1",
                        "0:STARTING 0:RUNNING 100:STOPPING 150:STOPPED 150:STARTING 150:RUNNING", "100:TERM"),
                new Case("a liveness restart uses stopsignal and stopwaitsecs", "startsecs=0\nstopsignal=INT\nstopwaitsecs=2",
                        "auto; liveness; +2000; killed 9; +1",
                        "0:STARTING 0:RUNNING 0:STOPPING 2000:STOPPED 2000:STARTING 2000:RUNNING", "0:INT 2000:KILL"),
                new Case("a stop during a liveness restart cancels its start", "startsecs=0",
                        "auto; +100; liveness; +10; stop; +40; killed 15; +1000",
                        "0:STARTING 0:RUNNING 100:STOPPING 150:STOPPED", "100:TERM 110:TERM"),
                new Case("stopProcess while a liveness restart is STOPPING cancels its start (an RPC's stop of a "
                        + "process not RUNNING)", "startsecs=0", "auto; +100; liveness; +10; cancel; +40; killed 15; +1000",
                        "0:STARTING 0:RUNNING 100:STOPPING 150:STOPPED", "100:TERM"),
                new Case("a liveness failure outside RUNNING is ignored", "", "auto; liveness; +5", "0:STARTING", ""),
                new Case("startsecs=0 is RUNNING at once", "startsecs=0", "auto", "0:STARTING 0:RUNNING", ""),
                new Case("autostart=false stays STOPPED", "autostart=false", "auto; +5000", "", ""),
                new Case("exit before startsecs: BACKOFF 1 s, 2 s, 3 s, then FATAL after startretries",
                        "startsecs=1\nstartretries=3",
                        "auto; +500; exit 0; +999; +1; exit 0; +1999; +1; exit 1; +3000; killed 9",
                        "0:STARTING 500:BACKOFF 1500:STARTING 1500:BACKOFF 3500:STARTING 3500:BACKOFF "
                                + "6500:STARTING 6500:BACKOFF 6500:FATAL", ""),
                new Case("startretries=0: the first quick exit is FATAL", "startretries=0", "auto; exit 0",
                        "0:STARTING 0:BACKOFF 0:FATAL", ""),
                new Case("BACKOFF's counter resets once RUNNING", "startretries=1",
                        "auto; exit 1; +1000; +1000; exit 1; +10; exit 1; +1000; exit 1",
                        "0:STARTING 0:BACKOFF 1000:STARTING 2000:RUNNING 2000:EXITED 2010:STARTING 2010:BACKOFF "
                                + "3010:STARTING 3010:BACKOFF 3010:FATAL", ""),
                new Case("a failed spawn is a BACKOFF too", "", "failspawn; auto; +1000; +1000",
                        "0:STARTING 0:BACKOFF 1000:STARTING 2000:RUNNING", ""),
                new Case("an exit and the startsecs timer in one pass: RUNNING, then EXITED", "autorestart=false",
                        "auto; skip 1500; exit 3", "0:STARTING 1500:RUNNING 1500:EXITED", ""),
                new Case("autorestart=false: EXITED stays", "startsecs=0\nautorestart=false",
                        "auto; +20000; exit 1; +60000", "0:STARTING 0:RUNNING 20000:EXITED", ""),
                new Case("autorestart=unexpected, expected code: EXITED stays", "startsecs=0\nexitcodes=0,2",
                        "auto; +20000; exit 2; +60000", "0:STARTING 0:RUNNING 20000:EXITED", ""),
                new Case("autorestart=unexpected, other code: restarted at once after a long run",
                        "startsecs=0\nexitcodes=0,2", "auto; +20000; exit 1",
                        "0:STARTING 0:RUNNING 20000:EXITED 20000:STARTING 20000:RUNNING", ""),
                new Case("autorestart=unexpected, killed by a signal (es -1) is unexpected", "startsecs=0",
                        "auto; +20000; killed 11", "0:STARTING 0:RUNNING 20000:EXITED 20000:STARTING 20000:RUNNING",
                        ""),
                new Case("autorestart=true restarts an expected exit", "startsecs=0\nautorestart=true",
                        "auto; +20000; exit 0", "0:STARTING 0:RUNNING 20000:EXITED 20000:STARTING 20000:RUNNING",
                        ""),
                new Case("a quick exit waits restart_delay before the autorestart", "startsecs=0\nautorestart=true",
                        "auto; +100; exit 0; +9; +1; +100; exit 0; +19; +1",
                        "0:STARTING 0:RUNNING 100:EXITED 110:STARTING 110:RUNNING 210:EXITED 230:STARTING "
                                + "230:RUNNING", ""),
                new Case("restart_delay=0 turns the brake off", "startsecs=0\nautorestart=true\nrestart_delay=0",
                        "auto; +1; exit 0; +1; exit 0",
                        "0:STARTING 0:RUNNING 1:EXITED 1:STARTING 1:RUNNING 2:EXITED 2:STARTING 2:RUNNING", ""),
                new Case("stop: TERM, then KILL after stopwaitsecs", "startsecs=0\nstopwaitsecs=2",
                        "auto; +100; stop; +1999; +1; killed 9",
                        "0:STARTING 0:RUNNING 100:STOPPING 2100:STOPPED", "100:TERM 2100:KILL"),
                new Case("stop with stopsignal, exit in time: no KILL", "stopsignal=INT\nstopwaitsecs=10",
                        "auto; +1000; stop; +500; exit 0; +20000",
                        "0:STARTING 1000:RUNNING 1000:STOPPING 1500:STOPPED", "1000:INT"),
                new Case("a stopped autorestart=true program is not restarted", "startsecs=0\nautorestart=true",
                        "auto; stop; killed 15; +60000", "0:STARTING 0:RUNNING 0:STOPPING 0:STOPPED", "0:TERM"),
                new Case("stop while STARTING", "startsecs=5", "auto; +100; stop; exit 0",
                        "0:STARTING 100:STOPPING 100:STOPPED", "100:TERM"),
                new Case("stop in BACKOFF: STOPPED without a signal, no more retries", "",
                        "auto; exit 1; stop; +10000", "0:STARTING 0:BACKOFF 0:STOPPED", ""),
                new Case("a refused signal is UNKNOWN; its exit then STOPPED", "startsecs=0",
                        "auto; eperm; stop; +30000; exit 0",
                        "0:STARTING 0:RUNNING 0:STOPPING 0:UNKNOWN 30000:STOPPED", "0:TERM"),
                new Case("start after FATAL begins afresh", "startretries=0", "auto; exit 1; +5000; start; +1000",
                        "0:STARTING 0:BACKOFF 0:FATAL 5000:STARTING 6000:RUNNING", ""),
                new Case("start after EXITED", "startsecs=0\nautorestart=false",
                        "auto; +20000; exit 0; +5; start",
                        "0:STARTING 0:RUNNING 20000:EXITED 20005:STARTING 20005:RUNNING", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void transitions(Case c, @TempDir Path dir) throws Exception {
        FakeHost[] h = new FakeHost[1];
        Subprocess p = FakeHost.program(dir, c.keys(), h);
        FakeHost host = h[0];
        for (String raw : c.script().split(";")) {
            String step = raw.strip();
            String arg = step.contains(" ") ? step.substring(step.indexOf(' ') + 1) : "";
            switch (step.contains(" ") ? step.substring(0, step.indexOf(' ')) : step) {
                case "auto" -> p.transition();
                case "start" -> {
                    p.spawn();
                    p.transition();
                }
                case "stop" -> {
                    p.stop();
                    p.transition();
                }
                case "liveness" -> p.restartForLiveness("liveness probe failed for 'x' (3 times): restarting");
                case "cancel" -> {
                    p.cancelPendingStart();
                    p.transition();
                }
                case "exit" -> host.exit(p, new ExitStatus.Exited(Integer.parseInt(arg)));
                case "killed" -> host.exit(p, new ExitStatus.Signaled(Integer.parseInt(arg), false));
                case "skip" -> host.skip(Long.parseLong(arg));
                case "failspawn" -> host.failNextSpawn = "couldn't exec /bin/true: ENOENT";
                case "eperm" -> host.signalResult = new ProcessLauncher.SignalResult.Failed("Operation not permitted");
                default -> {
                    if (!step.startsWith("+")) {
                        throw new IllegalArgumentException("bad step " + step);
                    }
                    host.advance(Long.parseLong(step.substring(1)));
                }
            }
        }
        assertEquals(c.states(), host.changes.stream().map(FakeHost.Change::toString).collect(Collectors.joining(" ")),
                "log:\n" + host.logText());
        assertEquals(c.signals(), host.signals.stream().map(s -> s.atMillis() + ":" + Signals.name(s.sig()))
                .collect(Collectors.joining(" ")));
    }

    /** Spawn times of a program that exits 1 ms after each start, over simulated seconds. */
    private static List<Long> crashLoopSpawns(Path dir, String keys, long forMillis) throws Exception {
        FakeHost[] h = new FakeHost[1];
        Subprocess p = FakeHost.program(dir, "startsecs=0\nautorestart=true\n" + keys, h);
        FakeHost host = h[0];
        List<Long> spawns = new ArrayList<>();
        p.transition();
        while (host.millis() < forMillis) {
            if (p.state() == ProcessState.RUNNING) {
                spawns.add(host.millis());
                host.advance(1);
                host.exit(p, new ExitStatus.Exited(0));
            } else {
                assertEquals(ProcessState.EXITED, p.state());
                long next = host.nextTimerMillis();
                assertTrue(next > host.millis(), "a braked restart has a timer");
                host.advance(next - host.millis());
            }
        }
        return spawns;
    }

    @Test
    void aCrashLoopIsBrakedToAboutOneSpawnPerSecond(@TempDir Path dir) throws Exception {
        List<Long> spawns = crashLoopSpawns(dir, "", 10_000);
        List<Long> waits = new ArrayList<>();
        for (int i = 1; i < spawns.size(); i++) {
            waits.add(spawns.get(i) - spawns.get(i - 1) - 1); // minus the 1 ms run
        }
        assertEquals(List.of(10L, 20L, 40L, 80L, 160L, 320L, 640L, 1000L, 1000L), waits.subList(0, 9));
        assertTrue(waits.subList(7, waits.size()).stream().allMatch(w -> w == 1000), waits.toString());
        // supervisord's 1 s tick gives about 10 in 10 s; unbraked this loop would spawn 10,000 times
        assertEquals(16, spawns.size(), spawns.toString());
    }

    @Test
    void theBrakeKeysShapeTheLoop(@TempDir Path dir) throws Exception {
        List<Long> spawns = crashLoopSpawns(dir, "restart_delay=0.1\nrestart_delay_max=0.3", 2_000);
        assertEquals(List.of(0L, 101L, 302L, 603L, 904L, 1205L, 1506L, 1807L), spawns);
        List<Long> unbraked = crashLoopSpawns(java.nio.file.Files.createDirectories(dir.resolve("off")),
                "restart_delay=0", 100);
        assertEquals(100, unbraked.size(), "without the brake: respawned as each 1 ms run ends");
    }

    @Test
    void aLongRunForgetsTheLoopAndTheNextCrashRespawnsAtOnce(@TempDir Path dir) throws Exception {
        FakeHost[] h = new FakeHost[1];
        Subprocess p = FakeHost.program(dir, "startsecs=0\nautorestart=true\nrestart_delay_reset=5", h);
        FakeHost host = h[0];
        p.transition();
        for (int i = 0; i < 8; i++) { // build the wait up to the cap
            host.advance(1);
            host.exit(p, new ExitStatus.Exited(0));
            host.advance(host.nextTimerMillis() - host.millis());
        }
        assertEquals(ProcessState.RUNNING, p.state());
        host.advance(5_000); // it now runs for restart_delay_reset
        long exitAt = host.millis();
        host.exit(p, new ExitStatus.Exited(1));
        assertEquals(ProcessState.RUNNING, p.state(), "respawned in the same pass as the exit");
        FakeHost.Change last = host.changes.get(host.changes.size() - 2);
        assertEquals(new FakeHost.Change(exitAt, ProcessState.EXITED, ProcessState.STARTING, true), last);
        // the next quick exit starts again from restart_delay
        host.advance(1);
        host.exit(p, new ExitStatus.Exited(1));
        assertEquals(ProcessState.EXITED, p.state());
        assertEquals(host.millis() + 10, host.nextTimerMillis());
        assertTrue(host.logText().contains("waiting 0.01 s before restarting p: it exited less than 5 s after it "
                + "started (restart_delay)"), host.logText());
    }

    @Test
    void aManualStartIsNeverBraked(@TempDir Path dir) throws Exception {
        FakeHost[] h = new FakeHost[1];
        Subprocess p = FakeHost.program(dir, "startsecs=0\nautorestart=false", h);
        FakeHost host = h[0];
        p.transition();
        for (int i = 0; i < 20; i++) {
            host.advance(1);
            host.exit(p, new ExitStatus.Exited(0));
            assertEquals(ProcessState.EXITED, p.state());
            p.spawn(); // startProcess
            p.transition();
            assertEquals(ProcessState.RUNNING, p.state(), "started at once, run " + i);
        }
        assertEquals(21, host.spawnedPids.size());
    }

    @Test
    void aLogNameThatCannotBeAPathIsASpawnErrorNotAStuckStart(@TempDir Path dir) throws Exception {
        // a name the JVM cannot turn into a path (here a NUL; in the C locale any non-ASCII name) used to throw
        // out of spawn() and leave the process STARTING without a pid, which hung the shutdown
        FakeHost[] h = new FakeHost[1];
        Subprocess p = FakeHost.program(dir, "bad\u0000name", "startretries=0\n", h);
        assertNull(p.stdoutLogPath(), "a status call still answers");
        p.transition();
        assertEquals("0:STARTING 0:BACKOFF 0:FATAL", h[0].changes.stream().map(FakeHost.Change::toString)
                .collect(Collectors.joining(" ")));
        assertTrue(p.spawnerr().startsWith("couldn't open log file: "), p.spawnerr());
        assertEquals(0, p.pid());
    }

    @Test
    void aCommandThatCannotBeAPathIsASpawnErrorToo(@TempDir Path dir) throws Exception {
        FakeHost[] h = new FakeHost[1];
        Subprocess p = FakeHost.program(dir, "p", "command=/bin/tr\u0000ue\nstartretries=0\nstdout_logfile=NONE\n"
                + "stderr_logfile=NONE\n", h);
        p.transition();
        assertEquals(ProcessState.FATAL, p.state(), h[0].logText());
        assertTrue(p.spawnerr().startsWith("can't find command"), p.spawnerr());
    }
}
