package dev.radial.spoke.engine;

import dev.radial.spoke.logging.MainLog;
import dev.radial.spoke.os.Epoll;
import dev.radial.spoke.os.ExitStatus;
import dev.radial.spoke.os.Leftovers;
import dev.radial.spoke.os.Native;
import dev.radial.spoke.os.Wait;
import dev.radial.spoke.process.ProcessLauncher.SpawnedChild;
import dev.radial.spoke.process.Subprocess;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The engine's children and their reaping. Each child's pidfd sits in the engine's epoll set and is reaped
 * with waitid(P_PIDFD) when it becomes readable; SIGCHLD makes the engine {@link #sweep} for the rest (orphans
 * adopted as PID 1 or subreaper, and children on a kernel without pidfds). The engine thread is the only
 * reaper in the process, and it forgets a pid in the same step that reaps it: so no signal can reach a
 * recycled pid, and no other thread races the engine.
 *
 * <p>Process groups: every child leads its own. A group is ours while its leader is unreaped (a pid, and so a
 * group id, is not reused while its process exists, zombie included); the entry is pruned when the leader is
 * reaped. What is left of a group after that are descendants of ours, killed at shutdown as our children by
 * {@link #killLeftovers} (never by group id).
 *
 * <p>Threading: engine thread only.
 */
final class Children {
    /** A child of a process, or (process null) a probe command's child with its own exit handler. */
    private record Entry(Subprocess process, SpawnedChild child, java.util.function.Consumer<ExitStatus> onExit) {
    }

    private final Epoll epoll;
    private final MainLog log;
    private final BiConsumer<Subprocess, ExitStatus> sink;
    private final Wait wait = new Wait();
    private final Map<Integer, Entry> byPid = new HashMap<>();
    private final Map<Integer, Entry> byPidfd = new HashMap<>();
    /** Process groups whose leader is ours and unreaped. */
    private final Set<Integer> groups = new LinkedHashSet<>();

    /** @param sink told every reaped child of a process (it calls {@link Subprocess#finish}) */
    Children(Epoll epoll, MainLog log, BiConsumer<Subprocess, ExitStatus> sink) {
        this.epoll = epoll;
        this.log = log;
        this.sink = sink;
    }

    void add(Subprocess p, SpawnedChild c) {
        watch(new Entry(p, c, null), p.name());
    }

    /**
     * A probe command's child: reaped like the others (so a sweep never takes it for an orphan), its exit told
     * to {@code onExit} instead of a process; its group is killed at shutdown with the rest.
     */
    void addProbe(SpawnedChild c, String what, java.util.function.Consumer<ExitStatus> onExit) {
        watch(new Entry(null, c, onExit), what);
    }

    private void watch(Entry e, String what) {
        SpawnedChild c = e.child();
        byPid.put(c.pid(), e);
        groups.add(c.pid());
        if (c.pidfd() >= 0) {
            try {
                epoll.add(c.pidfd());
                byPidfd.put(c.pidfd(), e);
            } catch (IOException ex) {
                log.warn("cannot watch pidfd of " + what + " (" + ex.getMessage() + "); SIGCHLD reaps it");
            }
        }
    }

    boolean isPidfd(int fd) {
        return byPidfd.containsKey(fd);
    }

    /** A pidfd became readable: its child exited. */
    void pidfdReady(int fd) {
        Entry e = byPidfd.get(fd);
        if (e != null) {
            reap(e);
        }
    }

    /** Process groups we lead now (for tests and shutdown). */
    Set<Integer> groups() {
        return Set.copyOf(groups);
    }

    int size() {
        return byPid.size();
    }

    /** SIGCHLD: reaps every exited child, ours through its entry, orphans by pid. */
    void sweep() {
        Wait.Reaped z;
        while ((z = wait.peek()) != null) {
            Entry e = byPid.get(z.pid());
            if (e != null) {
                if (!reap(e)) {
                    return; // cannot happen (peek saw it exited); never spin
                }
            } else {
                Wait.Reaped r = wait.reap(z.pid(), -1); // an adopted orphan: ours to reap, nobody else's
                if (r == null) {
                    return;
                }
                log.info("reaped unknown pid " + r.pid() + " (" + r.status().describe() + ")");
            }
        }
    }

    private boolean reap(Entry e) {
        if (e.onExit() != null) {
            // a probe command leaves nothing behind: what it started in its group is killed while the leader, a
            // zombie now (its pidfd is readable, or the sweep saw it exit), still holds the group id for us
            Native.LIBC.kill(-e.child().pid(), 9);
        }
        Wait.Reaped r = wait.reap(e.child().pid(), e.child().pidfd());
        if (r == null) {
            return false; // spurious: still running
        }
        forget(e);
        deliver(e, r.status());
        return true;
    }

    private void deliver(Entry e, ExitStatus status) {
        if (e.onExit() != null) {
            e.onExit().accept(status);
        } else {
            sink.accept(e.process(), status);
        }
    }

    private void forget(Entry e) {
        byPid.remove(e.child().pid());
        groups.remove(e.child().pid());
        if (e.child().pidfd() >= 0 && byPidfd.remove(e.child().pidfd()) != null) {
            epoll.remove(e.child().pidfd()); // the launcher closes the pidfd when the process releases it
        }
    }

    /**
     * supervisord leaves grandchildren running (its issue #1101). We do not: the groups whose leader is still
     * ours get SIGKILL (none normally: shutdown stopped every process first), then every process still our
     * child, round after round as their own children are reparented to us. Bounded: gives up after
     * {@code deadlineMillis}, logging what is left.
     */
    void killLeftovers(long deadlineMillis) {
        for (int pgid : List.copyOf(groups)) {
            Native.LIBC.kill(-pgid, 9);
        }
        long end = System.nanoTime() + deadlineMillis * 1_000_000L;
        while (true) {
            sweep();
            List<Integer> left;
            try {
                left = Leftovers.children();
            } catch (IOException e) {
                log.warn("cannot scan /proc for leftover processes: " + e.getMessage());
                return;
            }
            if (left.isEmpty()) {
                return;
            }
            long remaining = (end - System.nanoTime()) / 1_000_000L;
            if (remaining <= 0) {
                log.warn("leftover processes still alive at shutdown: " + left);
                return;
            }
            for (int pid : left) {
                Entry e = byPid.get(pid);
                log.warn("killing leftover process " + pid + " at shutdown");
                Wait.Reaped r = Leftovers.killAndReap(wait, pid, (int) Math.max(1, remaining));
                if (r != null && e != null) {
                    forget(e);
                    deliver(e, r.status());
                }
            }
        }
    }
}
