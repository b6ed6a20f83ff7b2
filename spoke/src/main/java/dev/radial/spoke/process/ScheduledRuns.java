package dev.radial.spoke.process;

import dev.radial.common.config.Cron;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The timing of a {@code schedule=} program: when its next run is due on the wall clock (cron times are wall
 * times, in the spoke's time zone), and the monotonic deadline to wake the engine for it. Pure bookkeeping:
 * both clocks are passed in, so tests inject them; {@link ScheduledStarts} decides whether a due run starts
 * the program and the state machine ({@link Subprocess}) starts it. A wall clock that jumps back is followed (the timer is re-armed for the remaining time), one that
 * jumps ahead makes the runs in between missed: they are counted, not caught up. Engine thread only.
 */
final class ScheduledRuns {
    /** No run: nothing to do; a due run with how many further runs were missed; the deadline to arm, 0 for none. */
    record Tick(boolean due, long dueWallMillis, int missed, long armNanos) {
        static final Tick NONE = new Tick(false, 0, 0, 0);
    }

    private static final int MAX_MISSED = 100_000;
    private final Cron cron;
    private final ZoneId zone;
    /** The wall time of the next run, 0 before the first tick, Long.MAX_VALUE when it never runs again. */
    private long nextWall;
    /** The monotonic deadline last asked for. */
    private long armedNanos;

    ScheduledRuns(Cron cron, ZoneId zone) {
        this.cron = cron;
        this.zone = zone;
    }

    /** The wall time of the next run (epoch ms), 0 before the first tick, Long.MAX_VALUE for never. */
    long nextWallMillis() {
        return nextWall;
    }

    private long after(long wall) {
        return cron.next(ZonedDateTime.ofInstant(Instant.ofEpochMilli(wall), zone))
                .map(t -> t.toInstant().toEpochMilli()).orElse(Long.MAX_VALUE);
    }

    private long arm(long wall, long nanos) {
        if (nextWall == Long.MAX_VALUE) {
            return 0;
        }
        armedNanos = nanos + Math.max(0, nextWall - wall) * 1_000_000L;
        return armedNanos;
    }

    /** Called at each transition of the program, with both clocks now. */
    Tick tick(long wall, long nanos) {
        if (nextWall == 0) {
            nextWall = after(wall);
            return new Tick(false, 0, 0, arm(wall, nanos));
        }
        if (wall < nextWall) {
            // not due: re-arm only when our timer fired early (the wall clock went back), not for other wake-ups
            return nanos >= armedNanos && nextWall != Long.MAX_VALUE ? new Tick(false, 0, 0, arm(wall, nanos))
                    : Tick.NONE;
        }
        long due = nextWall;
        int missed = 0;
        long n = after(due);
        while (n <= wall && missed < MAX_MISSED) {
            missed++;
            n = after(n);
        }
        if (n <= wall) {
            n = after(wall);
        }
        nextWall = n;
        return new Tick(true, due, missed, arm(wall, nanos));
    }
}
