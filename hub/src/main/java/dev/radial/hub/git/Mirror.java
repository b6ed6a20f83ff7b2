package dev.radial.hub.git;

import dev.radial.common.util.Redact;
import dev.radial.hub.source.Credentials;
import dev.radial.hub.source.Source;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.LinkOption;
import java.util.HashMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TrackingRefUpdate;
import org.eclipse.jgit.storage.file.WindowCacheConfig;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Keeps a bare mirror of each source under the hub's data directory and reads a source's branch out of it.
 * Fetching with a forced refspec follows force-pushes and rewritten branches; nothing is ever merged, so
 * unrelated histories are no problem (Radial's defect 3). A source that is a plain directory (the bundled
 * skeleton) is read as it is, its revision being a hash of its content.
 *
 * <p>The mirrors belong to one hub: the first fetch takes {@link MirrorLock} on the mirror directory and, holding
 * it, removes the lock files a killed hub left in the mirrors (JGit's {@code *.lock}), which would otherwise make
 * every later ref update fail. A fetch whose ref update fails is an error, never a silent "unchanged".
 *
 * <p>Threading: one sync thread calls {@link #fetch}; the returned trees' contents are read on that thread.
 */
public final class Mirror {
    static {
        // blobs bigger than this are streamed by JGit instead of inflated into one array
        WindowCacheConfig cfg = new WindowCacheConfig();
        cfg.setStreamFileThreshold(1 << 20);
        cfg.install();
    }

    private final Path cache;
    private final int timeoutSeconds;
    private final ProgressMonitor progress;
    private final Map<String, String> env;
    private final Map<Path, Repository> open = new HashMap<>();
    private java.nio.channels.FileLock lock;

    public Mirror(Path cache, int timeoutSeconds, ProgressMonitor progress) {
        this(cache, timeoutSeconds, progress, Map.of());
    }

    /** {@code env} supplies the {@link Limits} (HUB_MAX_*). */
    public Mirror(Path cache, int timeoutSeconds, ProgressMonitor progress, Map<String, String> env) {
        this.cache = cache;
        this.timeoutSeconds = timeoutSeconds;
        this.progress = progress;
        this.env = Map.copyOf(env);
    }

    /** The limits in force; a malformed HUB_MAX_* variable fails every sync with its name. */
    public Limits limits() throws SyncException {
        try {
            return Limits.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            throw new SyncException(e.getMessage());
        }
    }

    /**
     * Takes the hub's lock on the mirror directory (once) and clears what a killed hub left behind in it.
     *
     * @return the stale lock files removed (empty when there were none or the lock was already held)
     */
    public synchronized List<Path> recover() throws SyncException {
        if (lock != null) {
            return List.of();
        }
        try {
            Files.createDirectories(cache);
            lock = MirrorLock.acquire(cache);
            return MirrorLock.clearStale(cache);
        } catch (IOException e) {
            throw new SyncException("cannot lock the git mirrors in " + cache + ": " + e.getMessage(), e);
        }
    }

    public SourceTree fetch(Source source) throws SyncException {
        Path local = Path.of(source.uri());
        if (source.uri().startsWith("/") && Files.isDirectory(local) && !Files.exists(local.resolve(".git"))
                && !Files.exists(local.resolve("HEAD"))) {
            return readDirectory(source, local);
        }
        recover();
        Path dir = cache.resolve(source.id().replaceAll("[^A-Za-z0-9_.-]", "_") + ".git");
        String ref = "refs/radial/" + source.branch();
        try {
            Repository repo = repository(dir);
            try (Git git = new Git(repo)) {
                FetchCommand fetch = git.fetch().setRemote(source.uri())
                        .setRefSpecs(new RefSpec("+refs/heads/" + source.branch() + ":" + ref))
                        .setTimeout(timeoutSeconds).setProgressMonitor(progress).setRemoveDeletedRefs(true);
                authenticate(fetch, source.credentials());
                FetchResult result = fetch.call();
                Ref advertised = result.getAdvertisedRef("refs/heads/" + source.branch());
                if (advertised == null) {
                    throw new SyncException(source.id() + ": branch '" + source.branch() + "' not found at "
                            + source.safeUri());
                }
                Ref r = repo.exactRef(ref);
                if (r == null || !r.getObjectId().equals(advertised.getObjectId())) {
                    TrackingRefUpdate u = result.getTrackingRefUpdate(ref);
                    throw new SyncException(source.id() + ": cannot update " + ref + " in " + dir + " to "
                            + advertised.getObjectId().name().substring(0, 12) + " (" + (u == null ? "no update"
                            : u.getResult()) + "); the mirror stays at " + (r == null ? "nothing"
                            : r.getObjectId().name().substring(0, 12)));
                }
                return readCommit(source, repo, r.getObjectId());
            }
        } catch (GitAPIException | IOException | RuntimeException e) {
            throw new SyncException(source.id() + ": fetch of " + source.safeUri() + " (" + source.branch()
                    + ") failed: " + redact(e, source) + hint(e, source.credentials()), e);
        }
    }

    /** The mirror's repository, opened once and kept (trees read from it stream their blobs later). */
    private Repository repository(Path dir) throws IOException, GitAPIException {
        Repository repo = open.get(dir);
        if (repo == null) {
            if (!Files.exists(dir.resolve("HEAD"))) {
                Files.createDirectories(dir);
                Git.init().setBare(true).setInitialBranch("main").setDirectory(dir.toFile()).call().close();
            }
            repo = Git.open(dir.toFile()).getRepository();
            open.put(dir, repo);
        }
        return repo;
    }

    /** What to check, for the failures whose JGit text does not say (it names neither variable nor file). */
    static String hint(Exception e, Credentials c) {
        String msg = describe(e);
        if (msg.contains("Server key did not validate")) {
            return c.knownHosts() == null
                    ? " (the server's host key is unknown: set GIT_KNOWN_HOSTS to a known_hosts file that has it)"
                    : " (the server's host key is not the one GIT_KNOWN_HOSTS (" + c.knownHosts() + ") has for it)";
        }
        if (msg.contains("not authorized")) {
            return c.hasHttps() ? " (the server refused GIT_USERNAME with the token in GIT_PASSWORD_FILE ("
                    + c.passwordFile() + "))" : " (no credentials are set: GIT_USERNAME and GIT_PASSWORD_FILE)";
        }
        if (c.sshKey() != null && msg.contains("no keys to try")) {
            return " (the key in GIT_SSH_KEY (" + c.sshKey() + ") could not be loaded: it has a passphrase, which"
                    + " the hub has nobody to ask for, or it is not a private key)";
        }
        if (c.sshKey() != null && msg.contains("Cannot log in")) {
            return " (the server refused the key in GIT_SSH_KEY (" + c.sshKey() + "))";
        }
        return "";
    }

    /** The exception's message, and its cause's when that is not already part of it. */
    private static String describe(Exception e) {
        String msg = String.valueOf(e.getMessage());
        if (e.getCause() != null && e.getCause().getMessage() != null && !msg.contains(e.getCause().getMessage())) {
            msg += ": " + e.getCause().getMessage();
        }
        return msg;
    }

    private static String redact(Exception e, Source source) {
        String msg = Redact.urlPasswords(describe(e));
        try {
            String secret = source.credentials().password();
            if (secret != null && !secret.isEmpty()) {
                msg = msg.replace(secret, "***");
            }
        } catch (IOException ignored) {
            // no secret to hide
        }
        return msg;
    }

    private static void authenticate(FetchCommand fetch, Credentials c) throws IOException {
        if (c.hasHttps()) {
            fetch.setCredentialsProvider(new UsernamePasswordCredentialsProvider(
                    c.username() == null ? "git" : c.username(), c.password()));
        }
        if (c.sshKey() != null) {
            Path home = Path.of(System.getProperty("user.home"));
            SshdSessionFactory factory = new SshdSessionFactoryBuilder().setHomeDirectory(home.toFile())
                    .setSshDirectory(c.sshKey().getParent().toFile())
                    .setDefaultIdentities(f -> List.of(c.sshKey()))
                    .setDefaultKnownHostsFiles(f -> c.knownHosts() == null ? List.of() : List.of(c.knownHosts()))
                    .build(null);
            fetch.setTransportConfigCallback(t -> {
                if (t instanceof SshTransport ssh) {
                    ssh.setSshSessionFactory(factory);
                }
            });
        }
    }

    private SourceTree readCommit(Source source, Repository repo, ObjectId id) throws IOException, SyncException {
        Map<String, SourceTree.FileEntry> files = new TreeMap<>();
        Limits.Budget budget = limits().budget();
        try (RevWalk walk = new RevWalk(repo); TreeWalk tree = new TreeWalk(repo); ObjectReader reader =
                repo.newObjectReader()) {
            RevCommit commit = walk.parseCommit(id);
            tree.addTree(commit.getTree());
            tree.setRecursive(true);
            while (tree.next()) {
                FileMode mode = tree.getFileMode(0);
                if (mode == FileMode.GITLINK) {
                    continue; // submodules are not fetched
                }
                String path = tree.getPathString();
                String where = path + " in " + source.id() + " at " + commit.getName().substring(0, 12);
                checkPath(path, where);
                ObjectId blob = tree.getObjectId(0);
                long size = reader.getObjectSize(blob, Constants.OBJ_BLOB);
                budget.add(where, size);
                String target = null;
                if (mode == FileMode.SYMLINK) {
                    target = linkTarget(size <= Limits.MAX_LINK_TARGET ? reader.open(blob).getBytes() : null, where);
                }
                files.put(path, new SourceTree.FileEntry(blob.name(), size, mode == FileMode.EXECUTABLE_FILE, target,
                        () -> repo.open(blob, Constants.OBJ_BLOB).openStream()));
            }
            return new SourceTree(source, commit.getName(), files);
        }
    }

    /** Refuses paths a file system cannot hold as git wrote them, or that leave the tree. */
    static void checkPath(String path, String where) throws SyncException {
        for (String c : path.split("/", -1)) {
            if (c.isEmpty() || c.equals(".") || c.equals("..") || c.indexOf('\0') >= 0) {
                throw new SyncException(where + ": the path has an empty, '.' or '..' component");
            }
        }
        if (path.length() > 4095) {
            throw new SyncException(where + ": the path is longer than 4095 bytes");
        }
    }

    /** A symlink's target as a string the file system takes; refused with a clear message otherwise. */
    static String linkTarget(byte[] raw, String where) throws SyncException {
        if (raw == null) {
            throw new SyncException(where + ": symlink target longer than " + Limits.MAX_LINK_TARGET + " bytes");
        }
        if (raw.length == 0) {
            throw new SyncException(where + ": symlink with an empty target");
        }
        for (byte b : raw) {
            if (b == 0) {
                throw new SyncException(where + ": symlink target contains a NUL byte");
            }
        }
        java.nio.charset.CharsetDecoder utf8 = java.nio.charset.StandardCharsets.UTF_8.newDecoder();
        try {
            return utf8.decode(java.nio.ByteBuffer.wrap(raw)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new SyncException(where + ": symlink target is not valid UTF-8");
        }
    }

    private SourceTree readDirectory(Source source, Path root) throws SyncException {
        Map<String, SourceTree.FileEntry> files = new TreeMap<>();
        Limits.Budget budget = limits().budget();
        ObjectInserter.Formatter ids = new ObjectInserter.Formatter();
        try (Stream<Path> walk = Files.walk(root)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path p : walk.sorted().toList()) {
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                String rel = root.relativize(p).toString().replace(File.separatorChar, '/');
                long size = Files.size(p);
                budget.add(rel + " in " + source.id(), size);
                ObjectId blob;
                try (InputStream in = Files.newInputStream(p)) {
                    blob = ids.idFor(Constants.OBJ_BLOB, size, in);
                }
                files.put(rel, new SourceTree.FileEntry(blob.name(), size, Files.isExecutable(p), null,
                        () -> Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)));
                digest.update(rel.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                digest.update(blob.name().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            return new SourceTree(source, "dir-" + HexFormat.of().formatHex(digest.digest()).substring(0, 12), files);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new SyncException(source.id() + ": cannot read " + root + ": " + e.getMessage(), e);
        }
    }
}
