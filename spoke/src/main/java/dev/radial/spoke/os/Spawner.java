package dev.radial.spoke.os;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.byref.IntByReference;

/**
 * Starts a child the way supervisord's fork/exec does, with posix_spawn: its own process group (setpgrp,
 * same session), stdin/stdout/stderr on pipes, every other descriptor closed, signals reset to default
 * and unblocked, an optional working directory and umask. Called from the engine thread only: the umask
 * is process-wide and is set around the spawn call.
 */
public final class Spawner {
    private static final short POSIX_SPAWN_SETPGROUP = 0x02;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final int SIGSET_BYTES = 128;

    private Spawner() {
    }

    /** The parent's ends of a child's pipes: write end of stdin, read ends of stdout and stderr (-1 if merged). */
    public record Pipes(int stdin, int stdout, int stderr) {
    }

    /** A started child. */
    public record Child(int pid, Pipes pipes) {
    }

    /** Why a spawn failed (the message is supervisord's spawnerr text). */
    public static final class SpawnException extends Exception {
        public SpawnException(String message) {
            super(message);
        }
    }

    /**
     * @param path       absolute path of the executable (already resolved, as supervisord does)
     * @param argv       argv[0] included
     * @param env        the complete environment
     * @param directory  chdir target or null
     * @param umask      umask for the child or null to inherit
     * @param mergeStderr send stderr to the stdout pipe (redirect_stderr)
     */
    public static Child spawn(String path, List<String> argv, Map<String, String> env, String directory,
            Integer umask, boolean mergeStderr) throws SpawnException {
        LibC c = Native.LIBC;
        int[] in = pipe();
        int[] out;
        int[] err = null;
        try {
            out = pipe();
        } catch (SpawnException e) {
            closeAll(in);
            throw e;
        }
        if (!mergeStderr) {
            try {
                err = pipe();
            } catch (SpawnException e) {
                closeAll(in);
                closeAll(out);
                throw e;
            }
        }
        Pointer actions = Memory.allocateDirect(Native.RUNTIME, 512);
        Pointer attr = Memory.allocateDirect(Native.RUNTIME, 512);
        c.posix_spawn_file_actions_init(actions);
        c.posix_spawnattr_init(attr);
        int oldUmask = -1;
        try {
            c.posix_spawn_file_actions_adddup2(actions, in[0], 0);
            c.posix_spawn_file_actions_adddup2(actions, out[1], 1);
            c.posix_spawn_file_actions_adddup2(actions, mergeStderr ? out[1] : err[1], 2);
            // supervisord closes fds 3..minfds in the child; closefrom closes every one of the JVM's
            c.posix_spawn_file_actions_addclosefrom_np(actions, 3);
            if (directory != null) {
                c.posix_spawn_file_actions_addchdir_np(actions, directory);
            }
            Pointer empty = Memory.allocateDirect(Native.RUNTIME, SIGSET_BYTES);
            empty.setMemory(0, SIGSET_BYTES, (byte) 0);
            Pointer defaults = Memory.allocateDirect(Native.RUNTIME, SIGSET_BYTES);
            defaults.setMemory(0, SIGSET_BYTES, (byte) 0);
            // reset every catchable signal 1..31 (the JVM installs handlers, and may ignore some)
            long bits = 0;
            for (int sig = 1; sig <= 31; sig++) {
                if (sig != 9 && sig != 19) {
                    bits |= 1L << (sig - 1);
                }
            }
            defaults.putLong(0, bits);
            c.posix_spawnattr_setsigmask(attr, empty);
            c.posix_spawnattr_setsigdefault(attr, defaults);
            c.posix_spawnattr_setpgroup(attr, 0);
            c.posix_spawnattr_setflags(attr, (short) (POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF
                    | POSIX_SPAWN_SETSIGMASK));
            Pointer[] argvp = strings(argv);
            Pointer[] envp = strings(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
            IntByReference pid = new IntByReference();
            if (umask != null) {
                oldUmask = c.umask(umask);
            }
            int rc = c.posix_spawn(pid, path, actions, attr, argvp, envp);
            if (rc != 0) {
                closeAll(in);
                closeAll(out);
                if (err != null) {
                    closeAll(err);
                }
                throw new SpawnException(rc == 2 && directory != null
                        ? "couldn't chdir to " + directory + ": " + Native.strerror(rc)
                        : "couldn't exec " + path + ": " + Native.strerror(rc));
            }
            c.close(in[0]);
            c.close(out[1]);
            if (err != null) {
                c.close(err[1]);
            }
            nonBlocking(out[0]);
            bigPipe(out[0]);
            if (err != null) {
                nonBlocking(err[0]);
                bigPipe(err[0]);
            }
            return new Child(pid.intValue(), new Pipes(in[1], out[0], err == null ? -1 : err[0]));
        } finally {
            if (oldUmask >= 0) {
                c.umask(oldUmask);
            }
            c.posix_spawn_file_actions_destroy(actions);
            c.posix_spawnattr_destroy(attr);
        }
    }

    private static int[] pipe() throws SpawnException {
        int[] fds = new int[2];
        if (Native.LIBC.pipe2(fds, Native.O_CLOEXEC) != 0) {
            throw new SpawnException("Too many processes in process table to spawn (pipe: "
                    + Native.strerror(Native.errno()) + ")");
        }
        return fds;
    }

    private static void closeAll(int[] fds) {
        for (int fd : fds) {
            Native.LIBC.close(fd);
        }
    }

    private static void nonBlocking(int fd) {
        int flags = Native.LIBC.fcntl(fd, Native.F_GETFL, 0);
        Native.LIBC.fcntl(fd, Native.F_SETFL, flags | Native.O_NONBLOCK);
    }

    /**
     * 1 MiB instead of 64 KiB for an output pipe: a chatty child blocks and wakes the loop 16 times less often
     * (log throughput). Pages are only used while data waits; failure (a user over its pipe quota) is harmless.
     */
    private static void bigPipe(int fd) {
        Native.LIBC.fcntl(fd, Native.F_SETPIPE_SZ, 1 << 20);
    }

    private static Pointer[] strings(List<String> list) {
        Pointer[] out = new Pointer[list.size() + 1];
        for (int i = 0; i < list.size(); i++) {
            byte[] b = list.get(i).getBytes(StandardCharsets.UTF_8);
            Pointer p = Memory.allocateDirect(Native.RUNTIME, b.length + 1);
            p.put(0, b, 0, b.length);
            p.putByte(b.length, (byte) 0);
            out[i] = p;
        }
        out[list.size()] = null;
        return out;
    }
}
