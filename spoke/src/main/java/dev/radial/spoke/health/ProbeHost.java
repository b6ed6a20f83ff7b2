package dev.radial.spoke.health;

import dev.radial.common.config.Probe;
import dev.radial.spoke.logging.MainLog;
import dev.radial.spoke.process.Subprocess;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * What probes need from the engine that owns them: its clock and timers, command probes spawned and reaped as
 * its children are, the shared network prober, and where verdicts go. Every call on the engine thread.
 */
public interface ProbeHost {
    /** A command probe under way. */
    interface CommandRun {
        /** SIGKILL to its process group (it still gets reaped; its outcome is then dropped by the caller). */
        void kill();
    }

    MainLog log();

    /** Monotonic clock in nanoseconds (the engine's, injectable). */
    long nanoTime();

    /** Runs the action on the engine thread at or after this monotonic time. */
    void at(long deadlineNanos, Runnable action);

    /** Runs the engine's tasks (results of network probes come back through it). */
    Executor engineThread();

    NetworkProbes network();

    /**
     * Spawns {@code /bin/sh -c command} for a probe of p (p's environment, directory and user), its output read
     * and discarded but for its first bytes; {@code onExit} gets the outcome (exit status 0 is a success) on the
     * engine thread once it is reaped. A spawn that fails is reported to {@code onExit} at once.
     */
    CommandRun runCommand(Subprocess p, String command, Consumer<Outcome> onExit);

    /** A probe's verdict changed (never to UNKNOWN: a reset at a process's stop is not reported). */
    void healthChanged(Subprocess p, Probe.Kind kind, Health from, Health to, String detail, int failures);
}
