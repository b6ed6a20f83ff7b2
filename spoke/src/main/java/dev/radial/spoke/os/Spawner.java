package dev.radial.spoke.os;

import static dev.radial.spoke.os.Ffm.INT;
import static dev.radial.spoke.os.Ffm.PTR;
import static dev.radial.spoke.os.Ffm.SHORT;

import dev.radial.spoke.process.ProcessLauncher.SpawnException;
import dev.radial.spoke.process.ProcessLauncher.SpawnRequest;
import dev.radial.spoke.process.ProcessLauncher.SpawnedChild;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

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
     * Links and runs the spawn path's downcalls once (file actions and attributes initialised and destroyed, no
     * child): FFM spins each handle's code on first use, which would otherwise land on the first startProcess
     * (measured: the first spawn took ~100 ms instead of a few). Called while the spoke starts.
     */
    static void warmUp() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(Layouts.SPAWN_FILE_ACTIONS);
            MemorySegment attr = arena.allocate(Layouts.SPAWN_ATTR);
            if ((int) Ffm.call(FA_INIT, Ffm.address(actions)) == 0) {
                int ignored = (int) Ffm.call(FA_CLOSEFROM, Ffm.address(actions), 3);
                ignored = (int) Ffm.call(FA_DESTROY, Ffm.address(actions));
            }
            if ((int) Ffm.call(ATTR_INIT, Ffm.address(attr)) == 0) {
                int ignored = (int) Ffm.call(ATTR_SIGMASK, Ffm.address(attr), Ffm.address(arena.allocate(Layouts.SIGSET)));
                ignored = (int) Ffm.call(ATTR_SIGDEFAULT, Ffm.address(attr), Ffm.address(allSignals(arena)));
                ignored = (int) Ffm.call(ATTR_PGROUP, Ffm.address(attr), 0);
                ignored = (int) Ffm.call(ATTR_FLAGS, Ffm.address(attr), (short) 0);
                ignored = (int) Ffm.call(ATTR_DESTROY, Ffm.address(attr));
            }
            strings(arena, java.util.List.of("warm", "up"));
        } catch (Throwable t) {
            throw Ffm.fail(t);
        }
    }

    static SpawnedChild spawn(SpawnRequest r) throws SpawnException {
        Libc c = Native.LIBC;
        List<Integer> opened = new ArrayList<>(6);
        try (Arena arena = Arena.ofConfined()) {
            int[] in = pipe(opened);
            int[] out = pipe(opened);
            int[] err = r.mergeStderr() ? null : pipe(opened);
            MemorySegment actions = arena.allocate(Layouts.SPAWN_FILE_ACTIONS);
            MemorySegment attr = arena.allocate(Layouts.SPAWN_ATTR);
            check("posix_spawn_file_actions_init", (int) Ffm.call(FA_INIT, Ffm.address(actions)));
            try {
                check("posix_spawnattr_init", (int) Ffm.call(ATTR_INIT, Ffm.address(attr)));
                try {
                    check("posix_spawn_file_actions_adddup2", (int) Ffm.call(FA_DUP2, Ffm.address(actions), in[0], 0));
                    check("posix_spawn_file_actions_adddup2", (int) Ffm.call(FA_DUP2, Ffm.address(actions), out[1], 1));
                    check("posix_spawn_file_actions_adddup2",
                            (int) Ffm.call(FA_DUP2, Ffm.address(actions), r.mergeStderr() ? out[1] : err[1], 2));
                    // supervisord closes fds 3..minfds in the child; closefrom closes every one of the JVM's
                    check("posix_spawn_file_actions_addclosefrom_np", (int) Ffm.call(FA_CLOSEFROM, Ffm.address(actions), 3));
                    if (r.directory() != null) {
                        check("posix_spawn_file_actions_addchdir_np",
                                (int) Ffm.call(FA_CHDIR, Ffm.address(actions), Ffm.address(arena.allocateFrom(r.directory()))));
                    }
                    check("posix_spawnattr_setsigmask", (int) Ffm.call(ATTR_SIGMASK, Ffm.address(attr), Ffm.address(arena.allocate(Layouts.SIGSET)))); // zeroed: nothing blocked
                    check("posix_spawnattr_setsigdefault", (int) Ffm.call(ATTR_SIGDEFAULT, Ffm.address(attr), Ffm.address(allSignals(arena))));
                    check("posix_spawnattr_setpgroup", (int) Ffm.call(ATTR_PGROUP, Ffm.address(attr), 0));
                    check("posix_spawnattr_setflags", (int) Ffm.call(ATTR_FLAGS, Ffm.address(attr), (short) (POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)));
                    MemorySegment argv = strings(arena, r.argv());
                    MemorySegment envp = strings(arena, r.env().entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue()).toList());
                    MemorySegment pidOut = arena.allocate(INT);
                    int rc;
                    int oldUmask = r.umask() == null ? -1 : c.umask(r.umask());
                    try {
                        rc = (int) Ffm.call(SPAWN, Ffm.address(pidOut), Ffm.address(arena.allocateFrom(r.path())), Ffm.address(actions), Ffm.address(attr), Ffm.address(argv), Ffm.address(envp));
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
                    closeNow(opened, in[0]);
                    closeNow(opened, out[1]);
                    if (err != null) {
                        closeNow(opened, err[1]);
                    }
                    outputEnd(out[0]);
                    if (err != null) {
                        outputEnd(err[0]);
                    }
                    if (!Native.nonBlocking(in[1])) {
                        // cannot happen on a pipe we just made; a blocking stdin would stall the engine: refuse
                        c.kill(pid, 9);
                        throw new SpawnException("fcntl(O_NONBLOCK) on stdin: " + Native.strerror(Native.errno()));
                    }
                    int pidfd = Pidfds.open(pid); // -1 without pidfds (Pidfds): then SIGCHLD alone reaps it
                    opened.clear(); // handed over to the caller
                    return new SpawnedChild(pid, pidfd, in[1], out[0], err == null ? -1 : err[0]);
                } finally {
                    int ignored = (int) Ffm.call(ATTR_DESTROY, Ffm.address(attr));
                }
            } finally {
                int ignored = (int) Ffm.call(FA_DESTROY, Ffm.address(actions));
            }
        } catch (SpawnException e) {
            throw e;
        } catch (Throwable t) {
            throw Ffm.fail(t);
        } finally {
            for (int fd : opened) {
                c.close(fd);
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

    private static int[] pipe(List<Integer> opened) throws SpawnException {
        int[] fds = new int[2];
        if (Native.LIBC.pipe2(fds, Native.O_CLOEXEC) != 0) {
            throw new SpawnException("Too many processes in process table to spawn (pipe: "
                    + Native.strerror(Native.errno()) + ")");
        }
        opened.add(fds[0]);
        opened.add(fds[1]);
        return fds;
    }

    private static void closeNow(List<Integer> opened, int fd) {
        opened.remove(Integer.valueOf(fd));
        Native.LIBC.close(fd);
    }

    /**
     * Non-blocking (the engine reads it from epoll), and 1 MiB instead of 64 KiB: a chatty child blocks and wakes
     * the loop 16 times less often. Pages are only used while data waits; F_SETPIPE_SZ failing (a user over its
     * pipe quota) is harmless, O_NONBLOCK cannot fail on our own pipe.
     */
    private static void outputEnd(int fd) {
        Native.nonBlocking(fd);
        Native.LIBC.fcntl(fd, Native.F_SETPIPE_SZ, 1 << 20);
    }

    /** A NULL-terminated char*[] of UTF-8 strings (argv, envp), in the arena. */
    static MemorySegment strings(Arena arena, List<String> list) {
        MemorySegment array = arena.allocate(PTR, list.size() + 1L);
        for (int i = 0; i < list.size(); i++) {
            array.setAtIndex(java.lang.foreign.ValueLayout.ADDRESS, i, arena.allocateFrom(list.get(i)));
        }
        array.setAtIndex(java.lang.foreign.ValueLayout.ADDRESS, list.size(), MemorySegment.NULL);
        return array;
    }
}
