package dev.radial.hub;

import dev.radial.common.util.Redact;
import dev.radial.common.util.Json;
import dev.radial.hub.git.Mirror;
import dev.radial.hub.git.SourceTree;
import dev.radial.hub.git.SyncException;
import dev.radial.hub.live.SpokeFleet;
import dev.radial.hub.live.SpokeOutcome;
import dev.radial.hub.live.SpokeUpdater;
import dev.radial.hub.publish.Composer;
import dev.radial.hub.publish.Publisher;
import dev.radial.hub.source.Credentials;
import dev.radial.hub.source.Source;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.TextProgressMonitor;

/**
 * The hub: fetch every source (JGit), combine them, validate with the spoke's parser, publish atomically, then
 * make every running spoke apply it. {@link #run()} keeps doing that on a poll period, on webhook pushes and on
 * SIGHUP, with backoff while a remote fails, until {@link #stop()}.
 *
 * <p>Nothing a repository, a remote or a spoke socket does ends the hub: {@link #syncOnce} catches every failure
 * whatever its type and records it; spoke updates run beside the loop ({@link SpokeFleet}). The log says what
 * changed (a publish, a new error, a recovery, a spoke's outcome), never that nothing did.
 *
 * <p>Threading: {@link #run()} and {@link #syncOnce} on one sync thread; {@link #trigger} and {@link #stop} from
 * any thread; spoke outcomes arrive on the spokes' update threads.
 */
public final class Hub {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Settings settings;
    private final HubState state = new HubState();
    private final Mirror mirror;
    private final Publisher publisher;
    private final SpokeUpdater updater;
    private final SpokeFleet fleet;
    private final PrintStream log;
    private final BlockingQueue<String> triggers = new ArrayBlockingQueue<>(1);
    private volatile boolean stopped;
    private final CountDownLatch finished = new CountDownLatch(1);
    /** The failure last logged (sync thread only): the same failure again is not logged again. */
    private String loggedFailure;
    /** Guards the status files and the last status write error. */
    private final Object statusLock = new Object();
    private String statusWriteError;
    /** Spoke identity -> the outcome last logged for it. */
    private final java.util.Map<String, String> loggedSpokes = new java.util.HashMap<>();
    /** How often the hub looks for spokes that started after the last publish. */
    static final long SPOKE_SCAN_MILLIS = 2000;

