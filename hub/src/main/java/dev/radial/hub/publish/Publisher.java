package dev.radial.hub.publish;

import dev.radial.common.config.ConfigException;
import dev.radial.common.config.ConfigLoader;
import dev.radial.hub.git.SourceTree;
import dev.radial.hub.git.SyncException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Publishes revisions of /config atomically, git-sync's way. Each revision is written aside under
 * {@code .radial/revisions/<id>}, validated, and made current by renaming one symlink,
 * {@code .radial/current}; the top-level names users and spokes read ({@code /config/supervisor},
 * {@code /config/<app>}) are fixed links into {@code .radial/current}. A reader therefore sees either the old
 * tree or the new one, never a mix. Older revisions are removed, keeping the previous one.
 */
public final class Publisher {
    static final String STATE_DIR = ".radial";

    private final Path configRoot;
    private final Permissions permissions;
    private final Map<String, String> env;

    public Publisher(Path configRoot, Permissions permissions, Map<String, String> env) {
        this.configRoot = configRoot.toAbsolutePath().normalize();
        this.permissions = permissions;
        this.env = env;
    }

    Path revisions() {
        return configRoot.resolve(STATE_DIR).resolve("revisions");
    }

    Path current() {
        return configRoot.resolve(STATE_DIR).resolve("current");
    }

    /** The id of the published revision, or null before the first publish. */
    public String currentId() {
        try {
            return Files.isSymbolicLink(current()) ? Files.readSymbolicLink(current()).getFileName().toString() : null;
        } catch (IOException e) {
            return null;
        }
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
     * Writes, validates and publishes a revision. Returns false when {@code id} is already current.
     *
     * @throws SyncException the revision is invalid (nothing is published; the message names file, line and
     *     reason) or could not be written
     */
    public boolean publish(String id, Map<String, Composer.Placed> files) throws SyncException {
        if (id.equals(currentId())) {
            return false;
        }
        Path dir = revisions().resolve(id);
        try {
            deleteTree(dir);
            Files.createDirectories(dir);
            for (Map.Entry<String, Composer.Placed> f : files.entrySet()) {
                Path target = dir.resolve(f.getKey()).normalize();
                if (!target.startsWith(dir)) {
                    throw new SyncException(f.getKey() + " (" + f.getValue().sourceId() + "): path leaves the tree");
                }
                Files.createDirectories(target.getParent());
                SourceTree.FileEntry e = f.getValue().entry();
                if (e.symlink()) {
                    Files.createSymbolicLink(target, Path.of(new String(e.content(),
                            java.nio.charset.StandardCharsets.UTF_8)));
                } else {
                    Files.write(target, e.content());
                    if (e.executable()) {
                        target.toFile().setExecutable(true, false);
                    }
                }
            }
            permissions.apply(dir, configRoot);
            validate(dir);
            switchTo(dir);
            cleanup(dir);
            return true;
        } catch (SyncException e) {
            deleteQuietly(dir);
            throw e;
        } catch (IOException e) {
            deleteQuietly(dir);
            throw new SyncException("cannot write revision " + id + " under " + revisions() + ": " + e, e);
        }
    }

    /** The new supervisor configuration must load with the spoke's own parser, includes resolved in it. */
    private void validate(Path dir) throws SyncException {
        Path conf = dir.resolve("supervisor/supervisord.conf");
        if (!Files.isRegularFile(conf)) {
            throw new SyncException("invalid configuration: supervisor/supervisord.conf is missing");
        }
        try {
            // includes name the live tree (/config, or wherever RADIAL_CONFIG_ROOT moved it): read them in the new one
            // (directories such as /log/%(host_node_name)s exist in each spoke's container, not here)
            ConfigLoader.create().environment(env).rebase(configRoot, dir).rebase(Path.of("/config"), dir)
                    .checkPaths(false).load(conf);
        } catch (ConfigException e) {
            throw new SyncException("invalid configuration: " + e.getMessage().replace(dir.toString(),
                    configRoot.toString()), e);
        }
    }

    private void switchTo(Path dir) throws IOException {
        Path state = configRoot.resolve(STATE_DIR);
        Path tmp = state.resolve("current.tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, state.relativize(dir));
        // rename(2) over the old link: the one atomic step
        Files.move(tmp, current(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Set<String> names = new HashSet<>();
        try (DirectoryStream<Path> top = Files.newDirectoryStream(dir)) {
            for (Path p : top) {
                names.add(p.getFileName().toString());
            }
        }
        for (String name : names) {
            Path link = configRoot.resolve(name);
            Path target = Path.of(STATE_DIR, "current", name);
            if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(target)) {
                continue;
            }
            if (Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                // a real directory from before the hub managed /config (or a static image): keep it aside
                Path aside = state.resolve("replaced-" + name + "-" + System.currentTimeMillis());
                Files.move(link, aside);
            }
            Path linkTmp = configRoot.resolve("." + name + ".tmp");
            Files.deleteIfExists(linkTmp);
            Files.createSymbolicLink(linkTmp, target);
            Files.move(linkTmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        // links to names the new revision no longer has
        try (DirectoryStream<Path> top = Files.newDirectoryStream(configRoot)) {
            for (Path p : top) {
                String n = p.getFileName().toString();
                if (!names.contains(n) && Files.isSymbolicLink(p)
                        && Files.readSymbolicLink(p).startsWith(Path.of(STATE_DIR, "current"))) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Keeps the current revision and the one before it (a reader may still be inside it). */
    private void cleanup(Path keep) throws IOException {
        List<Path> old = new ArrayList<>();
        try (Stream<Path> s = Files.list(revisions())) {
            s.filter(p -> !p.equals(keep)).forEach(old::add);
        }
        old.sort(Comparator.comparing(p -> p.toFile().lastModified()));
        for (int i = 0; i < old.size() - 1; i++) {
            deleteTree(old.get(i));
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException | RuntimeException ignored) {
            // best effort: the next publish of this id rewrites it
        }
    }
}
