package dev.radial.spoke.process;

import dev.radial.spoke.logging.MainLog;

/**
 * The depends_on wait of one {@link Subprocess}: whether a start (autostart, requested or scheduled) waits for
 * its dependencies, and why in words. Subprocess asks {@link #blocks} before it spawns; the host re-evaluates a
 * waiting process when a dependency changes state. No state transition happens here (a waiting process stays
 * STOPPED). Engine thread only.
 */
final class DependencyWait {
    private final ProcessHost host;
    private boolean pending;
    /** While pending: why it waits, such as "waiting for db to be running: db is STARTING"; null otherwise. */
    private String reason;

    DependencyWait(ProcessHost host) {
        this.host = host;
    }

    boolean pending() {
        return pending;
    }

    String reason() {
        return reason;
    }

    /**
     * Why p cannot start yet, or null when every dependency meets its condition (or there is none). A start that
     * must wait is recorded, and logged once per reason (INFO the first time, DEBG when the reason changes).
     */
    String blocks(Subprocess p) {
        String why = host.unmetDependency(p);
        if (why == null) {
            return null;
        }
        if (!pending || !why.equals(reason)) {
            host.log().log(pending ? MainLog.Level.DEBG : MainLog.Level.INFO, "not starting " + p.name() + " yet: "
                    + why);
        }
        pending = true;
        reason = why;
        return why;
    }

    /** The process is spawned (or the wait cancelled): nothing waits any more. */
    void clear() {
        pending = false;
        reason = null;
    }
}
