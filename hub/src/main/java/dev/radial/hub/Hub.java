package dev.radial.hub;

import dev.radial.common.util.Json;
import dev.radial.hub.git.Mirror;
import dev.radial.hub.git.SourceTree;
import dev.radial.hub.git.SyncException;
import dev.radial.hub.live.SpokeOutcome;
import dev.radial.hub.live.SpokeUpdater;
import dev.radial.hub.publish.Composer;
import dev.radial.hub.publish.Publisher;
import dev.radial.hub.source.Source;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.TextProgressMonitor;

/**
 * The hub: fetch every source (JGit), combine them, validate with the spoke's parser, publish atomically, then
 * make every running spoke apply it. {@link #run()} keeps doing that on a poll period, on webhook pushes and on
 * SIGHUP, with backoff while a remote fails, until {@link #stop()}.
 */
public final class Hub {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");
    private static final int MAX_BACKOFF_SECONDS = 300;

    private final Settings settings;
    private final HubState state = new HubState();
    private final Mirror mirror;
    private final Publisher publisher;
    private final SpokeUpdater updater;
    private final PrintStream log;
    private final BlockingQueue<String> triggers = new ArrayBlockingQueue<>(1);
    private volatile boolean stopped;
    private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
    /** Spoke identity -> the revision it was last brought to (see {@link #catchUpSpokes()}). */
    private final java.util.Map<String, String> applied = new java.util.HashMap<>();
    /** How often the hub looks for spokes that started after the last publish. */
    static final long SPOKE_SCAN_MILLIS = 2000;

    public Hub(Settings settings, PrintStream log, boolean terminal) {
        this.settings = settings;
        this.log = log;
        ProgressMonitor progress = terminal ? new TextProgressMonitor() : NullProgressMonitor.INSTANCE;
        this.mirror = new Mirror(settings.mirrors(), settings.timeoutSeconds(), progress, settings.env());
        this.publisher = new Publisher(settings.configRoot(), settings.permissions(), settings.env());
        this.updater = new SpokeUpdater(settings.runRoot(), Duration.ofSeconds(Math.max(30, settings.timeoutSeconds())));
    }

    public HubState state() {
        return state;
    }

    /** Asks for a sync now (webhook, SIGHUP); several requests before it starts make one sync. */
    public void trigger(String why) {
        triggers.offer(why);
    }

    public void stop() {
        stopped = true;
        triggers.offer("stop");
    }

    /** Waits until {@link #run()} has returned (and removed hub.lock); false on timeout. */
    public boolean awaitFinished(long millis) throws InterruptedException {
        return finished.await(millis, TimeUnit.MILLISECONDS);
    }

    /** The outcome of one sync. */
    public record Outcome(boolean ok, boolean published, String revision, String error, List<SpokeOutcome> spokes) {
    }

    /** One sync: fetch, combine, validate, publish, update spokes. Never throws; the outcome says what happened. */
    public Outcome syncOnce(boolean updateSpokes) {
        long t0 = System.nanoTime();
        List<SourceTree> trees = new ArrayList<>();
        try {
            for (Source s : settings.sources()) {
                trees.add(mirror.fetch(s));
            }
            String id = Publisher.idOf(trees);
            List<String> revs = trees.stream().map(t -> t.source().id() + "@" + shortRev(t.revision())).toList();
            long p0 = System.nanoTime();
            boolean published = publisher.publish(id, Composer.combine(trees));
            if (published) {
                state.published(id, revs, (System.nanoTime() - p0) / 1e9);
            } else {
                state.current(id, revs);
            }
            List<SpokeOutcome> spokes = published && updateSpokes ? updateSpokes(updater.spokes(), id) : List.of();
            if (published && updateSpokes) {
                state.spokes(spokes);
            }
            state.synced(true, null);
            checkConfig();
            line("sync " + String.join(" ", revs) + " in " + ms(t0) + " ms: "
                    + (published ? "published " + id : "unchanged") + spokesText(spokes));
            writeStatus();
            return new Outcome(true, published, id, null, spokes);
        } catch (SyncException e) {
            state.synced(false, e.getMessage());
            checkConfig();
            line("sync failed in " + ms(t0) + " ms, keeping " + (publisher.currentId() == null ? "nothing (no good "
                    + "revision yet)" : "revision " + publisher.currentId()) + ": " + e.getMessage());
            writeStatus();
            return new Outcome(false, false, publisher.currentId(), e.getMessage(), List.of());
        }
    }

