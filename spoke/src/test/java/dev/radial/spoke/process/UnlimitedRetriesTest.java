package dev.radial.spoke.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.states.ProcessState;
import dev.radial.spoke.os.ExitStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * startretries_unlimited=true through the injectable clock: BACKOFF never gives up, its delays grow as
 * supervisord's (1 s, 2 s, 3 s ...) up to the cap of {@link BackoffDelay}, and restart_limit still bounds it.
 */
class UnlimitedRetriesTest {
    /** A program that exits at once after each spawn, n times; the time of each STARTING that followed. */
    private static List<Long> failQuickly(FakeHost host, Subprocess p, int n) {
        p.transition();
        for (int i = 0; i < n; i++) {
            assertEquals(ProcessState.STARTING, p.state(), "retry " + i);
            host.exit(p, new ExitStatus.Exited(1));
            assertEquals(ProcessState.BACKOFF, p.state(), "after failure " + (i + 1));
            awaitRetry(host, p);
        }
        return delays(host);
    }

    /** Lets the fake clock run (timers fire at their deadlines) until the BACKOFF retry starts or gives up. */
    private static void awaitRetry(FakeHost host, Subprocess p) {
        for (int i = 0; i < 100_000 && p.state() == ProcessState.BACKOFF; i++) {
            host.advance(10);
        }
    }

    /** The child exits at once (before startsecs); the clock runs until the retry starts or gives up. */
    private static void failOnce(FakeHost host, Subprocess p) {
        host.exit(p, new ExitStatus.Exited(1));
        awaitRetry(host, p);
    }

    /** The wait before each retry: from BACKOFF to the STARTING that follows, in ms. */
    private static List<Long> delays(FakeHost host) {
        List<Long> out = new ArrayList<>();
        long backoffAt = -1;
        for (FakeHost.Change c : host.changes) {
            if (c.to() == ProcessState.BACKOFF) {
                backoffAt = c.atMillis();
            } else if (c.to() == ProcessState.STARTING && backoffAt >= 0) {
                out.add(c.atMillis() - backoffAt);
                backoffAt = -1;
            }
        }
        return out;
    }

    @Test
    void neverFatalAndTheDelaysGrowToStartretriesSecondsByDefault(@TempDir Path dir) throws Exception {
        FakeHost[] h = new FakeHost[1];
        Subprocess p = FakeHost.program(dir, "startretries_unlimited=true", h);
        FakeHost host = h[0];
        List<Long> d = failQuickly(host, p, 12);
        // startretries=3, restart_delay_max=1: supervisord's 1, 2, 3 s, then 3 s for ever
        assertEquals(List.of(1000L, 2000L, 3000L, 3000L, 3000L, 3000L, 3000L, 3000L, 3000L, 3000L, 3000L, 3000L), d);
        assertTrue(host.changes.stream().noneMatch(c -> c.to() == ProcessState.FATAL), host.changes.toString());
        assertEquals(13, host.spawnedPids.size());
        assertTrue(!host.logText().contains("gave up"), host.logText());
    }

    @Test
    void restartDelayMaxRaisesTheCap(@TempDir Path dir) throws Exception {
        FakeHost[] h = new FakeHost[1];
        Subprocess p = FakeHost.program(dir, "startretries_unlimited=true\nstartretries=1\nrestart_delay_max=4.5", h);
        List<Long> d = failQuickly(h[0], p, 8);
        assertEquals(List.of(1000L, 2000L, 3000L, 4000L, 4500L, 4500L, 4500L, 4500L), d);
    }

    @Test
    void startretriesZeroStillWaitsASecond(@TempDir Path dir) throws Exception {
        // restart_delay_max=0 and startretries=0: the cap's floor of 1 s, never a spawn loop
        FakeHost[] h = new FakeHost[1];
        Subprocess p = FakeHost.program(dir, "startretries_unlimited=true\nstartretries=0\nrestart_delay=0\n"
                + "restart_delay_max=0", h);
        assertEquals(List.of(1000L, 1000L, 1000L, 1000L), failQuickly(h[0], p, 4));
    }