    public Hub(Settings settings, PrintStream log, boolean terminal) {
        this.settings = settings;
        this.log = log;
        ProgressMonitor progress = terminal ? new TextProgressMonitor() : NullProgressMonitor.INSTANCE;
        this.mirror = new Mirror(settings.mirrors(), settings.timeoutSeconds(), progress, settings.env());
        this.publisher = new Publisher(settings.configRoot(), settings.permissions(), settings.env());
        this.updater = new SpokeUpdater(settings.runRoot(), Duration.ofSeconds(Math.max(1,
                settings.spokeTimeoutSeconds())));
        this.fleet = new SpokeFleet(updater, this::spokeOutcome, Duration.ofSeconds(Math.max(1,
                settings.spokeTimeoutSeconds())));
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

    /** True while a spoke update runs or waits (for tests: spoke updates run beside the sync loop). */
    public boolean updatingSpokes() {
        return fleet.busy();
    }

    /**
     * The outcome of one sync.
     *
     * @param remoteFailure the failure happened while fetching (the remote is down or refuses us): the only kind
     *     that backs off
     */
    public record Outcome(boolean ok, boolean published, String revision, String error, boolean remoteFailure) {
    }

    /** False until this hub process has logged its first successful sync (published or found live). */
    private boolean reportedFirstSync;

    /**
     * One sync: fetch, combine, validate, publish, then start updating spokes (not waiting for them). Never
     * throws: any failure, of any type, is the outcome, in the state and (when new) in the log.
     */
    public Outcome syncOnce(boolean updateSpokes) {
        long t0 = System.nanoTime();
        boolean fetching = true;
        try {
            List<SourceTree> trees = new ArrayList<>();
            for (Source s : settings.sources()) {
                trees.add(mirror.fetch(s));
            }
            fetching = false;
            String id = Publisher.idOf(trees);
            List<String> revs = trees.stream().map(t -> t.source().id() + "@" + shortRev(t.revision())).toList();
            long p0 = System.nanoTime();
            boolean published = publisher.publish(id, Composer.combine(trees));
            if (published) {
                state.published(id, revs, (System.nanoTime() - p0) / 1e9);
            } else {
                state.current(id, revs);
            }
            state.synced(true, null);
            checkConfig();
            int spokes = published && updateSpokes ? fleet.update(updater.spokes(), id, false) : 0;
            if (published) {
                line("sync " + String.join(" ", revs) + " in " + ms(t0) + " ms: published " + id
                        + (spokes > 0 ? "; updating " + spokes + " spoke(s)" : ""));
            } else if (loggedFailure != null) {
                line("sync " + String.join(" ", revs) + " ok again, revision " + id + " unchanged");
            } else if (!reportedFirstSync) {
                // a restarted hub finding its revision already live says so once; later unchanged polls stay quiet
                line("sync " + String.join(" ", revs) + " in " + ms(t0) + " ms: revision " + id
                        + " is already published");
            }
            reportedFirstSync = true;
            loggedFailure = null;
            writeStatus();
            return new Outcome(true, published, id, null, false);
        } catch (SyncException e) {
            return failed(e.getMessage(), fetching, t0);
        } catch (Throwable e) {
            // not a SyncException: a hostile input met a bug (ClassCastException, NPE, StackOverflowError, even
            // OutOfMemoryError on a huge blob). The loop must outlive it: recorded like any failure, one line.
            StackTraceElement where = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
            return failed("unexpected " + e.getClass().getName() + (e.getMessage() == null ? "" : ": "
                    + Redact.urlPasswords(e.getMessage())) + (where == null ? "" : " at " + where), fetching, t0);
        }
    }

    private Outcome failed(String error, boolean fetching, long t0) {
        checkConfig();
        String current = publisher.currentId();
        state.synced(false, error);
        if (!error.equals(loggedFailure)) {
            line("sync failed in " + ms(t0) + " ms, keeping " + (current == null ? "nothing (no good "
                    + "revision yet)" : "revision " + current) + ": " + error);
            loggedFailure = error;
        }
        writeStatus();
        return new Outcome(false, false, current, error, fetching);
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

    /** The /config problems last logged (the log records changes only). */
    private String loggedConfig;

    /** Verifies (and repairs) /config; its health and the revision's warnings go to the state and the log. */
    private void checkConfig() {
        dev.radial.hub.publish.ConfigHealth h = publisher.check();
        publisher.drainRepairs().forEach(r -> line(r.startsWith("warning: ") ? r : "repaired /config: " + r));
        String problems = h.ok() || h.revision() == null ? null : String.join("; ", h.problems());
        if (problems != null && !problems.equals(loggedConfig)) {
            line("/config is not whole: " + problems);
        }
        loggedConfig = problems;
        state.config(h);
        state.warnings(publisher.warnings());
    }

    /** Spoke update threads: the state always, the log only when a spoke's outcome changed (not every retry). */
    private void spokeOutcome(String identity, String revision, SpokeOutcome o, long millis) {
        state.spoke(identity, revision, o, millis);
        if (o.result() != SpokeOutcome.Result.UPDATING) {
            String said = o + " at revision " + revision;
            boolean changed;
            synchronized (loggedSpokes) {
                changed = !said.equals(loggedSpokes.put(identity, said));
            }
            if (changed) {
                line("spoke " + said + " in " + millis + " ms");
            }
        }
        writeStatus();
    }

    /**
     * A spoke that was starting while a revision was published may have read the previous one and opened its
     * socket after the hub looked: every spoke not yet brought to the current revision is updated now (a no-op
     * for one that already loaded it). Spokes whose socket is gone are forgotten. Does not wait for spokes.
     */
    void catchUpSpokes() {
        String id = publisher.currentId();
        if (id == null) {
            return;
        }
        List<Path> dirs = updater.spokes();
        Set<String> present = SpokeFleet.identities(dirs);
        fleet.retain(present);
        state.retainSpokes(present);
        synchronized (loggedSpokes) {
            loggedSpokes.keySet().retainAll(present);
        }
        fleet.update(dirs, id, true);
    }

    /**
     * The daemon: holds hub.lock until the first good publish, then syncs on every trigger or poll period.
     * Failures to fetch back off (doubling up to 5 min, {@link Backoff}); a trigger always syncs at once.
     */
    public void run() throws IOException, InterruptedException {
        Files.createDirectories(settings.hubRun());
        Files.writeString(settings.hubRun().resolve("pid"), Long.toString(ProcessHandle.current().pid()));
        recover();
        if (publisher.currentId() == null) {
            Files.createDirectories(settings.lock());
        }
        Backoff backoff = new Backoff(settings.pollSeconds());
        try {
            while (!stopped) {
                Outcome o = syncOnce(true);
                if (o.ok() || publisher.currentId() != null) {
                    removeLock();
                }
                long syncAt = System.currentTimeMillis() + backoff.after(o) * 1000;
                String why = null;
                while (!stopped && why == null && System.currentTimeMillis() < syncAt) {
                    why = triggers.poll(Math.min(SPOKE_SCAN_MILLIS, Math.max(1, syncAt - System.currentTimeMillis())),
                            TimeUnit.MILLISECONDS);
                    if (why == null) {
                        try {
                            catchUpSpokes();
                        } catch (RuntimeException e) {
                            line("spoke scan failed: " + e);
                        }
                    }
                }
                if (why != null && !why.equals("stop")) {
                    line("sync requested: " + why);
                }
            }
        } finally {
            fleet.close();
            Files.deleteIfExists(settings.lock());
            Files.deleteIfExists(settings.hubRun().resolve("pid"));
            finished.countDown();
        }
    }

    private void removeLock() {
        try {
            Files.deleteIfExists(settings.lock());
        } catch (IOException e) {
            line("cannot remove " + settings.lock() + ": " + e.getMessage());
        }
    }

    /**
     * Writes status.json (the full state, for {@code hub status --json}) and status.txt ({@code hub status}),
     * each atomically and readable by the hub's user only: they hold errors that may quote configuration values.
     */
    private void writeStatus() {
        synchronized (statusLock) {
            try {
                Files.createDirectories(settings.hubRun());
                writeOwnerOnly("status.json", Json.pretty(state.toMap(true)) + "\n");
                writeOwnerOnly("status.txt", state.summary());
                statusWriteError = null;
            } catch (IOException | RuntimeException e) {
                String msg = "cannot write status under " + settings.hubRun() + ": " + e;
                if (!msg.equals(statusWriteError)) {
                    line(msg);
                }
                statusWriteError = msg;
            }
        }
    }

    private void writeOwnerOnly(String name, String text) throws IOException {
        Path tmp = settings.hubRun().resolve(name + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.write(Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY)),
                    text.getBytes(StandardCharsets.UTF_8));
            Files.move(tmp, settings.hubRun().resolve(name), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
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
