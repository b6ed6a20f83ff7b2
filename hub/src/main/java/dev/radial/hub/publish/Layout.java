package dev.radial.hub.publish;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The on-disk layout of /config and its invariants (see docs/hub.md):
 * <pre>
 *   .radial/revisions/&lt;id&gt;   complete revisions (a directory appears there only by rename, once complete)
 *   .radial/current -> revisions/&lt;id&gt;    the served one; switched by one rename(2)
 *   .radial/previous -> revisions/&lt;id&gt;   the one before (a reader may still be inside it)
 *   .radial/staging-&lt;id&gt;, .radial/trash-*, .radial/*.tmp   work in progress; garbage after a crash
 *   &lt;name&gt; -> .radial/current/&lt;name&gt;   one link per top-level name of the current revision
 * </pre>
 * Nothing {@code current} or {@code previous} points to is ever deleted; a directory is deleted only after it
 * was renamed into a trash name. Not thread-safe: the publisher's thread only.
 */
final class Layout {
    static final String STATE_DIR = ".radial";

    final Path root;
    final Path state;
    final Path revisions;
    final Path current;
    final Path previous;

    Layout(Path root) {
        this.root = root;
        this.state = root.resolve(STATE_DIR);
        this.revisions = state.resolve("revisions");
        this.current = state.resolve("current");
        this.previous = state.resolve("previous");
    }

    /** The revision directory a state link names, or null when it is missing or not a complete revision. */
    Path target(Path link) {
        try {
            if (!Files.isSymbolicLink(link)) {
                return null;
            }
            Path t = Files.readSymbolicLink(link);
            if (t.isAbsolute() || t.getNameCount() != 2 || !t.getName(0).toString().equals("revisions")) {
                return null;
            }
            Path dir = state.resolve(t);
            return complete(dir) ? dir : null;
        } catch (IOException e) {
            return null;
        }
    }

    static boolean complete(Path revision) {
        return Files.isDirectory(revision, LinkOption.NOFOLLOW_LINKS)
                && Files.exists(revision.resolve("supervisor/supervisord.conf"), LinkOption.NOFOLLOW_LINKS);
    }

    /** A revision directory's id: its name up to a '.' (a second copy of one id is {@code <id>.2}). */
    static String idOf(Path revision) {
        String n = revision.getFileName().toString();
        int dot = n.indexOf('.');
        return dot < 0 ? n : n.substring(0, dot);
    }

    static Path linkText(String name) {
        return Path.of(STATE_DIR, "current", name);
    }

    static Set<String> topNames(Path revision) throws IOException {
        Set<String> names = new TreeSet<>();
        try (DirectoryStream<Path> top = Files.newDirectoryStream(revision)) {
            for (Path p : top) {
                names.add(p.getFileName().toString());
            }
        }
        return names;
    }

    /** Makes {@code state/<name>} a symlink to {@code text} by one rename (a tmp link written beside it). */
    void pointLink(Path link, Path text) throws IOException {
        Path tmp = state.resolve(link.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, text);
        Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Makes every top-level {@code name} the link into {@code .radial/current}. The temporary link is written
     * inside .radial (never a name of /config that a revision could own) and renamed into place. A real file or
     * directory in the way (from before the hub managed /config) is kept aside as {@code .radial/replaced-*}.
     *
     * @return the names whose link was created or changed
     */
    List<String> linkAll(Set<String> names) throws IOException {
        List<String> changed = new ArrayList<>();
        for (String name : names) {
            Path link = root.resolve(name);
            Path text = linkText(name);
            if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(text)) {
                continue;
            }
            if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(link, state.resolve("replaced-" + name + "-" + System.currentTimeMillis()));
            }
            Path tmp = state.resolve("link-" + name + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createSymbolicLink(tmp, text);
            Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            changed.add(name);
        }
        return changed;
    }