    @Test
    void withoutTheKeySupervisordsBoundHolds(@TempDir Path dir) throws Exception {
        FakeHost[] h = new FakeHost[1];
        Subprocess p = FakeHost.program(dir, "startretries_unlimited=false\nrestart_delay_max=30", h);
        FakeHost host = h[0];
        p.transition();
        for (int i = 0; i < 4; i++) {
            failOnce(host, p);
        }
        assertEquals(ProcessState.FATAL, p.state());
        assertEquals(List.of(1000L, 2000L, 3000L), delays(host), "the cap does not touch bounded retries");
    }

    @Test
    void aProgramThatFinallyStaysUpIsRunningAndItsDelaysStartOver(@TempDir Path dir) throws Exception {
        FakeHost[] h = new FakeHost[1];
        Subprocess p = FakeHost.program(dir, "startretries_unlimited=true\nstartretries=1\nautorestart=true", h);
        FakeHost host = h[0];
        failQuickly(host, p, 6);
        assertEquals(ProcessState.STARTING, p.state());
        host.advance(1_000);
        assertEquals(ProcessState.RUNNING, p.state(), "it stayed up for startsecs");
        assertEquals(0, p.backoff());
        host.advance(20_000);
        host.exit(p, new ExitStatus.Exited(1)); // a long run: autorestarted at once
        assertEquals(ProcessState.STARTING, p.state());
        host.exit(p, new ExitStatus.Exited(1));
        int before = host.changes.size();
        awaitRetry(host, p);
        assertEquals(ProcessState.STARTING, p.state());
        List<Long> d = delays(host);
        assertEquals(1000L, d.get(d.size() - 1), "the first retry of a new streak waits 1 s again");
        assertTrue(host.changes.size() > before);
    }

    @Test
    void restartLimitBoundsUnlimitedRetries(@TempDir Path dir) throws Exception {
        // 1, 2, 3, 3 s: the 4th retry within 10 s would exceed 3/10
        FakeHost[] h = new FakeHost[1];
        Subprocess p = FakeHost.program(dir, "startretries_unlimited=true\nrestart_limit=3/10", h);
        FakeHost host = h[0];
        p.transition();
        for (int i = 0; i < 4; i++) {
            failOnce(host, p);
        }
        assertEquals(ProcessState.FATAL, p.state());
        assertEquals("restart limit reached: 3 restarts in 10 s (restart_limit)", p.spawnerr());
        assertEquals(4, host.spawnedPids.size(), "the first start and three retries");
        FakeHost.Change last = host.changes.get(host.changes.size() - 1);
        assertEquals(new FakeHost.Change(9_000, ProcessState.BACKOFF, ProcessState.FATAL, true), last);
        assertTrue(host.logText().contains("gave up: p entered FATAL state, restart limit reached"), host.logText());
        host.advance(600_000);
        assertEquals(ProcessState.FATAL, p.state(), "FATAL stays");
    }

    @Test
    void retriesSpreadWiderThanTheLimitGoOn(@TempDir Path dir) throws Exception {
        // retries 1, 3, 6, 10 s after the first failure: the fourth is within 10 s of the first
        FakeHost[] h = new FakeHost[1];
        Subprocess p = FakeHost.program(dir, "startretries_unlimited=true\nstartretries=4\nrestart_limit=3/10", h);
        FakeHost host = h[0];
        p.transition();
        for (int i = 0; i < 3; i++) { // 1, 2, 3 s: three retries in 6 s
            failOnce(host, p);
        }
        failOnce(host, p);
        assertEquals(ProcessState.FATAL, p.state());
        assertEquals(10_000, host.changes.get(host.changes.size() - 1).atMillis());

        FakeHost[] h2 = new FakeHost[1];
        Subprocess q = FakeHost.program(dir, "startretries_unlimited=true\nstartretries=1\nrestart_delay_max=4\n"
                + "restart_limit=3/6", h2);
        List<Long> d = failQuickly(h2[0], q, 15); // retries at 1, 3, 6, 10, 14 ... s: never four within 6 s
        assertEquals(ProcessState.STARTING, q.state(), d.toString());
        assertEquals(List.of(1000L, 2000L, 3000L, 4000L, 4000L), d.subList(0, 5));
    }
}
