package dev.radial.spoke.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.config.Probe;
import dev.radial.spoke.logging.MainLog;
import dev.radial.spoke.process.Subprocess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A probe's schedule on an injected clock and a fake host (no processes): the initial delay, one attempt per
 * period measured from the start of the previous one, never two at once, a command killed at its timeout, one
 * timeout timer however long the timeout, and nothing reported after stop.
 */
class ProbeRunnerTest {
    private static final long MS = 1_000_000L;

    /** The engine as the runner sees it: a clock the test moves, a timer queue, commands the test finishes. */
    static final class FakeHost implements ProbeHost {
        record Timer(long at, long seq, Runnable action) {
        }

        long now;
        long seq;
        final PriorityQueue<Timer> timers = new PriorityQueue<>(Comparator.comparingLong(Timer::at)
                .thenComparingLong(Timer::seq));
        final List<Consumer<Outcome>> running = new ArrayList<>();
        final List<Long> started = new ArrayList<>();
        int killed;
        final List<String> changes = new ArrayList<>();

        void advance(long toNanos) {
            while (!timers.isEmpty() && timers.peek().at() <= toNanos) {
                Timer t = timers.poll();
                now = Math.max(now, t.at());
                t.action().run();
            }
            now = toNanos;
        }

        /** Finishes the oldest command still running. */
        void complete(boolean ok) {
            running.remove(0).accept(new Outcome(ok, ok ? "exit status 0" : "exit status 1"));
        }

        @Override
        public MainLog log() {
            return null;
        }

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void at(long deadlineNanos, Runnable action) {
            timers.add(new Timer(deadlineNanos, seq++, action));
        }

        @Override
        public Executor engineThread() {
            return Runnable::run;
        }

        @Override
        public NetworkProbes network() {
            throw new UnsupportedOperationException();
        }

        @Override
        public CommandRun runCommand(Subprocess p, String command, Consumer<Outcome> onExit) {
            started.add(now);
            running.add(onExit);
            return () -> killed++;
        }

        @Override
        public void healthChanged(Subprocess p, Probe.Kind kind, Health from, Health to, String detail, int failures) {
            changes.add(now / MS + " " + from + "->" + to);
        }
    }

    private static Probe probe(long delayMs, long periodMs, long timeoutMs, int success, int failure) {
        return new Probe(new Probe.Command("check"), Duration.ofMillis(delayMs), Duration.ofMillis(periodMs),
                Duration.ofMillis(timeoutMs), success, failure);
    }

    @Test
    void initialDelayThenOnePerPeriodFromTheAttemptsStart() {
        FakeHost h = new FakeHost();
        ProbeRunner r = new ProbeRunner(h, null, Probe.Kind.READINESS, probe(500, 1000, 800, 1, 2));
        r.start();
        h.advance(499 * MS);
        assertEquals(List.of(), h.started);
        h.advance(500 * MS);
        assertEquals(List.of(500 * MS), h.started);
        h.advance(700 * MS);
        h.complete(true); // took 200 ms: the next one is due 1000 ms after this one began
        assertEquals(List.of("700 UNKNOWN->HEALTHY"), h.changes);
        h.advance(1499 * MS);
        assertEquals(1, h.started.size());
        h.advance(1500 * MS);
        assertEquals(List.of(500 * MS, 1500 * MS), h.started);
        // an attempt is never started while one runs: the third waits for the second to finish
        h.advance(2290 * MS);
        h.complete(false);
        h.advance(2500 * MS);
        h.complete(false);
        assertEquals(List.of("700 UNKNOWN->HEALTHY", "2500 HEALTHY->UNHEALTHY"), h.changes);
        assertEquals(3, h.started.size());
    }

    @Test
    void aCommandIsKilledAtItsTimeoutAndItsLateExitDropped() {
        FakeHost h = new FakeHost();
        ProbeRunner r = new ProbeRunner(h, null, Probe.Kind.LIVENESS, probe(0, 1000, 300, 1, 1));
        r.start();
        h.advance(0);
        assertEquals(1, h.started.size());
        h.advance(299 * MS);
        assertEquals(0, h.killed);
        h.advance(300 * MS);
        assertEquals(1, h.killed);
        assertEquals(List.of("300 UNKNOWN->UNHEALTHY"), h.changes);
        assertEquals("timed out after 0.3 s", r.detail());
        h.complete(true); // the killed command's exit, reaped later: not a success
        assertEquals(Health.UNHEALTHY, r.tally().health());
        h.advance(1000 * MS);
        assertEquals(2, h.started.size(), "the next attempt one period after the timed-out one began");
    }

    @Test
    void oneTimeoutTimerHoweverLongTheTimeout() {
        FakeHost h = new FakeHost();
        ProbeRunner r = new ProbeRunner(h, null, Probe.Kind.READINESS, probe(0, 100, 86_400_000, 1, 3));
        r.start();
        for (int i = 0; i < 1000; i++) {
            h.advance(h.now + 100 * MS);
            h.complete(true);
        }
        assertEquals(1000, h.started.size());
        assertTrue(h.timers.size() <= 3, "timers queued: " + h.timers.size());
    }

    @Test
    void stopKillsTheAttemptAndNothingIsReportedAfter() {
        FakeHost h = new FakeHost();
        ProbeRunner r = new ProbeRunner(h, null, Probe.Kind.READINESS, probe(0, 100, 1000, 1, 1));
        r.start();
        h.advance(0);
        r.stop();
        assertEquals(1, h.killed);
        h.complete(false);
        h.advance(10_000 * MS);
        assertEquals(List.of(), h.changes);
        assertEquals(1, h.started.size());
    }
}
