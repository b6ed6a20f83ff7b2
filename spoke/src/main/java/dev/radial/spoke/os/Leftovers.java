package dev.radial.spoke.os;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The last step of a shutdown: processes still below the spoke (grandchildren that left their group, adopted
 * orphans) are killed by pid, but only our own unreaped children, which is what makes the pid safe: only we
 * can reap them, so they cannot be recycled in between. When one dies its own children are reparented to us
 * (PID 1 or child subreaper) and are found in the next round. Engine thread only (it is the reaper).
 */
public final class Leftovers {
    private static final int POLLIN = 1;

    private Leftovers() {
    }

    /** Our direct children now alive or zombie, from /proc (pid order). */
    public static List<Integer> children() throws IOException {
        int self = Native.POSIX.getpid();
        List<Integer> out = new ArrayList<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                String name = d.getFileName().toString();
                if (name.isEmpty() || !name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(d.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Integer.parseInt(f[1]) == self) {
                        out.add(Integer.parseInt(name));
                    }
                } catch (IOException | RuntimeException e) {
                    // it went away meanwhile
                }
            }
        }
        return out;
    }

    /**
     * SIGKILLs a child of ours and waits up to timeoutMillis (on its pidfd, no polling) for it to die; then reaps
     * it. Returns how it ended, or null if it has not died in time (left a zombie or stuck in the kernel). Without
     * pidfds (see {@link Pidfds}) there is no event to wait on: it looks every 5 ms until the deadline.
     */
    public static Wait.Reaped killAndReap(Wait wait, int pid, int timeoutMillis) {
        int pidfd = Pidfds.open(pid);
        if (pidfd < 0) {
            Native.LIBC.kill(pid, 9);
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            Wait.Reaped r;
            while ((r = wait.reap(pid, -1)) == null && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return r;
        }
        try {
            Native.LIBC.kill(pid, 9); // our unreaped child: this pid cannot be anybody else's
            if (pidfd >= 0) {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment pfd = arena.allocate(Layouts.POLLFD);
                    pfd.set(Ffm.INT, 0, pidfd);
                    pfd.set(Ffm.SHORT, 4, (short) POLLIN);
                    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
                    long left;
                    while ((left = (deadline - System.nanoTime()) / 1_000_000L) > 0
                            && Native.LIBC.poll(pfd, 1, (int) left) < 0 && Native.errno() == Native.EINTR) {
                        // interrupted: wait for the rest
                    }
                }
            }
            return wait.reap(pid, pidfd);
        } finally {
            if (pidfd >= 0) {
                Native.LIBC.close(pidfd);
            }
        }
    }
}
