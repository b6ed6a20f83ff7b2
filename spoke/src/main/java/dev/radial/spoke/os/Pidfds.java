package dev.radial.spoke.os;

import java.util.Optional;

/**
 * Whether the spoke can use pidfds (Linux 5.3+, and a seccomp profile that allows {@code pidfd_open}: Docker's
 * default profile before 20.10 answered EPERM). Decided once, by opening a pidfd of the spoke itself. Without
 * them every child is reaped on SIGCHLD and signalled by pid, which is safe because the engine thread is the only
 * reaper (a pid stays ours until its exit is taken). {@code -Dradial.pidfd=off} forces that path, so it is tested
 * on kernels that have pidfds. Any thread.
 */
public final class Pidfds {
    /** The system property that turns pidfds off ({@code off}). */
    public static final String PROPERTY = "radial.pidfd";
    private static final String UNAVAILABLE = probe();

    private Pidfds() {
    }

    private static String probe() {
        if ("off".equals(System.getProperty(PROPERTY))) {
            return "turned off (-D" + PROPERTY + "=off)";
        }
        int self = Native.LIBC.pidfdOpen(Native.POSIX.getpid());
        if (self < 0) {
            return "pidfd_open: " + Native.strerror(Native.errno());
        }
        Native.LIBC.close(self);
        return null;
    }

    /** Why pidfds are not used, or empty when they are. */
    public static Optional<String> unavailableBecause() {
        return Optional.ofNullable(UNAVAILABLE);
    }

    /** A pidfd (close-on-exec) for a child of ours, or -1 (errno set when pidfds are available but it failed). */
    static int open(int pid) {
        return UNAVAILABLE == null ? Native.LIBC.pidfdOpen(pid) : -1;
    }
}
