package dev.radial.spoke.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.config.RestartLimit;
import dev.radial.common.states.ProcessState;
import dev.radial.spoke.os.ExitStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** restart_limit=N/SECONDS through the injectable clock: the N+1-th autorestart within the interval is FATAL. */
class RestartLimitTest {
    private static final String LOOP = "startsecs=0\nautorestart=true\nrestart_delay=0\n";

    @Test
    void theRestartBeyondTheLimitGoesFatal(@TempDir Path dir) throws Exception {
        FakeHost[] h = new FakeHost[1];
        Subprocess p = FakeHost.program(dir, LOOP + "restart_limit=3/10", h);
        FakeHost host = h[0];
        p.transition();
        for (int i = 0; i < 3; i++) {
            host.advance(1_000);
            host.exit(p, new ExitStatus.Exited(1));
            assertEquals(ProcessState.RUNNING, p.state(), "restart " + (i + 1) + " is within the limit");
        }
        host.advance(1_000);
        host.exit(p, new ExitStatus.Exited(1));
        assertEquals(ProcessState.FATAL, p.state());
        assertEquals("restart limit reached: 3 restarts in 10 s (restart_limit)", p.spawnerr());
        assertEquals(4, host.spawnedPids.size(), "the first run and three restarts");
        assertTrue(host.logText().contains("gave up: p entered FATAL state, restart limit reached"), host.logText());
        host.advance(60_000);
        assertEquals(ProcessState.FATAL, p.state(), "FATAL stays: nothing restarts it by itself");
        FakeHost.Change last = host.changes.get(host.changes.size() - 1);
        assertEquals(new FakeHost.Change(4_000, ProcessState.EXITED, ProcessState.FATAL, false), last);
    }

    @Test
    void restartsSpreadOverMoreThanTheIntervalGoOnForever(@TempDir Path dir) throws Exception {
        FakeHost[] h = new FakeHost[1];
        Subprocess p = FakeHost.program(dir, LOOP + "restart_limit=3/10", h);
        FakeHost host = h[0];
        p.transition();
        for (int i = 0; i < 20; i++) {
            host.advance(3_400); // three restarts take 10.2 s: never four in any 10 s
            host.exit(p, new ExitStatus.Exited(1));
            assertEquals(ProcessState.RUNNING, p.state(), "restart " + (i + 1));
        }
        assertEquals(21, host.spawnedPids.size());
    }

    @Test
    void withTheCrashLoopBrake(@TempDir Path dir) throws Exception {
        // the brake spaces restarts 0.1, 0.2, 0.4 s ...: the limit counts them all the same
        FakeHost[] h = new FakeHost[1];
        Subprocess p = FakeHost.program(dir, "startsecs=0\nautorestart=true\nrestart_delay=0.1\nrestart_limit=2/5", h);
        FakeHost host = h[0];
        p.transition();
        for (int i = 0; i < 3; i++) {
            host.advance(10);
            host.exit(p, new ExitStatus.Exited(1));
            host.advance(host.nextTimerMillis() - host.millis());
        }
        assertEquals(ProcessState.FATAL, p.state());
        assertEquals(List.of(0L, 110L, 320L), host.changes.stream().filter(c -> c.to() == ProcessState.STARTING)
                .map(FakeHost.Change::atMillis).toList());
    }

    @Test
    void parse() {
        assertEquals(new RestartLimit(5, Duration.ofSeconds(60)), RestartLimit.parse(" 5 / 60 "));
        assertEquals(new RestartLimit(1, Duration.ofMillis(500)), RestartLimit.parse("1/.5"));
        assertEquals("'5' is not RESTARTS/SECONDS (such as 5/60)",
                assertThrows(IllegalArgumentException.class, () -> RestartLimit.parse("5")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> RestartLimit.parse("0/60"));
        assertThrows(IllegalArgumentException.class, () -> RestartLimit.parse("5/0"));
        assertThrows(IllegalArgumentException.class, () -> RestartLimit.parse("5/100000"));
        assertThrows(IllegalArgumentException.class, () -> RestartLimit.parse("x/60"));
        assertThrows(IllegalArgumentException.class, () -> RestartLimit.parse("5/-1"));
    }
}
