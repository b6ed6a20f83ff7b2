package dev.radial.spoke.os;

import dev.radial.common.config.Signals;

/** How a child ended: an exit code or a signal. Never a bare int. */
public sealed interface ExitStatus permits ExitStatus.Exited, ExitStatus.Signaled {
    /** supervisord's es: the exit code, or -1 for a signal death. */
    int code();

    /** supervisord's decode_wait_status message, e.g. "exit status 1" or "terminated by SIGTERM". */
    String describe();

    /** A normal exit. */
    record Exited(int exitCode) implements ExitStatus {
        public int code() {
            return exitCode;
        }

        public String describe() {
            return "exit status " + exitCode;
        }
    }

    /** Killed by a signal. */
    record Signaled(int signal, boolean coreDumped) implements ExitStatus {
        public int code() {
            return -1;
        }

        public String describe() {
            return "terminated by SIG" + Signals.name(signal) + (coreDumped ? " (core dumped)" : "");
        }
    }

    static ExitStatus fromWaitStatus(int status) {
        int sig = status & 0x7f;
        if (sig == 0) {
            return new Exited((status >> 8) & 0xff);
        }
        return new Signaled(sig, (status & 0x80) != 0);
    }
}
