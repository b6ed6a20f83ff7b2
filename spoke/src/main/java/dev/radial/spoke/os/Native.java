package dev.radial.spoke.os;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Runtime;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/** The native bindings, loaded once: glibc through jnr-ffi and jnr-posix's POSIX facade. */
public final class Native {
    public static final LibC LIBC = LibraryLoader.create(LibC.class).load(Platform.getNativePlatform().getStandardCLibraryName());
    public static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
    public static final POSIX POSIX = POSIXFactory.getNativePOSIX();

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
    public static final int PR_SET_CHILD_SUBREAPER = 36;

    private Native() {
    }

    public static int errno() {
        return RUNTIME.getLastError();
    }

    /** strerror-like text for an errno, through jnr-posix's table. */
    public static String strerror(int errno) {
        jnr.constants.platform.Errno e = jnr.constants.platform.Errno.valueOf(errno);
        return e == null ? "errno " + errno : e.description() + " (" + e.name() + ")";
    }
}