    /** Removes the hub's links ({@code -> .radial/current/...}) to names not in {@code names}. */
    List<String> unlinkOthers(Set<String> names) throws IOException {
        List<String> removed = new ArrayList<>();
        for (Path p : ourLinks()) {
            String n = p.getFileName().toString();
            if (!names.contains(n)) {
                Files.delete(p);
                removed.add(n);
            }
        }
        return removed;
    }

    private List<Path> ourLinks() throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> top = Files.newDirectoryStream(root)) {
            for (Path p : top) {
                if (Files.isSymbolicLink(p) && Files.readSymbolicLink(p).startsWith(Path.of(STATE_DIR, "current"))) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** What is wrong with /config now; changes nothing. */
    ConfigHealth verify() {
        List<String> problems = new ArrayList<>();
        Path cur = target(current);
        if (cur == null) {
            problems.add(current + " does not name a complete revision");
            return new ConfigHealth(false, null, problems, List.of());
        }
        try {
            Set<String> names = topNames(cur);
            for (String name : names) {
                Path link = root.resolve(name);
                if (!Files.isSymbolicLink(link) || !Files.readSymbolicLink(link).equals(linkText(name))) {
                    problems.add(link + " is not the link to " + linkText(name));
                }
            }
            for (Path p : ourLinks()) {
                if (!names.contains(p.getFileName().toString())) {
                    problems.add(p + " dangles (the current revision has no " + p.getFileName() + ")");
                }
            }
        } catch (IOException e) {
            problems.add("cannot read " + root + ": " + e.getMessage());
        }
        return new ConfigHealth(problems.isEmpty(), idOf(cur), problems, List.of());
    }

    /**
     * Brings /config back to its invariants: restores {@code current} from {@code previous} if the current one
     * is lost, fixes the top-level links, removes work left by a crash and revisions nothing points to.
     */
    ConfigHealth repair() {
        List<String> repaired = new ArrayList<>();
        try {
            if (!Files.isDirectory(state, LinkOption.NOFOLLOW_LINKS)) {
                return verify();
            }
            Path cur = target(current);
            Path prev = target(previous);
            if (cur == null && prev != null) {
                pointLink(current, state.relativize(prev));
                repaired.add("current was lost: restored revision " + idOf(prev) + " (the previous one)");
                cur = prev;
            }
            if (cur != null) {
                Set<String> names = topNames(cur);
                for (String n : linkAll(names)) {
                    repaired.add("link " + n + " recreated");
                }
                for (String n : unlinkOthers(names)) {
                    repaired.add("dangling link " + n + " removed");
                }
            }
            collectGarbage(cur, prev);
        } catch (IOException e) {
            ConfigHealth h = verify();
            List<String> problems = new ArrayList<>(h.problems());
            problems.add("repair failed: " + e.getMessage());
            return new ConfigHealth(false, h.revision(), problems, repaired);
        }
        ConfigHealth h = verify();
        return new ConfigHealth(h.ok(), h.revision(), h.problems(), repaired);
    }

    /** Deletes staging/trash/tmp leftovers and every revision that is neither {@code keep1} nor {@code keep2}. */
    void collectGarbage(Path keep1, Path keep2) throws IOException {
        try (Stream<Path> s = Files.list(state)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith("staging-") || n.startsWith("trash-")) {
                    deleteTree(p);
                } else if (n.endsWith(".tmp")) {
                    Files.deleteIfExists(p);
                }
            }
        }
        if (!Files.isDirectory(revisions)) {
            return;
        }
        try (Stream<Path> s = Files.list(revisions)) {
            for (Path p : s.toList()) {
                if (!p.equals(keep1) && !p.equals(keep2)) {
                    discard(p);
                }
            }
        }
    }

    /** Renames a revision to a trash name (one atomic step, so it is never half there), then deletes it. */
    void discard(Path revision) throws IOException {
        if (!Files.exists(revision, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path trash = state.resolve("trash-" + revision.getFileName() + "-" + System.nanoTime());
        Files.move(revision, trash, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(trash);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
