package dev.radial.hub.git;

import dev.radial.hub.source.Credentials;
import dev.radial.hub.source.Source;
import java.io.File;
import java.io.IOException;
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
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
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
 */
public final class Mirror {
    private final Path cache;
    private final int timeoutSeconds;
    private final ProgressMonitor progress;

    public Mirror(Path cache, int timeoutSeconds, ProgressMonitor progress) {
        this.cache = cache;
        this.timeoutSeconds = timeoutSeconds;
        this.progress = progress;
    }

    public SourceTree fetch(Source source) throws SyncException {
        Path local = Path.of(source.uri());
        if (source.uri().startsWith("/") && Files.isDirectory(local) && !Files.exists(local.resolve(".git"))
                && !Files.exists(local.resolve("HEAD"))) {
            return readDirectory(source, local);
        }
        Path dir = cache.resolve(source.id().replaceAll("[^A-Za-z0-9_.-]", "_") + ".git");
        String ref = "refs/radial/" + source.branch();
        try {
            if (!Files.exists(dir.resolve("HEAD"))) {
                Files.createDirectories(dir);
                Git.init().setBare(true).setInitialBranch("main").setDirectory(dir.toFile()).call().close();
            }
            try (Git git = Git.open(dir.toFile())) {
                FetchCommand fetch = git.fetch().setRemote(source.uri())
                        .setRefSpecs(new RefSpec("+refs/heads/" + source.branch() + ":" + ref))
                        .setTimeout(timeoutSeconds).setProgressMonitor(progress).setRemoveDeletedRefs(true);
                authenticate(fetch, source.credentials());
                fetch.call();
                Repository repo = git.getRepository();
                Ref r = repo.exactRef(ref);
                if (r == null) {
                    throw new SyncException(source.id() + ": branch '" + source.branch() + "' not found at "
                            + source.safeUri());
                }
                return readCommit(source, repo, r.getObjectId());
            }
        } catch (GitAPIException | IOException | RuntimeException e) {
            throw new SyncException(source.id() + ": fetch of " + source.safeUri() + " (" + source.branch()
                    + ") failed: " + redact(e, source), e);
        }
    }

    private static String redact(Exception e, Source source) {
        String msg = String.valueOf(e.getMessage());
        if (e.getCause() != null && e.getCause().getMessage() != null && !msg.contains(e.getCause().getMessage())) {
            msg += ": " + e.getCause().getMessage();
        }
        msg = Credentials.redact(msg);
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

    private static SourceTree readCommit(Source source, Repository repo, ObjectId id) throws IOException {
        Map<String, SourceTree.FileEntry> files = new TreeMap<>();
        try (RevWalk walk = new RevWalk(repo); TreeWalk tree = new TreeWalk(repo)) {
            RevCommit commit = walk.parseCommit(id);
            tree.addTree(commit.getTree());
            tree.setRecursive(true);
            while (tree.next()) {
                FileMode mode = tree.getFileMode(0);
                if (mode == FileMode.GITLINK) {
                    continue; // submodules are not fetched
                }
                byte[] content = repo.open(tree.getObjectId(0), Constants.OBJ_BLOB).getBytes();
                files.put(tree.getPathString(), new SourceTree.FileEntry(content,
                        mode == FileMode.EXECUTABLE_FILE, mode == FileMode.SYMLINK));
            }
            return new SourceTree(source, commit.getName(), files);
        }
    }

    private static SourceTree readDirectory(Source source, Path root) throws SyncException {
        Map<String, SourceTree.FileEntry> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path p : walk.sorted().toList()) {
                if (!Files.isRegularFile(p)) {
                    continue;
                }
                String rel = root.relativize(p).toString().replace(File.separatorChar, '/');
                byte[] content = Files.readAllBytes(p);
                files.put(rel, new SourceTree.FileEntry(content, Files.isExecutable(p), false));
                digest.update(rel.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                digest.update(content);
            }
            return new SourceTree(source, "dir-" + HexFormat.of().formatHex(digest.digest()).substring(0, 12), files);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new SyncException(source.id() + ": cannot read " + root + ": " + e.getMessage(), e);
        }
    }
}
