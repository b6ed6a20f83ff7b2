package dev.radial.spoke.process;

import dev.radial.common.config.Cron;
import dev.radial.common.states.ProcessState;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * {@code schedule=} of one {@link Subprocess}: keeps the engine's timer armed for the next due run
 * ({@link ScheduledRuns} does the arithmetic) and decides whether a due run starts the program: yes if it is
 * STOPPED, EXITED or FATAL (the caller then starts it through depends_on, like any start); if it still runs,
 * the run is missed and logged. Runs missed while the clock jumped are logged too. The start itself, a state
 * transition, is the caller's. Engine thread only.
 */
final class ScheduledStarts {
    private final ProcessHost host;
    private final Subprocess owner;
    private final Cron cron;
    private final ScheduledRuns runs;

    ScheduledStarts(ProcessHost host, Subprocess owner, Cron cron) {
        this.host = host;
        this.owner = owner;
        this.cron = cron;
        this.runs = new ScheduledRuns(cron, ZoneId.systemDefault());
    }

    /** A schedule for the config's schedule= key, or null without one. */
    static ScheduledStarts of(ProcessHost host, Subprocess owner, Cron cron) {
        return cron == null ? null : new ScheduledStarts(host, owner, cron);
    }

    /** Called at every transition pass: re-arms the timer; true when a run is due now and should start. */
    boolean startDue() {
        ScheduledRuns.Tick t = runs.tick(host.wallMillis(), host.nanoTime());
        if (t.armNanos() != 0) {
            host.schedule(owner, t.armNanos());
        }
        if (!t.due()) {
            return false;
        }
        String at = LocalDateTime.ofInstant(Instant.ofEpochMilli(t.dueWallMillis()), ZoneId.systemDefault())
                .toString();
        if (t.missed() > 0) {
            host.log().warn("missed " + t.missed() + " scheduled run(s) of " + owner.name() + " after " + at
                    + ": the wall clock jumped ahead or the spoke was suspended");
        }
        if (!host.acceptingStarts()) {
            return false;
        }
        ProcessState state = owner.state();
        if (state.isStopped() && state != ProcessState.UNKNOWN) {
            host.log().info("scheduled run of " + owner.name() + " due at " + at + " (schedule=" + cron + ")");
            return true;
        }
        host.log().warn("missed scheduled run of " + owner.name() + " due at " + at + ": it is still " + state);
        return false;
    }
}
