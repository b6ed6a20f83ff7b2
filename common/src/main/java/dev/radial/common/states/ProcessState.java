package dev.radial.common.states;

/**
 * supervisord's process states. The codes are wire protocol (getProcessInfo "state"), never renumber.
 */
public enum ProcessState {
    STOPPED(0), STARTING(10), RUNNING(20), BACKOFF(30), STOPPING(40), EXITED(100), FATAL(200), UNKNOWN(1000);

    private final int code;

    ProcessState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** supervisord's STOPPED_STATES: a process that may be started. */
    public boolean isStopped() {
        return this == STOPPED || this == EXITED || this == FATAL || this == UNKNOWN;
    }

    /** supervisord's RUNNING_STATES. */
    public boolean isRunning() {
        return this == RUNNING || this == BACKOFF || this == STARTING;
    }

    /** supervisord's SIGNALLABLE_STATES. */
    public boolean isSignallable() {
        return this == RUNNING || this == STARTING || this == STOPPING;
    }

    public static ProcessState fromCode(int code) {
        for (ProcessState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("no process state with code " + code);
    }
}
