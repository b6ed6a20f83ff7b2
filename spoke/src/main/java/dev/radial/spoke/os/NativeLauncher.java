package dev.radial.spoke.os;

import dev.radial.spoke.process.ProcessLauncher;

/** The real {@link ProcessLauncher}: posix_spawn children, signals through the kernel. Engine thread only. */
public final class NativeLauncher implements ProcessLauncher {
    @Override
    public SpawnedChild spawn(SpawnRequest r) throws SpawnException {
        try {
            Spawner.Child c = Spawner.spawn(r.path(), r.argv(), r.env(), r.directory(), r.umask(), r.mergeStderr());
            return new SpawnedChild(c.pid(), -1, c.pipes().stdin(), c.pipes().stdout(), c.pipes().stderr());
        } catch (Spawner.SpawnException e) {
            throw new SpawnException(e.getMessage());
        }
    }

    @Override
    public SignalResult signal(SpawnedChild child, int sig, boolean group) {
        if (Native.LIBC.kill(group ? -child.pid() : child.pid(), sig) == 0) {
            return SignalResult.DELIVERED;
        }
        int errno = Native.errno();
        return errno == Native.ESRCH ? SignalResult.GONE : new SignalResult.Failed(Native.strerror(errno));
    }

    @Override
    public void release(SpawnedChild child) {
        if (child.stdin() >= 0) {
            Native.LIBC.close(child.stdin());
        }
    }

    @Override
    public int uid() {
        return Native.POSIX.getuid();
    }
}
