package dev.radial.spoke.os;

/**
 * The spoke's native calls, all on the JDK's FFM API ({@link Libc}; see README "Native calls"): glibc bound once,
 * errno captured per call. Needs {@code --enable-native-access=ALL-UNNAMED} on the JVM (the launchers pass it).
 */
public final class Native {
    public static final Libc LIBC = new Libc();
    /** The few POSIX identity calls other packages use (kept apart from the raw I/O calls). */
    public static final Posix POSIX = new Posix(LIBC);

    public static final int O_NONBLOCK = 04000;
    public static final int O_CLOEXEC = 02000000;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    /** Linux: resize a pipe's buffer. */
    public static final int F_SETPIPE_SZ = 1031;
    public static final int EAGAIN = 11;
    public static final int EINTR = 4;
    public static final int ECHILD = 10;
    public static final int ESRCH = 3;
    public static final int EPIPE = 32;
    public static final int ENOSYS = 38;
    public static final int PR_SET_CHILD_SUBREAPER = 36;

    private Native() {
    }

    /** errno of the calling thread's last failed call (captured by that call itself). */
    public static int errno() {
        return Ffm.errno();
    }

    /** glibc's text for an errno, e.g. "No such process (ESRCH)". */
    public static String strerror(int errno) {
        return LIBC.strerror(errno);
    }

    /** Sets O_NONBLOCK on an fd; false (errno set) if fcntl failed. */
    public static boolean nonBlocking(int fd) {
        int flags = LIBC.fcntl(fd, F_GETFL, 0);
        return flags >= 0 && LIBC.fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
    }
}
