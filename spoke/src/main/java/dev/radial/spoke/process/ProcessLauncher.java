package dev.radial.spoke.process;

import java.util.List;
import java.util.Map;

/**
 * The one seam between a {@link Subprocess} and the operating system: everything native the state machine
 * needs (start a child, signal it, release what the parent holds of it, who we are). The engine supplies the
 * real implementation ({@code os.NativeLauncher}); a test supplies a fake, together with an injectable clock
 * ({@link ProcessHost#nanoTime()}, {@link ProcessHost#wallMillis()}), to drive the eight states without real
 * processes. Reaping is not here: the owner of the host reports exits through {@link Subprocess#finish}.
 *
 * <p>Threading: called on the engine thread only.
 */
public interface ProcessLauncher {
    /**
     * What to start.
     *
     * @param path        absolute path of the executable (resolved as supervisord does)
     * @param argv        argv[0] included
     * @param env         the complete environment
     * @param directory   chdir target, or null
     * @param umask       the child's umask, or null to inherit
     * @param mergeStderr stderr goes to the stdout pipe (redirect_stderr)
     */
    record SpawnRequest(String path, List<String> argv, Map<String, String> env, String directory, Integer umask,
            boolean mergeStderr) {
        public SpawnRequest {
            argv = List.copyOf(argv);
            env = env instanceof ChildEnvironment ? env : Map.copyOf(env); // that one is immutable already
        }
    }

    /**
     * A started child: its pid (also its process group id: every child leads its own group), a pidfd
     * referring to it (-1 when the kernel has none), and the parent's pipe ends: write end of stdin, read
     * ends of stdout and stderr. A pipe end is -1 when absent (stderr merged, or a fake launcher).
     */
    record SpawnedChild(int pid, int pidfd, int stdin, int stdout, int stderr) {
    }

    /** Why a spawn failed; the message is supervisord's spawnerr text. */
    final class SpawnException extends Exception {
        public SpawnException(String message) {
            super(message);
        }
    }

    /** What became of a signal. */
    sealed interface SignalResult {
        /** Sent. */
        record Delivered() implements SignalResult {
        }

        /** The child (or every member of its group) is already gone: its exit is being or was reaped. */
        record Gone() implements SignalResult {
        }

        /** The kernel refused, e.g. EPERM; the reason is strerror-like text. */
        record Failed(String reason) implements SignalResult {
        }

        SignalResult DELIVERED = new Delivered();
        SignalResult GONE = new Gone();
    }

    /** Starts a child in its own process group with default signal dispositions and an empty mask. */
    SpawnedChild spawn(SpawnRequest request) throws SpawnException;

    /**
     * Signals a child that has not been reaped yet: the leader alone (through its pidfd where there is one, so a
     * recycled pid is never hit), or its whole process group. The caller guarantees the child is unreaped, which
     * is what makes the group id ours: a pid is not reused while its process exists, zombie included.
     */
    SignalResult signal(SpawnedChild child, int sig, boolean group);

    /**
     * The child was reaped: closes what the launcher holds for it (its pidfd). Its pipe ends are not the
     * launcher's: output ends belong to their dispatchers, the stdin end to the process's {@code StdinPipe}.
     */
    void release(SpawnedChild child);

    /** The spoke's real user id (user= switching needs root). */
    int uid();
}
