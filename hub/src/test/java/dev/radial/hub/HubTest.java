package dev.radial.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.radial.RadialRoots;
import dev.radial.hub.publish.Permissions;
import dev.radial.hub.source.Sources;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sync, combine, validate and publish against real git repositories (file:// and git daemon). */
class HubTest {
    static final Path SKELETON = Path.of("..", "config-skeleton").toAbsolutePath().normalize();
    static final String WEB = "[group:web]\nprograms=app\n[program:app]\ncommand=/bin/sleep 1000\nautostart=false\n"
            + "startsecs=0\n";

    static Settings settings(Path root, Map<String, String> sourceEnv, int httpPort, String secret) throws Exception {
        RadialRoots roots = new RadialRoots(root.resolve("config"), root.resolve("log"), root.resolve("run"),
                root.resolve("data"), "hubhost");
        for (Path p : List.of(roots.config(), roots.log(), roots.run(), roots.data())) {
            Files.createDirectories(p);
        }
        return new Settings(roots.config(), roots.run(), roots.data(), Sources.fromEnvironment(sourceEnv, SKELETON),
                3600, 20, httpPort, secret, Permissions.fromEnvironment(Map.of()),
                roots.withRootVariables(new HashMap<>(System.getenv())));
    }

    static Hub hub(Settings s, ByteArrayOutputStream log) {
        return new Hub(s, new PrintStream(log, true), false);
    }

    @Test
    void firstCloneThenFastForwardThenForcePush(@TempDir Path root) throws Exception {
        GitRepo wheel = new GitRepo(root.resolve("wheel"), "config");
        wheel.commit("web", Map.of("supervisor/conf.d/web.ini", WEB, "web/app.conf", "v1\n"));
        Settings s = settings(root, Map.of("WHEEL_REPO", wheel.dir.toString()), -1, null);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Hub hub = hub(s, log);

        Hub.Outcome first = hub.syncOnce(false);
        assertTrue(first.ok() && first.published(), log.toString());
        Path config = s.configRoot();
        assertTrue(Files.readString(config.resolve("supervisor/supervisord.conf")).contains("[unix_http_server]"),
                "the skeleton comes first");
        assertEquals(WEB, Files.readString(config.resolve("supervisor/conf.d/web.ini")));
        assertEquals("v1\n", Files.readString(config.resolve("web/app.conf")));
        assertTrue(Files.isSymbolicLink(config.resolve("supervisor")), "published through links");

        Hub.Outcome again = hub.syncOnce(false);
        assertTrue(again.ok() && !again.published(), "nothing new: nothing published");

        wheel.commit("v2", Map.of("web/app.conf", "v2\n"));
        Hub.Outcome ff = hub.syncOnce(false);
        assertTrue(ff.published(), log.toString());
        assertEquals("v2\n", Files.readString(config.resolve("web/app.conf")));

        wheel.rewrite(Map.of("supervisor/conf.d/web.ini", WEB, "other/x.conf", "rewritten\n"));
        Hub.Outcome forced = hub.syncOnce(false);
        assertTrue(forced.published(), log.toString());
        assertEquals("rewritten\n", Files.readString(config.resolve("other/x.conf")));
        assertFalse(Files.exists(config.resolve("web")), "a directory the new revision lacks is gone");
        try (var revs = Files.list(config.resolve(".radial/revisions"))) {
            assertTrue(revs.count() <= 2, "old revisions are cleaned up");
        }
        assertEquals(3, log.toString().lines().filter(l -> l.contains("hub: sync ")).count(),
                "one line per publish, none for the unchanged sync: " + log);
    }

    @Test
    void twoReposCombineAndAConflictIsReported(@TempDir Path root) throws Exception {
        GitRepo a = new GitRepo(root.resolve("a"), "config");
        a.commit("a", Map.of("supervisor/conf.d/web.ini", WEB, "shared/same.txt", "same\n"));
        GitRepo b = new GitRepo(root.resolve("b"), "main");
        b.commit("b", Map.of("supervisor/conf.d/db.ini", WEB.replace("web", "db").replace("app", "dbapp"),
                "shared/same.txt", "same\n"));
        Map<String, String> env = Map.of("WHEEL_REPO_1", a.dir.toString(), "WHEEL_REPO_2", b.dir.toString(),
                "WHEEL_BRANCH_2", "main");
        Settings s = settings(root, env, -1, null);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Hub hub = hub(s, log);
        assertTrue(hub.syncOnce(false).published(), log.toString());
        assertTrue(Files.exists(s.configRoot().resolve("supervisor/conf.d/web.ini")));
        assertTrue(Files.exists(s.configRoot().resolve("supervisor/conf.d/db.ini")));

        b.commit("clash", Map.of("supervisor/conf.d/web.ini", "[program:web]\ncommand=/bin/true\n"));
        Hub.Outcome o = hub.syncOnce(false);
        assertFalse(o.ok());
        assertTrue(o.error().contains("supervisor/conf.d/web.ini (1 and 2)"), o.error());
        assertEquals(WEB, Files.readString(s.configRoot().resolve("supervisor/conf.d/web.ini")), "last good stays");
    }

    @Test
    void badCommitIsNotPublished(@TempDir Path root) throws Exception {
        GitRepo wheel = new GitRepo(root.resolve("wheel"), "config");
        wheel.commit("web", Map.of("supervisor/conf.d/web.ini", WEB));
        Settings s = settings(root, Map.of("WHEEL_REPO", wheel.dir.toString()), -1, null);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Hub hub = hub(s, log);
        String good = hub.syncOnce(false).revision();

        wheel.commit("broken", Map.of("supervisor/conf.d/web.ini", WEB.replace("startsecs=0", "startsecs=abc")));
        Hub.Outcome bad = hub.syncOnce(false);
        assertFalse(bad.ok());
        assertEquals(good, bad.revision(), "the last good revision stays current");
        String expected = s.configRoot() + "/supervisor/conf.d/web.ini [program:app] startsecs: 'abc' is not an integer";
        assertTrue(bad.error().contains(expected), bad.error());
        assertTrue(log.toString().contains(expected), "the hub log says where and what: " + log);
        assertTrue(Files.readString(s.hubRun().resolve("status.json")).contains("is not an integer"));
        assertEquals(WEB, Files.readString(s.configRoot().resolve("supervisor/conf.d/web.ini")));
        try (var revs = Files.list(s.configRoot().resolve(".radial/revisions"))) {
            assertEquals(1, revs.count(), "the rejected revision is not left behind");
        }
    }

    @Test
    void remoteDownThenBack(@TempDir Path root) throws Exception {
        GitRepo wheel = new GitRepo(root.resolve("repos/wheel"), "config");
        wheel.commit("web", Map.of("supervisor/conf.d/web.ini", WEB));
        int port;
        try (ServerSocket ss = new ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        String uri = "git://127.0.0.1:" + port + "/wheel";
        Settings s = settings(root, Map.of("WHEEL_REPO", uri), -1, null);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Hub hub = hub(s, log);
        Process daemon = gitDaemon(root.resolve("repos"), port);
        try {
            assertTrue(hub.syncOnce(false).published(), log.toString());
        } finally {
            daemon.destroy();
            daemon.waitFor();
        }
        wheel.commit("v2", Map.of("web/x", "2\n"));
        Hub.Outcome down = hub.syncOnce(false);
        assertFalse(down.ok());
        assertTrue(down.error().contains(uri), down.error());
        assertTrue(Files.exists(s.configRoot().resolve("supervisor/conf.d/web.ini")), "last good stays");
        daemon = gitDaemon(root.resolve("repos"), port);
        try {
            Hub.Outcome back = hub.syncOnce(false);
            assertTrue(back.published(), log.toString());
            assertEquals("2\n", Files.readString(s.configRoot().resolve("web/x")));
        } finally {
            daemon.destroy();
            daemon.waitFor();
        }
    }

    static Process gitDaemon(Path base, int port) throws Exception {
        Process p = new ProcessBuilder("git", "daemon", "--reuseaddr", "--export-all", "--listen=127.0.0.1",
                "--port=" + port, "--base-path=" + base, base.toString()).redirectErrorStream(true)
                .redirectOutput(base.resolve("daemon.log").toFile()).start();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (java.net.Socket sock = new java.net.Socket("127.0.0.1", port)) {
                return p;
            } catch (java.io.IOException e) {
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new AssertionError("git daemon did not listen on " + port);
    }

    @Test
    void secretsNeverAppearInErrors(@TempDir Path root) throws Exception {
        Path token = root.resolve("token");
        Files.writeString(token, "s3cr3t-t0ken\n");
        Map<String, String> env = Map.of("WHEEL_REPO", "https://user:s3cr3t-t0ken@127.0.0.1:1/wheel.git",
                "GIT_USERNAME", "user", "GIT_PASSWORD_FILE", token.toString());
        Settings s = settings(root, env, -1, null);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Hub.Outcome o = hub(s, log).syncOnce(false);
        assertFalse(o.ok());
        assertFalse(o.error().contains("s3cr3t"), o.error());
        assertFalse(log.toString().contains("s3cr3t"), log.toString());
        assertFalse(Files.readString(s.hubRun().resolve("status.json")).contains("s3cr3t"));
        assertNotEquals(-1, o.error().indexOf("user:***@127.0.0.1"), o.error());
    }
}