    /**
     * Start-up: takes the mirrors' lock (clearing a killed hub's git locks) and makes /config whole again
     * (a publish a crash interrupted); both are logged.
     */
    void recover() {
        try {
            mirror.recover().forEach(p -> line("removed stale git lock " + p));
        } catch (SyncException e) {
            line(e.getMessage());
        }
        checkConfig();
    }

    /** Verifies (and repairs) /config; its health and the revision's warnings go to the state and the log. */
    private void checkConfig() {
        dev.radial.hub.publish.ConfigHealth h = publisher.check();
        publisher.drainRepairs().forEach(r -> line(r.startsWith("warning: ") ? r : "repaired /config: " + r));
        if (!h.ok() && h.revision() != null) {
            line("/config is not whole: " + String.join("; ", h.problems()));
        }
        state.config(h);
        state.warnings(publisher.warnings());
    }

    private List<SpokeOutcome> updateSpokes(List<Path> dirs, String id) {
        List<SpokeOutcome> out = new ArrayList<>();
        for (Path dir : dirs) {
            SpokeOutcome o = updater.update(dir);
            out.add(o);
            // failed and unreachable ones too: a stale socket is not retried every scan, only when a new spoke
            // process appears there or a new revision is published
            applied.put(SpokeUpdater.identity(dir), id);
        }
        return out;
    }

    /**
     * A spoke that was starting while a revision was published may have read the previous one and opened its
     * socket after the hub looked: every spoke not yet brought to the current revision is updated now (a no-op
     * for one that already loaded it).
     */
    void catchUpSpokes() {
        String id = publisher.currentId();
        if (id == null) {
            return;
        }
        List<Path> behind = updater.spokes().stream()
                .filter(d -> !id.equals(applied.get(SpokeUpdater.identity(d)))).toList();
        if (!behind.isEmpty()) {
            List<SpokeOutcome> out = updateSpokes(behind, id);
            state.spokes(out);
            line("caught up " + behind.size() + " spoke(s) with revision " + id + spokesText(out));
            writeStatus();
        }
    }

    /**
     * The daemon: holds hub.lock until the first good publish, then syncs on every trigger or poll period.
     * Failures back off (doubling up to 5 min); a trigger always syncs at once.
     */
    public void run() throws IOException, InterruptedException {
        Files.createDirectories(settings.hubRun());
        Files.writeString(settings.hubRun().resolve("pid"), Long.toString(ProcessHandle.current().pid()));
        recover();
        if (publisher.currentId() == null) {
            Files.createDirectories(settings.lock());
        }
        try {
            int failures = 0;
            while (!stopped) {
                Outcome o = syncOnce(true);
                if (o.ok() || publisher.currentId() != null) {
                    Files.deleteIfExists(settings.lock());
                }
                failures = o.ok() ? 0 : failures + 1;
                long wait = failures == 0 ? settings.pollSeconds()
                        : Math.min((long) settings.pollSeconds() << Math.min(failures, 10), MAX_BACKOFF_SECONDS);
                long syncAt = System.currentTimeMillis() + wait * 1000;
                String why = null;
                while (!stopped && why == null && System.currentTimeMillis() < syncAt) {
                    why = triggers.poll(Math.min(SPOKE_SCAN_MILLIS, Math.max(1, syncAt - System.currentTimeMillis())),
                            TimeUnit.MILLISECONDS);
                    if (why == null) {
                        catchUpSpokes();
                    }
                }
                if (why != null && !why.equals("stop")) {
                    line("sync requested: " + why);
                }
            }
        } finally {
            Files.deleteIfExists(settings.lock());
            Files.deleteIfExists(settings.hubRun().resolve("pid"));
            finished.countDown();
        }
    }

    private void writeStatus() {
        try {
            Files.createDirectories(settings.hubRun());
            Path tmp = settings.hubRun().resolve("status.json.tmp");
            Files.writeString(tmp, Json.pretty(state.toMap()) + "\n");
            Files.move(tmp, settings.hubRun().resolve("status.json"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            line("cannot write status under " + settings.hubRun() + ": " + e.getMessage());
        }
    }

    private static String spokesText(List<SpokeOutcome> spokes) {
        if (spokes.isEmpty()) {
            return "";
        }
        return "; spokes: " + String.join("; ", spokes.stream().map(SpokeOutcome::toString).toList());
    }

    private static String shortRev(String rev) {
        return rev.length() > 12 ? rev.substring(0, 12) : rev;
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    void line(String text) {
        synchronized (log) {
            log.println(LocalDateTime.now().format(TIME) + " hub: " + text);
            log.flush();
        }
    }
}
