package dev.radial.spoke.os;

import dev.radial.spoke.process.ProcessLauncher;

/**
 * The real {@link ProcessLauncher}: posix_spawn children ({@link Spawner}), signals through the child's pidfd
 * (so a recycled pid is never hit) or, for a group, kill(-pgid) while its leader is unreaped. Engine thread only.
 */
public final class NativeLauncher implements ProcessLauncher {
    /** Warms the spawn path up (see {@link Spawner#warmUp}): made while the spoke starts, before it answers. */
    public NativeLauncher() {
        Spawner.warmUp();
        Pidfds.unavailableBecause(); // decided now, which also runs the syscall path once
    }

    @Override
    public SpawnedChild spawn(SpawnRequest r) throws SpawnException {
        return Spawner.spawn(r);
    }

    @Override
    public SignalResult signal(SpawnedChild child, int sig, boolean group) {
        int rc;
        if (group) {
            // the leader is unreaped (the caller's contract), so its pid, and the group id, are still ours
            rc = Native.LIBC.kill(-child.pid(), sig);
        } else if (child.pidfd() >= 0) {
            rc = Native.LIBC.pidfdSendSignal(child.pidfd(), sig);
        } else {
            rc = Native.LIBC.kill(child.pid(), sig);
        }
        if (rc == 0) {
            return SignalResult.DELIVERED;
        }
        int errno = Native.errno();
        return errno == Native.ESRCH ? SignalResult.GONE : new SignalResult.Failed(Native.strerror(errno));
    }

    @Override
    public void release(SpawnedChild child) {
        if (child.pidfd() >= 0) {
            Native.LIBC.close(child.pidfd());
        }
    }

    @Override
    public int uid() {
        return Native.POSIX.getuid();
    }
}
