package dev.radial.hub.live;

import dev.radial.common.radial.SpokeDirs;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Brings every running spoke to the published revision, all spokes at once: each update runs on its own virtual
 * thread, so a stopped or hung spoke costs only its own timeout and delays neither the other spokes nor the
 * hub's sync loop (which never waits here). A spoke still busy with an older revision gets the newest one as soon
 * as that update ends; one update per spoke at a time.
 *
 * <p>Threading: {@link #update} is called from the sync thread and returns at once; the listener is called on
 * the spoke's update thread, once with UPDATING when the update starts and once with its outcome. All state
 * is guarded by this object's monitor (never held during a call to a spoke).
 */
public final class SpokeFleet implements AutoCloseable {
    /** Receives every spoke's progress; must not block. */
    public interface Listener {
        void outcome(String identity, String revision, SpokeOutcome outcome, long millis);
    }

    private final SpokeUpdater updater;
    private final Listener listener;
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("spoke-update-", 0).factory());
    /**
     * Identity -> the revision last attempted on it. Whatever the outcome, except TIMED_OUT: a stale socket or a
     * refusing spoke is not retried every scan, only at the next publish or when it restarts (new socket).
     */
    private final Map<String, String> attempted = new HashMap<>();
    /**
     * Identity -> when a spoke that timed out is tried again (nanoTime): it exists but was stopped or hung, and
     * once it answers again it must not stay on the old revision until the next publish.
     */
    private final Map<String, Long> retryAt = new HashMap<>();
    private final long retryNanos;
    /** Identity -> revision of the update running now. */
    private final Map<String, String> running = new HashMap<>();
    /** Identity -> the newer revision (and directory) to apply when the running update ends. */
    private final Map<String, Pending> queued = new HashMap<>();
    private boolean closed;

    private record Pending(Path dir, String revision) {
    }

    /** @param retry how long after a spoke timed out it is tried again by the catch-up scan */
    public SpokeFleet(SpokeUpdater updater, Listener listener, java.time.Duration retry) {
        this.updater = updater;
        this.listener = listener;
        this.retryNanos = retry.toNanos();
    }

    /**
     * Starts updating the spokes in {@code dirs} to {@code revision}; with {@code onlyBehind}, only those not yet
     * attempted at that revision, or timed out and due again (the catch-up scan for spokes that started after a
     * publish or answer again). Returns how many updates were started or queued.
     */
    public synchronized int update(List<Path> dirs, String revision, boolean onlyBehind) {
        if (closed) {
            return 0;
        }
        int n = 0;
        for (Path dir : dirs) {
            String id = SpokeUpdater.identity(dir);
            Long retry = retryAt.get(id);
            if (onlyBehind && (revision.equals(attempted.get(id)) || revision.equals(running.get(id))
                    || (retry != null && System.nanoTime() - retry < 0))) {
                continue;
            }
            if (running.containsKey(id)) {
                if (!revision.equals(running.get(id))) {
                    queued.put(id, new Pending(dir, revision));
                    n++;
                }
                continue;
            }
            start(id, dir, revision);
            n++;
        }
        return n;
    }

    /** Forgets spokes whose socket is gone, so that a spoke restarted under the same name is updated again. */
    public synchronized void retain(Set<String> identities) {
        attempted.keySet().retainAll(identities);
        retryAt.keySet().retainAll(identities);
    }

    /** True while any update runs or waits (for tests and status). */
    public synchronized boolean busy() {
        return !running.isEmpty() || !queued.isEmpty();
    }

    /** The identities of the spokes in {@code dirs}. */
    public static Set<String> identities(List<Path> dirs) {
        Set<String> s = new HashSet<>();
        dirs.forEach(d -> s.add(SpokeUpdater.identity(d)));
        return s;
    }

    private void start(String id, Path dir, String revision) {
        running.put(id, revision);
        threads.execute(() -> run(id, dir, revision));
    }

    private void run(String id, Path dir, String revision) {
        long t0 = System.nanoTime();
        String host = dir.getFileName().toString();
        String spoke = SpokeDirs.spokeName(dir);
        SpokeOutcome o;
        try {
            listener.outcome(id, revision, new SpokeOutcome(spoke, host, SpokeOutcome.Result.UPDATING, ""), 0);
            o = updater.update(dir);
        } catch (RuntimeException | Error e) {
            o = new SpokeOutcome(spoke, host, SpokeOutcome.Result.FAILED, "internal error: " + e);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        try {
            listener.outcome(id, revision, o, ms);
        } finally {
            synchronized (this) {
                running.remove(id);
                if (o != null && o.result() == SpokeOutcome.Result.TIMED_OUT) {
                    attempted.remove(id);
                    retryAt.put(id, System.nanoTime() + retryNanos);
                } else {
                    attempted.put(id, revision);
                    retryAt.remove(id);
                }
                Pending next = queued.remove(id);
                if (next != null && !closed) {
                    start(id, next.dir(), next.revision());
                }
            }
        }
    }

    /** Stops starting updates; running ones end by their own timeout (virtual threads do not keep the JVM up). */
    @Override
    public synchronized void close() {
        closed = true;
        queued.clear();
        threads.shutdown();
    }
}
