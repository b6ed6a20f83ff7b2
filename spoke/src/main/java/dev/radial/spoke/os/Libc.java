package dev.radial.spoke.os;

import static dev.radial.spoke.os.Ffm.INT;
import static dev.radial.spoke.os.Ffm.LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;

/**
 * The glibc calls of the spoke, on FFM ({@link Ffm#call}: one downcall handle for all but the variadic ones). Calls
 * that fail with -1 capture errno in the same call (read it with
 * {@link Native#errno()} right after, on the same thread); the posix_spawn family returns its error number.
 * Nothing here retries or hides a failure: callers check every return code. Usable from any thread.
 */
public final class Libc {
    private static final MemorySegment CLOSE = Ffm.function("close");
    private static final MemorySegment READ = Ffm.function("read");
    private static final MemorySegment WRITE = Ffm.function("write");
    private static final MemorySegment KILL = Ffm.function("kill");
    private static final MemorySegment GETPID = Ffm.function("getpid");
    private static final MemorySegment GETUID = Ffm.function("getuid");
    private static final MemorySegment UMASK = Ffm.function("umask");
    private static final MethodHandle PRCTL = Ffm.errnoCall("prctl",
            FunctionDescriptor.of(INT, INT, LONG, LONG, LONG, LONG), Linker.Option.firstVariadicArg(1));
    private static final MemorySegment PIPE2 = Ffm.function("pipe2");
    private static final MethodHandle FCNTL = Ffm.errnoCall("fcntl", FunctionDescriptor.of(INT, INT, INT, INT),
            Linker.Option.firstVariadicArg(2));
    private static final MemorySegment EXECVE = Ffm.function("execve");
    private static final MemorySegment CHOWN = Ffm.function("chown");
    private static final MemorySegment SIGACTION = Ffm.function("sigaction");
    private static final MemorySegment WAITID = Ffm.function("waitid");
    private static final MethodHandle SYSCALL3 = Ffm.errnoCall("syscall",
            FunctionDescriptor.of(LONG, LONG, LONG, LONG, LONG, LONG), Linker.Option.firstVariadicArg(1));
    private static final MemorySegment POLL = Ffm.function("poll");
    private static final MemorySegment MALLOC_TRIM = Ffm.function("malloc_trim");
    private static final MemorySegment STRERRORDESC = Ffm.function("strerrordesc_np");
    private static final MemorySegment STRERRORNAME = Ffm.function("strerrorname_np");

    /** Linux syscall numbers, the same on x86-64 and aarch64 (the unified table since 5.x). */
    private static final long SYS_PIDFD_SEND_SIGNAL = 424;
    private static final long SYS_PIDFD_OPEN = 434;

    Libc() {
    }

    /**
     * glibc's malloc_trim(0): gives the free memory of every malloc arena back to the kernel (madvise); 1 if some
     * was released. Cannot fail; takes ~0.1-1 ms with the spoke's small heaps.
     */
    public int mallocTrim() {
        return (int) Ffm.call(MALLOC_TRIM, 0);
    }

    public int close(int fd) {
        return (int) Ffm.call(CLOSE, fd);
    }

    /** read(2) into a direct buffer, from its position. */
    public long read(int fd, ByteBuffer buffer, long count) {
        try {
            return read(fd, MemorySegment.ofBuffer(buffer), count);
        } finally {
            Reference.reachabilityFence(buffer); // the segment's memory is the buffer's
        }
    }

    public long read(int fd, MemorySegment buf, long count) {
        try {
            return Ffm.call(READ, fd, Ffm.address(buf), Math.min(count, buf.byteSize()));
        } finally {
            Reference.reachabilityFence(buf);
        }
    }

    /** write(2) from a direct buffer, from its position. */
    public long write(int fd, ByteBuffer buffer, long count) {
        try {
            return write(fd, MemorySegment.ofBuffer(buffer), count);
        } finally {
            Reference.reachabilityFence(buffer);
        }
    }

    public long write(int fd, MemorySegment buf, long count) {
        try {
            return Ffm.call(WRITE, fd, Ffm.address(buf), Math.min(count, buf.byteSize()));
        } finally {
            Reference.reachabilityFence(buf);
        }
    }

    public int kill(int pid, int sig) {
        return (int) Ffm.call(KILL, pid, sig);
    }

