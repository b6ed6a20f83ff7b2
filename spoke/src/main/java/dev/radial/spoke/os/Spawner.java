package dev.radial.spoke.os;

import static dev.radial.spoke.os.Ffm.INT;
import static dev.radial.spoke.os.Ffm.PTR;
import static dev.radial.spoke.os.Ffm.SHORT;

import dev.radial.spoke.process.ProcessLauncher.SpawnException;
import dev.radial.spoke.process.ProcessLauncher.SpawnRequest;
import dev.radial.spoke.process.ProcessLauncher.SpawnedChild;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Starts a child the way supervisord's fork/exec does, with glibc's posix_spawn: its own process group
 * (setpgrp, same session), stdin/stdout/stderr on pipes, every other descriptor closed, every signal 1..64
 * (glibc's internal 32 and 33 included) at its default disposition and none blocked, an optional working
 * directory and umask. Every setup call's return code is checked. Then a pidfd is opened for the child
 * (-1 on a kernel without pidfd_open). Engine thread only: the umask is process-wide and set around the spawn.
 */
final class Spawner {
    private static final short POSIX_SPAWN_SETPGROUP = 0x02;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;

    private static final MemorySegment FA_INIT = Ffm.function("posix_spawn_file_actions_init");
    private static final MemorySegment FA_DESTROY = Ffm.function("posix_spawn_file_actions_destroy");
    private static final MemorySegment FA_DUP2 = Ffm.function("posix_spawn_file_actions_adddup2");
    private static final MemorySegment FA_CHDIR = Ffm.function("posix_spawn_file_actions_addchdir_np");
    private static final MemorySegment FA_CLOSEFROM = Ffm.function("posix_spawn_file_actions_addclosefrom_np");
    private static final MemorySegment ATTR_INIT = Ffm.function("posix_spawnattr_init");
    private static final MemorySegment ATTR_DESTROY = Ffm.function("posix_spawnattr_destroy");
    private static final MemorySegment ATTR_FLAGS = Ffm.function("posix_spawnattr_setflags");
    private static final MemorySegment ATTR_PGROUP = Ffm.function("posix_spawnattr_setpgroup");
    private static final MemorySegment ATTR_SIGMASK = Ffm.function("posix_spawnattr_setsigmask");
    private static final MemorySegment ATTR_SIGDEFAULT = Ffm.function("posix_spawnattr_setsigdefault");
    private static final MemorySegment SPAWN = Ffm.function("posix_spawn");

    private Spawner() {
    }

    /**
     * The spawn attributes, the same for every child (own process group, every signal default, none blocked):
     * built once and only read by each posix_spawn, instead of six downcalls and two sigsets per spawn. Made when
     * the class is first used (the spoke's start, {@link #warmUp}); class initialisation makes it safe to share.
     */
    private static final class Attributes {
        static final MemorySegment SEGMENT;
        /** Why the attributes could not be set up (every spawn then fails saying so), or null. */
        static final String FAILURE;

        static {
            MemorySegment attr = Arena.global().allocate(Layouts.SPAWN_ATTR);
            String failure;
            try (Arena scratch = Arena.ofConfined()) {
                failure = failed("posix_spawnattr_init", (int) Ffm.call(ATTR_INIT, Ffm.address(attr)));
                if (failure == null) {
                    failure = setUp(attr, scratch);
                    if (failure != null) {
                        int ignored = (int) Ffm.call(ATTR_DESTROY, Ffm.address(attr));
                    }
                }
            }
            SEGMENT = failure == null ? attr : null;
            FAILURE = failure;
        }

        private static String setUp(MemorySegment attr, Arena scratch) {
            String f = failed("posix_spawnattr_setsigmask", (int) Ffm.call(ATTR_SIGMASK, Ffm.address(attr),
                    Ffm.address(scratch.allocate(Layouts.SIGSET)))); // zeroed: nothing blocked
            if (f == null) {
                f = failed("posix_spawnattr_setsigdefault", (int) Ffm.call(ATTR_SIGDEFAULT, Ffm.address(attr),
                        Ffm.address(allSignals(scratch))));
            }
            if (f == null) {
                f = failed("posix_spawnattr_setpgroup", (int) Ffm.call(ATTR_PGROUP, Ffm.address(attr), 0));
            }
            if (f == null) {
                f = failed("posix_spawnattr_setflags", (int) Ffm.call(ATTR_FLAGS, Ffm.address(attr),
                        (short) (POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)));
            }
            return f;
        }

        /** Nothing: calling it initialises the class, which builds the attributes. */
        static void build() {
        }

        private static String failed(String call, int rc) {
            return rc == 0 ? null : "couldn't set up the spawn: " + call + ": " + Native.strerror(rc);
        }
    }

    /**
     * Links and runs the spawn path's downcalls once with no child (file actions initialised and destroyed, the
     * attributes built, a pipe made non-blocking, resized and closed, a string block marshalled): FFM spins each
     * handle's code on first use, which would otherwise land on the first startProcess (measured: the first spawn
     * took ~100 ms instead of a few). Called while the spoke starts.
     */
    static void warmUp() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(Layouts.SPAWN_FILE_ACTIONS);
            if ((int) Ffm.call(FA_INIT, Ffm.address(actions)) == 0) {
                int ignored = (int) Ffm.call(FA_DUP2, Ffm.address(actions), 0, 0);
                ignored = (int) Ffm.call(FA_CLOSEFROM, Ffm.address(actions), 3);
                ignored = (int) Ffm.call(FA_DESTROY, Ffm.address(actions));
            }
            Attributes.build();
            MemorySegment fds = arena.allocate(INT, 2);
            if (Native.LIBC.pipe2(fds, Native.O_CLOEXEC) == 0) {
                int fd = fds.getAtIndex(INT, 0);
                outputEnd(fd);
                Native.LIBC.close(fd);
                Native.LIBC.close(fds.getAtIndex(INT, 1));
            }
            CStrings.environment(arena, java.util.Map.of("warm", "up"));
        } catch (Throwable t) {
            throw Ffm.fail(t);
        }
    }

    static SpawnedChild spawn(SpawnRequest r) throws SpawnException {
        if (Attributes.FAILURE != null) {
            throw new SpawnException(Attributes.FAILURE);
        }
        Libc c = Native.LIBC;
        // the three pipes, [read, write] each: in (the child reads 0), out, err; -1 once closed or handed over
        int[] fd = {-1, -1, -1, -1, -1, -1};
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pipes = arena.allocate(INT, 6);
            pipe(pipes, 0, fd);
            pipe(pipes, 2, fd);
            if (!r.mergeStderr()) {
                pipe(pipes, 4, fd);
            }
            MemorySegment actions = arena.allocate(Layouts.SPAWN_FILE_ACTIONS);
            check("posix_spawn_file_actions_init", (int) Ffm.call(FA_INIT, Ffm.address(actions)));
            try {
                check("posix_spawn_file_actions_adddup2", (int) Ffm.call(FA_DUP2, Ffm.address(actions), fd[0], 0));
                check("posix_spawn_file_actions_adddup2", (int) Ffm.call(FA_DUP2, Ffm.address(actions), fd[3], 1));
                check("posix_spawn_file_actions_adddup2",
                        (int) Ffm.call(FA_DUP2, Ffm.address(actions), r.mergeStderr() ? fd[3] : fd[5], 2));
                // supervisord closes fds 3..minfds in the child; closefrom closes every one of the JVM's
                check("posix_spawn_file_actions_addclosefrom_np", (int) Ffm.call(FA_CLOSEFROM, Ffm.address(actions), 3));
                if (r.directory() != null) {
                    check("posix_spawn_file_actions_addchdir_np",
                            (int) Ffm.call(FA_CHDIR, Ffm.address(actions),
                                    Ffm.address(arena.allocateFrom(r.directory()))));
                }
                MemorySegment argv = CStrings.of(arena, r.argv());
                MemorySegment envp = CStrings.environment(arena, r.env());
                MemorySegment path = arena.allocateFrom(r.path());
                MemorySegment pidOut = arena.allocate(INT);
                int rc;
                int oldUmask = r.umask() == null ? -1 : c.umask(r.umask());
                try {
                    rc = (int) Ffm.call(SPAWN, Ffm.address(pidOut), Ffm.address(path), Ffm.address(actions),
                            Ffm.address(Attributes.SEGMENT), Ffm.address(argv), Ffm.address(envp));
                } finally {
                    if (oldUmask >= 0) {
                        c.umask(oldUmask);
                    }
                }
                if (rc != 0) {
                    throw new SpawnException(rc == 2 && r.directory() != null
                            ? "couldn't chdir to " + r.directory() + ": " + Native.strerror(rc)
                            : "couldn't exec " + r.path() + ": " + Native.strerror(rc));
                }
                int pid = pidOut.get(INT, 0);
                // the child's ends now belong to it alone
                closeNow(fd, 0);
                closeNow(fd, 3);
                closeNow(fd, 5);
                outputEnd(fd[2]);
                if (fd[4] >= 0) {
                    outputEnd(fd[4]);
                }
                // F_SETFL sets the status flags alone (a pipe end's access mode is not one): no F_GETFL needed
                if (c.fcntl(fd[1], Native.F_SETFL, Native.O_NONBLOCK) != 0) {
                    // cannot happen on a pipe we just made; a blocking stdin would stall the engine: refuse
                    c.kill(pid, 9);
                    throw new SpawnException("fcntl(O_NONBLOCK) on stdin: " + Native.strerror(Native.errno()));
                }
                int pidfd = Pidfds.open(pid); // -1 without pidfds (Pidfds): then SIGCHLD alone reaps it
                SpawnedChild child = new SpawnedChild(pid, pidfd, fd[1], fd[2], fd[4]);
                java.util.Arrays.fill(fd, -1); // handed over to the caller
                return child;
            } finally {
                int ignored = (int) Ffm.call(FA_DESTROY, Ffm.address(actions));
            }
        } catch (SpawnException e) {
            throw e;
        } catch (Throwable t) {
            throw Ffm.fail(t);
        } finally {
            for (int f : fd) {
                if (f >= 0) {
                    c.close(f);
                }
            }
        }
    }

    /** Every signal 1..64 (a sigset's first word all ones): glibc's sigfillset would leave out 32 and 33. */
    private static MemorySegment allSignals(Arena arena) {
        MemorySegment set = arena.allocate(Layouts.SIGSET);
        set.set(Ffm.LONG, 0, -1L);
        return set;
    }

    private static void check(String call, int rc) throws SpawnException {
        if (rc != 0) {
            throw new SpawnException("couldn't set up the spawn: " + call + ": " + Native.strerror(rc));
        }
    }

    /** A pipe (close-on-exec) into fd[at] (read end) and fd[at + 1] (write end), through the spawn's arena. */
    private static void pipe(MemorySegment pipes, int at, int[] fd) throws SpawnException {
        MemorySegment two = pipes.asSlice(at * INT.byteSize(), 2 * INT.byteSize());
        if (Native.LIBC.pipe2(two, Native.O_CLOEXEC) != 0) {
            throw new SpawnException("Too many processes in process table to spawn (pipe: "
                    + Native.strerror(Native.errno()) + ")");
        }
        fd[at] = two.getAtIndex(INT, 0);
        fd[at + 1] = two.getAtIndex(INT, 1);
    }

    private static void closeNow(int[] fd, int i) {
        if (fd[i] >= 0) {
            Native.LIBC.close(fd[i]);
            fd[i] = -1;
        }
    }

    /**
     * Non-blocking (the engine reads it from epoll), and 1 MiB instead of 64 KiB: a chatty child blocks and wakes
     * the loop 16 times less often. Pages are only used while data waits; F_SETPIPE_SZ failing (a user over its
     * pipe quota) is harmless, O_NONBLOCK cannot fail on our own pipe (F_SETFL alone: a read end has no other
     * status flag to keep).
     */
    private static void outputEnd(int fd) {
        Native.LIBC.fcntl(fd, Native.F_SETFL, Native.O_NONBLOCK);
        Native.LIBC.fcntl(fd, Native.F_SETPIPE_SZ, 1 << 20);
    }
}
