package dev.radial.hub;

import dev.radial.common.testing.Reference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A configuration repository a user pushes to, driven with the git command line (the user's side). */
final class GitRepo {
    final Path dir;
    final String branch;

    GitRepo(Path dir, String branch) throws Exception {
        this.dir = dir;
        this.branch = branch;
        Files.createDirectories(dir);
        git("init", "-q", "-b", branch);
    }

    String git(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.com",
                "-c", "commit.gpgsign=false"));
        cmd.addAll(List.of(args));
        Reference.Run r = Reference.run(cmd, Map.of("GIT_CONFIG_NOSYSTEM", "1", "HOME", dir.toString()), dir, 60);
        if (r.exit() != 0) {
            throw new AssertionError("git " + String.join(" ", args) + " failed: " + r.stderr());
        }
        return r.stdout().strip();
    }

    /** Writes files (path -> content; null deletes) and commits them; returns the commit id. */
    String commit(String message, Map<String, String> files) throws Exception {
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            if (f.getValue() == null) {
                Files.deleteIfExists(p);
            } else {
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.getValue());
            }
        }
        git("add", "-A");
        git("commit", "-q", "-m", message);
        return git("rev-parse", "HEAD");
    }

    /** Replaces the branch with an unrelated history (what a force-push of a rewritten branch does). */
    String rewrite(Map<String, String> files) throws Exception {
        git("checkout", "-q", "--orphan", "rewritten");
        git("rm", "-rq", "--cached", ".");
        try (var s = Files.list(dir)) {
            for (Path p : s.filter(p -> !p.getFileName().toString().equals(".git")).toList()) {
                Process rm = new ProcessBuilder("rm", "-rf", p.toString()).start();
                rm.waitFor();
            }
        }
        String id = commit("rewritten history", files);
        git("branch", "-M", branch);
        return id;
    }
}