    public int getpid() {
        return (int) Ffm.call(GETPID);
    }

    public int getuid() {
        return (int) Ffm.call(GETUID);
    }

    /** umask(2): returns the previous mask (it cannot fail). */
    public int umask(int mask) {
        return (int) Ffm.call(UMASK, mask);
    }

    public int prctl(int option, long arg2, long arg3, long arg4, long arg5) {
        try {
            return (int) PRCTL.invokeExact(Ffm.state(), option, arg2, arg3, arg4, arg5);
        } catch (Throwable t) {
            throw Ffm.fail(t);
        }
    }

    /** pipe2(2) into fds[0] (read end) and fds[1] (write end); returns 0 or -1. */
    public int pipe2(int[] fds, int flags) {
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(INT, 2);
            int rc = (int) Ffm.call(PIPE2, Ffm.address(seg), flags);
            if (rc == 0) {
                fds[0] = seg.getAtIndex(INT, 0);
                fds[1] = seg.getAtIndex(INT, 1);
            }
            return rc;
        }
    }

    /** pipe2(2) into a segment of two ints (read end, write end), which must be native; returns 0 or -1. */
    public int pipe2(MemorySegment fds, int flags) {
        return (int) Ffm.call(PIPE2, Ffm.address(fds), flags);
    }

    public int fcntl(int fd, int cmd, int arg) {
        try {
            return (int) FCNTL.invokeExact(Ffm.state(), fd, cmd, arg);
        } catch (Throwable t) {
            throw Ffm.fail(t);
        }
    }

    /** execve(2): returns only on failure (-1, errno captured). Strings are passed as UTF-8. */
    int execve(String path, java.util.List<String> argv, java.util.List<String> envp) {
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            return (int) Ffm.call(EXECVE, Ffm.address(arena.allocateFrom(path)),
                    Ffm.address(CStrings.of(arena, argv)), Ffm.address(CStrings.of(arena, envp)));
        }
    }

    public int chown(String path, int uid, int gid) {
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            return (int) Ffm.call(CHOWN, Ffm.address(arena.allocateFrom(path)), uid, gid);
        }
    }

    int sigaction(int sig, MemorySegment act, MemorySegment old) {
        try {
            return (int) Ffm.call(SIGACTION, sig, Ffm.address(act), Ffm.address(old));
        } finally {
            Reference.reachabilityFence(act);
            Reference.reachabilityFence(old);
        }
    }

    int waitid(int idtype, int id, MemorySegment info, int options) {
        try {
            return (int) Ffm.call(WAITID, idtype, id, Ffm.address(info), options);
        } finally {
            Reference.reachabilityFence(info);
        }
    }

    /** pidfd_open(2): a pidfd (close-on-exec) or -1 with errno. */
    int pidfdOpen(int pid) {
        try {
            return (int) (long) SYSCALL3.invokeExact(Ffm.state(), SYS_PIDFD_OPEN, (long) pid, 0L, 0L, 0L);
        } catch (Throwable t) {
            throw Ffm.fail(t);
        }
    }

    /** pidfd_send_signal(2) with no siginfo: 0 or -1 with errno. */
    int pidfdSendSignal(int pidfd, int sig) {
        try {
            return (int) (long) SYSCALL3.invokeExact(Ffm.state(), SYS_PIDFD_SEND_SIGNAL, (long) pidfd, (long) sig,
                    0L, 0L);
        } catch (Throwable t) {
            throw Ffm.fail(t);
        }
    }

    int poll(MemorySegment fds, long nfds, int timeoutMillis) {
        try {
            return (int) Ffm.call(POLL, Ffm.address(fds), nfds, timeoutMillis);
        } finally {
            Reference.reachabilityFence(fds);
        }
    }

    /** glibc's description and name of an errno, e.g. "No such process (ESRCH)". Thread-safe. */
    String strerror(int errno) {
        long desc = Ffm.call(STRERRORDESC, errno);
        long name = Ffm.call(STRERRORNAME, errno);
        if (desc == 0 || name == 0) {
            return "errno " + errno;
        }
        // glibc's static strings: reinterpreted to their longest (about 50 and 15 bytes) and read to the NUL
        return MemorySegment.ofAddress(desc).reinterpret(256).getString(0) + " ("
                + MemorySegment.ofAddress(name).reinterpret(64).getString(0) + ")";
    }
}
