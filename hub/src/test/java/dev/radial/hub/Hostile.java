package dev.radial.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.radial.RadialRoots;
import dev.radial.hub.publish.Permissions;
import dev.radial.hub.source.Sources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Helpers for the hostile-input tests: settings with a chosen hub environment, and what "whole" means. */
final class Hostile {
    /** Values that must never show up in an error, the log or status.json. */
    static final String SECRET = "TOPSECRET-4711";

    private Hostile() {
    }

    /** Settings whose hub environment is exactly {@code hubEnv} plus the roots (no inherited variables). */
    static Settings settings(Path root, Map<String, String> sourceEnv, Map<String, String> hubEnv) throws Exception {
        RadialRoots roots = new RadialRoots(root.resolve("config"), root.resolve("log"), root.resolve("run"),
                root.resolve("data"), "hubhost");
        for (Path p : List.of(roots.config(), roots.log(), roots.run(), roots.data())) {
            Files.createDirectories(p);
        }
        Map<String, String> env = new HashMap<>(sourceEnv);
        env.putAll(hubEnv);
        return new Settings(roots.config(), roots.run(), roots.data(), Sources.fromEnvironment(env, HubTest.SKELETON),
                3600, 20, -1, null, Permissions.fromEnvironment(env), roots.withRootVariables(env));
    }

    /** A symlink committed as git stores it (target text kept exactly). */
    static String commitLink(GitRepo repo, String path, String target) throws Exception {
        Path p = repo.dir.resolve(path);
        Files.createDirectories(p.getParent());
        Files.deleteIfExists(p);
        Files.createSymbolicLink(p, Path.of(target));
        repo.git("add", "-A");
        repo.git("commit", "-q", "-m", "link " + path);
        return repo.git("rev-parse", "HEAD");
    }

    /**
     * Asserts /config serves one complete revision: {@code .radial/current} names a revision, every top-level
     * name of it is the link into current and resolves, no hub link dangles, and {@code expected} (path ->
     * content) reads back through /config.
     */
    static void assertWhole(Path config, Map<String, String> expected) throws IOException {
        Path current = config.resolve(".radial/current");
        assertTrue(Files.isSymbolicLink(current), "no .radial/current in " + config);
        Path rev = config.resolve(".radial").resolve(Files.readSymbolicLink(current));
        assertTrue(Files.isDirectory(rev, LinkOption.NOFOLLOW_LINKS), current + " dangles");
        List<String> names = new ArrayList<>();
        try (var s = Files.list(rev)) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        }
        for (String n : names) {
            Path link = config.resolve(n);
            assertTrue(Files.isSymbolicLink(link), link + " is missing or not a link");
            assertEquals(Path.of(".radial", "current", n), Files.readSymbolicLink(link));
            assertTrue(Files.exists(link), link + " dangles");
        }
        try (var s = Files.list(config)) {
            for (Path p : s.toList()) {
                if (Files.isSymbolicLink(p) && Files.readSymbolicLink(p).startsWith(Path.of(".radial"))) {
                    assertTrue(Files.exists(p), p + " dangles");
                }
            }
        }
        assertTrue(Files.isRegularFile(config.resolve("supervisor/supervisord.conf")), "supervisord.conf missing");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertEquals(e.getValue(), Files.readString(config.resolve(e.getKey())), e.getKey());
        }
    }

    /** Asserts the secret is in none of the error, the log and status.json. */
    static void assertNoSecret(Settings s, String error, String log) throws IOException {
        assertFalse(String.valueOf(error).contains(SECRET), "error leaks: " + error);
        assertFalse(log.contains(SECRET), "log leaks: " + log);
        Path status = s.hubRun().resolve("status.json");
        if (Files.exists(status)) {
            assertFalse(Files.readString(status).contains(SECRET), "status.json leaks");
        }
    }
}
