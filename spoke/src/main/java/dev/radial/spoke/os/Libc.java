package dev.radial.spoke.os;

import static dev.radial.spoke.os.Ffm.INT;
import static dev.radial.spoke.os.Ffm.LONG;
import static dev.radial.spoke.os.Ffm.PTR;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;

/**
 * The glibc calls of the spoke, on FFM. Calls that fail with -1 capture errno in the same call (read it with
 * {@link Native#errno()} right after, on the same thread); the posix_spawn family returns its error number.
 * Nothing here retries or hides a failure: callers check every return code. Usable from any thread.
 */
public final class Libc {
    private static final MethodHandle CLOSE = Ffm.errnoCall("close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle READ = Ffm.errnoCall("read", FunctionDescriptor.of(LONG, INT, PTR, LONG));
    private static final MethodHandle WRITE = Ffm.errnoCall("write", FunctionDescriptor.of(LONG, INT, PTR, LONG));
    private static final MethodHandle KILL = Ffm.errnoCall("kill", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle GETPID = Ffm.call("getpid", FunctionDescriptor.of(INT));
    private static final MethodHandle GETUID = Ffm.call("getuid", FunctionDescriptor.of(INT));
    private static final MethodHandle UMASK = Ffm.call("umask", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle PRCTL = Ffm.errnoCall("prctl",
            FunctionDescriptor.of(INT, INT, LONG, LONG, LONG, LONG), Linker.Option.firstVariadicArg(1));
    private static final MethodHandle PIPE2 = Ffm.errnoCall("pipe2", FunctionDescriptor.of(INT, PTR, INT));
    private static final MethodHandle FCNTL = Ffm.errnoCall("fcntl", FunctionDescriptor.of(INT, INT, INT, INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle EXECVE = Ffm.errnoCall("execve", FunctionDescriptor.of(INT, PTR, PTR, PTR));
    private static final MethodHandle CHOWN = Ffm.errnoCall("chown", FunctionDescriptor.of(INT, PTR, INT, INT));
    private static final MethodHandle SIGACTION = Ffm.errnoCall("sigaction", FunctionDescriptor.of(INT, INT, PTR, PTR));
    private static final MethodHandle WAITID = Ffm.errnoCall("waitid", FunctionDescriptor.of(INT, INT, INT, PTR, INT));
    private static final MethodHandle SYSCALL3 = Ffm.errnoCall("syscall",
            FunctionDescriptor.of(LONG, LONG, LONG, LONG, LONG, LONG), Linker.Option.firstVariadicArg(1));
    private static final MethodHandle POLL = Ffm.errnoCall("poll", FunctionDescriptor.of(INT, PTR, LONG, INT));
    private static final MethodHandle MALLOC_TRIM = Ffm.call("malloc_trim", FunctionDescriptor.of(INT, LONG));
    private static final MethodHandle STRERRORDESC = Ffm.call("strerrordesc_np", FunctionDescriptor.of(PTR, INT));
    private static final MethodHandle STRERRORNAME = Ffm.call("strerrorname_np", FunctionDescriptor.of(PTR, INT));

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
        try {
            return (int) MALLOC_TRIM.invokeExact(0L);
        } catch (Throwable t) {
            throw Ffm.fail(t);
        }
    }

    public int close(int fd) {
        try {
            return (int) CLOSE.invokeExact(Ffm.state(), fd);
        } catch (Throwable t) {
            throw Ffm.fail(t);
        }
    }

    /** read(2) into a direct buffer, from its position. */
    public long read(int fd, ByteBuffer buffer, long count) {
        return read(fd, MemorySegment.ofBuffer(buffer), count);
    }

    public long read(int fd, MemorySegment buf, long count) {
        try {
            return (long) READ.invokeExact(Ffm.state(), fd, buf, Math.min(count, buf.byteSize()));
        } catch (Throwable t) {
            throw Ffm.fail(t);
        }
    }

    /** write(2) from a direct buffer, from its position. */
    public long write(int fd, ByteBuffer buffer, long count) {
        return write(fd, MemorySegment.ofBuffer(buffer), count);
    }

    public long write(int fd, MemorySegment buf, long count) {
        try {
            return (long) WRITE.invokeExact(Ffm.state(), fd, buf, Math.min(count, buf.byteSize()));
        } catch (Throwable t) {
            throw Ffm.fail(t);
        }
    }

    public int kill(int pid, int sig) {
        try {
            return (int) KILL.invokeExact(Ffm.state(), pid, sig);
        } catch (Throwable t) {
            throw Ffm.fail(t);
        }
    }

    public int getpid() {
        try {
            return (int) GETPID.invokeExact();
        } catch (Throwable t) {
            throw Ffm.fail(t);
        }
    }

    public int getuid() {
        try {
            return (int) GETUID.invokeExact();
        } catch (Throwable t) {
            throw Ffm.fail(t);
        }
    }

    /** umask(2): returns the previous mask (it cannot fail). */
    public int umask(int mask) {
        try {
            return (int) UMASK.invokeExact(mask);
        } catch (Throwable t) {
            throw Ffm.fail(t);
        }
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
            int rc = (int) PIPE2.invokeExact(Ffm.state(), seg, flags);
            if (rc == 0) {
                fds[0] = seg.getAtIndex(INT, 0);
                fds[1] = seg.getAtIndex(INT, 1);
            }
            return rc;
        } catch (Throwable t) {
            throw Ffm.fail(t);
        }
    }

    /** pipe2(2) into a segment of two ints (read end, write end); returns 0 or -1. */
    public int pipe2(MemorySegment fds, int flags) {
        try {
            return (int) PIPE2.invokeExact(Ffm.state(), fds, flags);
        } catch (Throwable t) {
            throw Ffm.fail(t);
        }
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
            return (int) EXECVE.invokeExact(Ffm.state(), arena.allocateFrom(path), CStrings.of(arena, argv),
                    CStrings.of(arena, envp));
        } catch (Throwable t) {
            throw Ffm.fail(t);
        }
    }

    public int chown(String path, int uid, int gid) {
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            return (int) CHOWN.invokeExact(Ffm.state(), arena.allocateFrom(path), uid, gid);
        } catch (Throwable t) {
            throw Ffm.fail(t);
        }
    }

    int sigaction(int sig, MemorySegment act, MemorySegment old) {
        try {
            return (int) SIGACTION.invokeExact(Ffm.state(), sig, act, old);
        } catch (Throwable t) {
            throw Ffm.fail(t);
        }
    }

    int waitid(int idtype, int id, MemorySegment info, int options) {
        try {
            return (int) WAITID.invokeExact(Ffm.state(), idtype, id, info, options);
        } catch (Throwable t) {
            throw Ffm.fail(t);
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
            return (int) POLL.invokeExact(Ffm.state(), fds, nfds, timeoutMillis);
        } catch (Throwable t) {
            throw Ffm.fail(t);
        }
    }

    /** glibc's description and name of an errno, e.g. "No such process (ESRCH)". Thread-safe. */
    String strerror(int errno) {
        try {
            MemorySegment desc = (MemorySegment) STRERRORDESC.invokeExact(errno);
            MemorySegment name = (MemorySegment) STRERRORNAME.invokeExact(errno);
            if (desc.equals(MemorySegment.NULL) || name.equals(MemorySegment.NULL)) {
                return "errno " + errno;
            }
            return desc.reinterpret(256).getString(0) + " (" + name.reinterpret(64).getString(0) + ")";
        } catch (Throwable t) {
            throw Ffm.fail(t);
        }
    }
}
