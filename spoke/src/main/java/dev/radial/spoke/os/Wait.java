package dev.radial.spoke.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Reaping with waitid(2): one child through its pidfd ({@code P_PIDFD}) or pid, or a look at any zombie child
 * without reaping it ({@code WNOWAIT}). Whoever calls these is the process's only reaper (the engine thread):
 * that is what makes a pid safe to signal until its exit was taken here.
 */
public final class Wait {
    private static final int P_ALL = 0;
    private static final int P_PID = 1;
    private static final int P_PIDFD = 3;
    private static final int WNOHANG = 1;
    private static final int WEXITED = 4;
    private static final int WNOWAIT = 0x01000000;
    private static final int CLD_EXITED = 1;
    private static final int CLD_DUMPED = 3;

    /** A reaped (or, for {@link #peek}, waiting) child: its pid and how it ended. */
    public record Reaped(int pid, ExitStatus status) {
    }

    private final MemorySegment info = Arena.ofAuto().allocate(Layouts.SIGINFO);

    /** Reaps the child behind pidfd (or pid when pidfd is -1) if it has exited; null while it runs. */
    public Reaped reap(int pid, int pidfd) {
        return waitid(pidfd >= 0 ? P_PIDFD : P_PID, pidfd >= 0 ? pidfd : pid, WEXITED | WNOHANG);
    }

    /** Some exited child, left a zombie (WNOWAIT), or null when none has exited. */
    public Reaped peek() {
        return waitid(P_ALL, 0, WEXITED | WNOHANG | WNOWAIT);
    }

    private Reaped waitid(int idtype, int id, int options) {
        while (true) {
            info.fill((byte) 0);
            if (Native.LIBC.waitid(idtype, id, info, options) == 0) {
                int pid = info.get(Ffm.INT, Layouts.SI_PID);
                if (pid == 0) {
                    return null; // WNOHANG: nothing has exited
                }
                int code = info.get(Ffm.INT, Layouts.SI_CODE);
                int status = info.get(Ffm.INT, Layouts.SI_STATUS);
                return new Reaped(pid, code == CLD_EXITED ? new ExitStatus.Exited(status)
                        : new ExitStatus.Signaled(status, code == CLD_DUMPED));
            }
            int errno = Native.errno();
            if (errno != Native.EINTR) {
                return null; // ECHILD: no such child (already reaped, or none at all)
            }
        }
    }
}
