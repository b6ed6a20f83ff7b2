package dev.radial.hub.publish;

import dev.radial.hub.git.Limits;
import dev.radial.hub.git.SourceTree;
import dev.radial.hub.git.SyncException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Publishes revisions of /config as one transaction that cannot destroy what is live (layout in {@link Layout}):
 * <ol>
 * <li>everything for the revision is prepared aside in {@code .radial/staging-<id>}: files streamed from git,
 * modes and owners ({@link Permissions}), then validation ({@link Validator}); a failure here deletes only the
 * staging directory;</li>
 * <li>the complete directory is renamed to {@code .radial/revisions/<id>}, the top-level links of names new in
 * it are created (they point into {@code .radial/current}, so they dangle until the switch and nobody reads a
 * name the served revision does not have), {@code .radial/previous} is set to the served revision;</li>
 * <li>one rename(2) of {@code .radial/current} switches: readers see the old tree or the new one, never a mix;</li>
 * <li>links to names the new revision lacks are removed and unreferenced revisions collected.</li>
 * </ol>
 * A failure before step 3 leaves the served revision as it was (the new directory is not current and is
 * removed; links made for it are undone); a failure after it is repaired by the next {@link #check()}. A crash
 * anywhere is repaired at start-up and before every "unchanged" ({@link Layout#repair()}).
 *
 * <p>Threading: one thread (the hub's sync thread) calls everything here; {@link #health()} may be read by others.
 */
public final class Publisher {
    static final String STATE_DIR = Layout.STATE_DIR;

    /** Where a crash is simulated in tests: each named step of {@link #publish}. */
    enum Step { WRITTEN, RENAMED, LINKED, SWITCHED, UNLINKED }

    /** A test's hook run at each step; may throw to stop the publish there (as a kill -9 would). */
    interface StepHook {
        void at(Step step) throws IOException;
    }

    private final Path configRoot;
    private final Permissions permissions;
    private final Map<String, String> env;
    private final Layout layout;
    private volatile ConfigHealth health = ConfigHealth.UNKNOWN;
    private volatile List<String> warnings = List.of();
    private final List<String> repairs = new ArrayList<>();
    StepHook hook = step -> { };

    public Publisher(Path configRoot, Permissions permissions, Map<String, String> env) {
        this.configRoot = configRoot.toAbsolutePath().normalize();
        this.permissions = permissions;
        this.env = Map.copyOf(env);
        this.layout = new Layout(this.configRoot);
    }

    Path revisions() {
        return layout.revisions;
    }

    Path current() {
        return layout.current;
    }

    /** The id of the served revision, or null when /config serves no complete revision. */
    public String currentId() {
        Path t = layout.target(layout.current);
        return t == null ? null : Layout.idOf(t);
    }

    /** The result of the last {@link #check()} or publish; {@link ConfigHealth#UNKNOWN} before the first. */
    public ConfigHealth health() {
        return health;
    }

    /** Warnings of the last published revision: unmatched files under supervisor/, skipped permission exceptions. */
    public List<String> warnings() {
        return warnings;
    }

    /** For the hub's log, since the last call: what checks repaired and a new revision's warnings ("warning: ..."). */
    public synchronized List<String> drainRepairs() {
        List<String> out = List.copyOf(repairs);
        repairs.clear();
        return out;
    }

    /** Verifies /config and repairs it if it can (a crashed publish, deleted or dangling links); cheap. */
    public ConfigHealth check() {
        ConfigHealth h = layout.repair();
        synchronized (this) {
            repairs.addAll(h.repaired());
        }
        health = h;
        return h;
    }

    /** The id a set of source revisions publishes as. */
    public static String idOf(List<SourceTree> trees) {
        StringBuilder sb = new StringBuilder();
        for (SourceTree t : trees) {
            sb.append(t.source().id()).append('=').append(t.revision()).append(';');
        }
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(
                    java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(h).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes, validates and publishes a revision. Returns false when {@code id} is already served and /config
     * is whole (after repairing its links if needed).
     *
     * @throws SyncException the revision is invalid (nothing is published; the message names the published
     *     path, the file in its repository, the line and the reason) or could not be written; the served revision
     *     is untouched either way
     */
    public boolean publish(String id, Map<String, Composer.Placed> files) throws SyncException {
        ConfigHealth before = check();
        if (id.equals(before.revision()) && before.ok()) {
            return false;
        }
        Path staging = layout.state.resolve("staging-" + id);
        Path dir = null;
        boolean switched = false;
        try {
            checkNames(files);
            prepare(staging, files);
            List<String> notes = new ArrayList<>(permissions.apply(staging, configRoot));
            notes.addAll(new Validator(configRoot, spokeEnv()).validate(staging, files, before.revision() != null));
            hook.at(Step.WRITTEN);

            Path served = layout.target(layout.current);
            Files.createDirectories(layout.revisions);
            dir = freeName(id, served, layout.target(layout.previous));
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            hook.at(Step.RENAMED);
            Set<String> names = Layout.topNames(dir);
            layout.linkAll(names);
            hook.at(Step.LINKED);
            if (served != null) {
                layout.pointLink(layout.previous, layout.state.relativize(served));
            }
            layout.pointLink(layout.current, layout.state.relativize(dir)); // the one atomic switch
            switched = true;
            hook.at(Step.SWITCHED);
            warnings = List.copyOf(notes);
            synchronized (this) {
                notes.forEach(n -> repairs.add("warning: " + n));
            }
            layout.unlinkOthers(names);
            hook.at(Step.UNLINKED);
            layout.collectGarbage(dir, served);
        } catch (SyncException e) {
            abandon(staging, dir, switched);
            throw e;
        } catch (IOException | RuntimeException e) {
            abandon(staging, dir, switched);
            if (!switched) {
                throw new SyncException("cannot write revision " + id + " under " + layout.state + ": " + e, e);
            }
            synchronized (this) {
                repairs.add("warning: revision " + id + " is served, but tidying up after the switch failed (the "
                        + "next check repairs it): " + e);
            }
        }
        check();
        return true;
    }

    private SpokeEnv spokeEnv() throws SyncException {
        try {
            return SpokeEnv.fromHubEnvironment(env);
        } catch (IllegalArgumentException e) {
            throw new SyncException(e.getMessage());
        }
    }

    /** After a failure: nothing served is touched; before the switch the new revision goes, links are undone. */
    private void abandon(Path staging, Path dir, boolean switched) {
        try {
            Layout.deleteTree(staging);
            if (!switched && dir != null && !dir.equals(layout.target(layout.current))) {
                layout.discard(dir);
            }
        } catch (IOException | RuntimeException ignored) {
            // what is left is garbage the next check collects
        }
        check();
    }

    /** {@code revisions/<id>}, or {@code <id>.2}... when that name is served (a lost current being replaced). */
    private Path freeName(String id, Path served, Path previous) throws IOException {
        for (int n = 1; ; n++) {
            Path p = layout.revisions.resolve(n == 1 ? id : id + "." + n);
            if (p.equals(served) || p.equals(previous)) {
                continue;
            }
            layout.discard(p);
            return p;
        }
    }

    /** Names the hub owns are refused; so are paths this file system cannot hold. */
    private static void checkNames(Map<String, Composer.Placed> files) throws SyncException {
        for (Map.Entry<String, Composer.Placed> f : files.entrySet()) {
            String top = f.getKey().split("/", 2)[0];
            if (top.equals(STATE_DIR)) {
                throw new SyncException("invalid configuration: " + f.getKey() + " in " + f.getValue().from().origin()
                        + ": the top-level name " + STATE_DIR + " is the hub's own (it holds the published "
                        + "revisions); rename it in the repository");
            }
        }
    }

    /** Streams every file to {@code staging}; within the {@link Limits} for the whole revision. */
    private void prepare(Path staging, Map<String, Composer.Placed> files) throws IOException, SyncException {
        Limits limits;
        try {
            limits = Limits.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            throw new SyncException(e.getMessage());
        }
        Limits.Budget budget = limits.budget();
        Layout.deleteTree(staging);
        Files.createDirectories(staging);
        for (Map.Entry<String, Composer.Placed> f : files.entrySet()) {
            SourceTree.FileEntry e = f.getValue().entry();
            String where = f.getKey() + " in " + f.getValue().from().origin();
            budget.add(where, e.size());
            Path target;
            try {
                target = staging.resolve(f.getKey()).normalize();
                if (!target.startsWith(staging) || target.equals(staging)) {
                    throw new SyncException(where + ": path leaves the tree");
                }
                Files.createDirectories(target.getParent());
                if (e.symlink()) {
                    Files.createSymbolicLink(target, Path.of(e.linkTarget())); // as git wrote it, never rewritten
                    continue;
                }
            } catch (InvalidPathException ex) {
                throw new SyncException(where + ": not a path this file system can hold (" + ex.getReason()
                        + "; file names are decoded with sun.jnu.encoding=" + System.getProperty("sun.jnu.encoding")
                        + ")");
            }
            long n;
            try (InputStream in = e.content().open()) {
                n = Files.copy(in, target);
            }
            if (n != e.size()) {
                throw new SyncException(where + ": read " + n + " bytes, git says " + e.size());
            }
            if (e.executable()) {
                Set<PosixFilePermission> p = Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS);
                p.addAll(Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                        PosixFilePermission.OTHERS_EXECUTE));
                Files.setPosixFilePermissions(target, p);
            }
        }
    }
}
