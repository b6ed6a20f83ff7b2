package dev.radial.spoke.health;

import dev.radial.common.config.Probe;
import dev.radial.spoke.process.Subprocess;

/**
 * One probe of one run of a process: the first attempt {@code initial_delay} after it became RUNNING, then
 * one {@code period} after the previous one began (or at once when an attempt took longer), never two at once.
 * Each outcome goes through the {@link Tally}; a change of verdict is told to the host. {@link #stop()} ends it
 * for good: a pending attempt is killed or cancelled and whatever it reports later is dropped. Engine thread only.
 */
final class ProbeRunner {
    private final ProbeHost host;
    private final Subprocess process;
    private final Probe.Kind kind;
    private final Probe probe;
    private Tally tally = Tally.INITIAL;
    private String detail = "";
    /** Counts attempts; a result or a timer of an older attempt (or after stop) is dropped. */
    private long attempt;
    private boolean stopped;
    private long attemptStart;
    /** When the command under way times out; and whether the one timeout timer is queued. */
    private long attemptDeadline;
    private boolean timeoutArmed;
    private ProbeHost.CommandRun command;
    private NetworkProbes.Pending network;

    ProbeRunner(ProbeHost host, Subprocess process, Probe.Kind kind, Probe probe) {
        this.host = host;
        this.process = process;
        this.kind = kind;
        this.probe = probe;
    }

    Probe.Kind kind() {
        return kind;
    }

    Tally tally() {
        return tally;
    }

    /** The last attempt's outcome in words, "" before the first. */
    String detail() {
        return detail;
    }

    void start() {
        long first = attempt;
        host.at(host.nanoTime() + probe.initialDelay().toNanos(), () -> {
            if (!stopped && attempt == first) {
                begin();
            }
        });
    }

    void stop() {
        stopped = true;
        attempt++;
        cancelPending();
    }

    private void cancelPending() {
        if (command != null) {
            command.kill();
            command = null;
        }
        if (network != null) {
            network.cancel();
            network = null;
        }
    }

    private void begin() {
        long id = ++attempt;
        attemptStart = host.nanoTime();
        long timeout = probe.timeout().toNanos();
        if (probe.check() instanceof Probe.Command c) {
            attemptDeadline = attemptStart + timeout;
            command = host.runCommand(process, c.command(), o -> finished(id, o));
            if (!timeoutArmed && !stopped && attempt == id) {
                armTimeout();
            }
        } else {
            network = host.network().start(probe.check(), timeout, host.engineThread(), o -> finished(id, o));
        }
    }

    /**
     * A command is killed at its timeout (its exit, reaped later, is then dropped). One timer per runner, re-armed
     * for the attempt under way when it fires early: engine timers cannot be cancelled, and a timer per attempt
     * would pile up when the timeout is much longer than the period.
     */
    private void armTimeout() {
        timeoutArmed = true;
        host.at(attemptDeadline, () -> {
            timeoutArmed = false;
            if (stopped || command == null) {
                return;
            }
            if (host.nanoTime() >= attemptDeadline) {
                finished(attempt, Outcome.failure("timed out after " + seconds(probe.timeout().toNanos())));
            } else {
                armTimeout();
            }
        });
    }

    private void finished(long id, Outcome o) {
        if (stopped || id != attempt) {
            return;
        }
        attempt++; // later reports of this attempt (a killed command's exit) are dropped
        cancelPending();
        Tally before = tally;
        tally = tally.after(o.ok(), probe.successThreshold(), probe.failureThreshold());
        detail = o.detail();
        if (tally.health() != before.health()) {
            host.healthChanged(process, kind, before.health(), tally.health(), detail, tally.failures());
        }
        if (stopped) {
            return; // the host stopped this run (a liveness restart) while it was told
        }
        long next = Math.max(attemptStart + probe.period().toNanos(), host.nanoTime());
        long resumed = attempt;
        host.at(next, () -> {
            if (!stopped && attempt == resumed) {
                begin();
            }
        });
    }

    static String seconds(long nanos) {
        return dev.radial.common.config.RestartDelay.seconds(java.time.Duration.ofNanos(nanos)) + " s";
    }
}
