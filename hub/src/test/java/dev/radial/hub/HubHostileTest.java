package dev.radial.hub;

import static dev.radial.hub.Hostile.SECRET;
import static dev.radial.hub.Hostile.assertNoSecret;
import static dev.radial.hub.Hostile.assertWhole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.spoke.Daemons;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: hostile or broken pushes, through real git remotes (file:// and git daemon), to a real hub: the hub
 * stays up, /config keeps serving the last good revision whole, nothing outside the config root is read or
 * changed, no secret reaches an error, the log or status.json.
 */
class HubHostileTest {
    static final String WEB = HubTest.WEB;

    @Test
    void aTopLevelDotRadialIsRefusedAndTheLiveRevisionStays(@TempDir Path root) throws Exception {
        GitRepo wheel = new GitRepo(root.resolve("repos/wheel"), "config");
        wheel.commit("web", Map.of("supervisor/conf.d/web.ini", WEB, "web/app.conf", "v1\n"));
        int port;
        try (ServerSocket ss = new ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        Settings s = Hostile.settings(root, Map.of("WHEEL_REPO", "git://127.0.0.1:" + port + "/wheel"), Map.of());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Process daemon = HubTest.gitDaemon(root.resolve("repos"), port);
        try {
            Hub hub = HubTest.hub(s, log);
            String good = hub.syncOnce(false).revision();
            wheel.commit("collides with the hub's own name", Map.of(".radial", "x\n", "web/app.conf", "v2\n"));
            Hub.Outcome bad = hub.syncOnce(false);
            assertFalse(bad.ok(), log.toString());
            assertTrue(bad.error().contains(".radial") && bad.error().contains("hub's own"), bad.error());
            assertEquals(good, bad.revision());
            assertWhole(s.configRoot(), Map.of("web/app.conf", "v1\n", "supervisor/conf.d/web.ini", WEB));
            Hub.Outcome again = hub.syncOnce(false);
            assertFalse(again.ok(), "refused again, never 'unchanged': " + log);
            assertTrue(hub.state().config().ok(), hub.state().toMap().toString());
            assertFalse(hub.state().toMap().get("last_error").toString().isEmpty());

            // a spoke (re)started now finds a whole configuration and runs
            Map<String, String> env = new HashMap<>(Map.of("SPOKE_NAME", "web", "HOSTNAME", "spoke-dr",
                    "RADIAL_CONFIG_ROOT", s.configRoot().toString(), "RADIAL_RUN_ROOT", s.runRoot().toString(),
                    "RADIAL_LOG_ROOT", root.resolve("log").toString(), "RADIAL_DATA_ROOT", s.dataRoot().toString()));
            try (Daemons.Running spoke = Daemons.radialSpoke(env, s.runRoot())) {
                assertTrue(spoke.ctl("status").stdout().contains("web:app"), "the spoke loaded the served config");
            }

            Map<String, String> rename = new HashMap<>();
            rename.put(".radial", null);
            rename.put("radial-notes", "x\n");
            wheel.commit("renamed", rename);
            assertTrue(hub.syncOnce(false).published(), log.toString());
            assertWhole(s.configRoot(), Map.of("web/app.conf", "v2\n", "radial-notes", "x\n"));
        } finally {
            daemon.destroy();
            daemon.waitFor();
        }
    }

    @Test
    void symlinksAndIncludesOutOfTheRevisionAreNeverRead(@TempDir Path root) throws Exception {
        Path outside = root.resolve("outside");
        Files.createDirectories(outside);
        Path secretFile = outside.resolve("shadow");
        Files.writeString(secretFile, "root:$6$" + SECRET + ":19000:0:99999:7:::\n");
        Files.writeString(outside.resolve("secret.ini"), "root:" + SECRET + "\n");

        GitRepo wheel = new GitRepo(root.resolve("wheel"), "config");
        wheel.commit("web", Map.of("supervisor/conf.d/web.ini", WEB, "shared/extra.ini",
                "[program:extra]\ncommand=/bin/true\nautostart=false\n"));
        Settings s = Hostile.settings(root, Map.of("WHEEL_REPO", "file://" + wheel.dir), Map.of());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Hub hub = HubTest.hub(s, log);
        assertTrue(hub.syncOnce(false).published(), log.toString());

        // a link inside the revision is validated there and published exactly as git wrote it
        Hostile.commitLink(wheel, "supervisor/conf.d/zz-extra.ini", "../../shared/extra.ini");
        assertTrue(hub.syncOnce(false).published(), log.toString());
        assertEquals(Path.of("../../shared/extra.ini"),
                Files.readSymbolicLink(s.configRoot().resolve("supervisor/conf.d/zz-extra.ini")));
        String good = hub.state().toMap().get("revision").toString();

        for (String target : new String[] {secretFile.toString(), "../../../../../../../../.." + secretFile,
            "/etc/shadow", "../../shared/up", outside.toString()}) {
            if (target.endsWith("up")) {
                Hostile.commitLink(wheel, "shared/up", "../../outside/shadow");
            }
            String link = target.equals(outside.toString()) ? "supervisor/conf.d/sub" : "supervisor/conf.d/zz.ini";
            String commit = Hostile.commitLink(wheel, link, target);
            if (link.endsWith("sub")) {
                Files.deleteIfExists(wheel.dir.resolve("supervisor/conf.d/zz.ini"));
                Hostile.commitLink(wheel, "supervisor/conf.d/zz.ini", "sub/secret.ini");
            }
            Hub.Outcome o = hub.syncOnce(false);
            assertFalse(o.ok(), target + ": " + log);
            assertTrue(o.error().contains("outside the configuration"), o.error());
            assertTrue(o.error().contains("supervisor/conf.d/zz.ini"), o.error());
            assertEquals(good, o.revision());
            assertNoSecret(s, o.error(), log.toString());
            assertWhole(s.configRoot(), Map.of("supervisor/conf.d/web.ini", WEB));
            wheel.git("rm", "-q", "-r", "--cached", "supervisor/conf.d/zz.ini");
            Files.delete(wheel.dir.resolve("supervisor/conf.d/zz.ini"));
            if (link.endsWith("sub")) {
                wheel.git("rm", "-q", "--cached", link);
                Files.delete(wheel.dir.resolve(link));
            }
            wheel.git("commit", "-q", "-m", "undo " + commit.substring(0, 7));
        }

        // an absolute include outside the configuration, from a repository that owns supervisord.conf
        GitRepo sup = new GitRepo(root.resolve("sup"), "main");
        sup.commit("conf", Map.of("supervisor/supervisord.conf", Files.readString(HubTest.SKELETON.resolve(
                "supervisor/supervisord.conf")).replaceFirst("(?m)^files=(.*)$",
                "files=$1 " + outside + "/*.ini")));
        Settings s2 = Hostile.settings(root.resolve("two"), Map.of("SUPERVISOR_REPO", "file://" + sup.dir,
                "SUPERVISOR_BRANCH", "main", "WHEEL_REPO", "file://" + wheel.dir), Map.of());
        ByteArrayOutputStream log2 = new ByteArrayOutputStream();
        Hub.Outcome abs = HubTest.hub(s2, log2).syncOnce(false);
        assertFalse(abs.ok(), log2.toString());
        assertTrue(abs.error().contains("outside the configuration") && abs.error().contains("[include] files"),
                abs.error());
        assertNoSecret(s2, abs.error(), log2.toString());
        assertEquals("root:" + SECRET + "\n", Files.readString(outside.resolve("secret.ini")), "untouched");
    }

    @Test
    void envNamesExpandFromTheSpokesViewNeverTheHubsEnvironment(@TempDir Path root) throws Exception {
        Path pw = root.resolve("git-password");
        Files.writeString(pw, SECRET + "-pw\n");
        GitRepo wheel = new GitRepo(root.resolve("wheel"), "config");
        wheel.commit("web", Map.of("supervisor/conf.d/web.ini", WEB));
        Settings s = Hostile.settings(root, Map.of("WHEEL_REPO", "file://" + wheel.dir), Map.of(
                "HUB_WEBHOOK_SECRET", SECRET, "DATABASE_PASSWORD", SECRET, "GIT_PASSWORD_FILE", pw.toString(),
                "HUB_SPOKE_ENV", "APP_HOME, START_SECS=3"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Hub hub = HubTest.hub(s, log);
        assertTrue(hub.syncOnce(false).published(), log.toString());
        String commit = wheel.commit("leak", Map.of("supervisor/conf.d/web.ini",
                WEB.replace("startsecs=0", "startsecs=%(ENV_HUB_WEBHOOK_SECRET)s")));
        Hub.Outcome o = hub.syncOnce(false);
        assertFalse(o.ok());
        assertTrue(o.error().contains("ENV_HUB_WEBHOOK_SECRET"), o.error());
        assertNoSecret(s, o.error(), log.toString());
        String where = "line 6 of supervisor/conf.d/web.ini in wheel (file://" + wheel.dir + ", branch config, commit "
                + commit.substring(0, 12) + ")";
        assertTrue(o.error().contains(where), "names line, file in repo, repo, branch, commit: " + o.error());
        assertTrue(o.error().contains(s.configRoot() + "/supervisor/conf.d/web.ini still holds the last good"),
                o.error());

        wheel.commit("the hub's own variable elsewhere", Map.of("supervisor/conf.d/web.ini",
                WEB.replace("command=/bin/sleep 1000", "command=/bin/echo %(ENV_DATABASE_PASSWORD)s")));
        Hub.Outcome o2 = hub.syncOnce(false);
        assertFalse(o2.ok(), "a name spokes do not have is an error, whatever the hub has: " + log);
        assertNoSecret(s, o2.error(), log.toString());

        wheel.commit("declared names", Map.of("supervisor/conf.d/web.ini", WEB.replace("startsecs=0",
                "startsecs=%(ENV_START_SECS)s\ndirectory=%(ENV_APP_HOME)s\nenvironment=WHO=\"%(ENV_SPOKE_NAME)s\"")));
        assertTrue(hub.syncOnce(false).published(), log.toString());
        assertNoSecret(s, null, log.toString());
    }

    @Test
    void permissionExceptionsNeverFollowPushedSymlinks(@TempDir Path root) throws Exception {
        Path victim = root.resolve("victim");
        Files.createDirectories(victim);
        Path vf = victim.resolve("secret.txt");
        Files.writeString(vf, "victim\n");
        Files.setPosixFilePermissions(vf, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rwxr-xr-x"));
        PosixFileAttributes before = Files.readAttributes(vf, PosixFileAttributes.class);

        GitRepo wheel = new GitRepo(root.resolve("wheel"), "config");
        wheel.commit("web", Map.of("supervisor/conf.d/web.ini", WEB, "web/secret.conf", "s\n"));
        Hostile.commitLink(wheel, "app", victim.toString());
        Hostile.commitLink(wheel, "web/linked.txt", vf.toString());
        Path config = root.resolve("config");
        Settings s = Hostile.settings(root, Map.of("WHEEL_REPO", "file://" + wheel.dir), Map.of(
                "PERMISSIONS_EXCEPTIONS", config + "/app/secret.txt:600:nobody:nogroup /config/app:700 "
                        + "/config/web/linked.txt:600:nobody " + config + "/web/secret.conf:600:nobody"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Hub hub = HubTest.hub(s, log);
        assertTrue(hub.syncOnce(false).published(), log.toString());

        PosixFileAttributes after = Files.readAttributes(vf, PosixFileAttributes.class);
        assertEquals(PosixFilePermissions.toString(before.permissions()), PosixFilePermissions.toString(
                after.permissions()), "the victim's mode");
        assertEquals(before.owner(), after.owner(), "the victim's owner");
        assertEquals(before.group(), after.group(), "the victim's group");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(victim)));
        assertEquals(victim, Files.readSymbolicLink(config.resolve(".radial/current/app")),
                "published as git wrote it");
        PosixFileAttributes inside = Files.readAttributes(config.resolve("web/secret.conf"),
                PosixFileAttributes.class);
        assertEquals("rw-------", PosixFilePermissions.toString(inside.permissions()), "applied inside");
        assertEquals("nobody", inside.owner().getName());
        assertTrue(hub.state().warnings().stream().anyMatch(w -> w.contains("app is a symlink")),
                hub.state().warnings().toString());
    }

    @Test
    void aSymlinkTargetWithANulByteIsRefusedAndTheHubLives(@TempDir Path root) throws Exception {
        GitRepo wheel = new GitRepo(root.resolve("wheel"), "config");
        wheel.commit("web", Map.of("supervisor/conf.d/web.ini", WEB));
        Settings s = Hostile.settings(root, Map.of("WHEEL_REPO", "file://" + wheel.dir), Map.of());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Hub hub = HubTest.hub(s, log);
        String good = hub.syncOnce(false).revision();

        Path blob = root.resolve("target.bin");
        Files.write(blob, "a\0b".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        String sha = wheel.git("hash-object", "-w", blob.toString());
        wheel.git("update-index", "--add", "--cacheinfo", "120000," + sha + ",web/evil");
        wheel.git("commit", "-q", "-m", "nul");
        for (int round = 0; round < 2; round++) { // and again in a restarted hub
            Hub h = round == 0 ? hub : HubTest.hub(s, log);
            Hub.Outcome o = h.syncOnce(false);
            assertFalse(o.ok());
            assertTrue(o.error().contains("web/evil") && o.error().contains("NUL"), o.error());
            assertEquals(good, o.revision());
            assertWhole(s.configRoot(), Map.of("supervisor/conf.d/web.ini", WEB));
        }
    }

    @Test
    void filesNoIncludeMatchesAreWarnedAbout(@TempDir Path root) throws Exception {
        GitRepo wheel = new GitRepo(root.resolve("wheel"), "config");
        wheel.commit("web", Map.of("supervisor/conf.d/web.ini", WEB, "supervisor/conf.d/worker.cfg", WEB,
                "supervisor/web.ini", WEB, "supervisor/conf.d/NOTES.md", "docs\n"));
        Settings s = Hostile.settings(root, Map.of("WHEEL_REPO", "file://" + wheel.dir), Map.of());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Hub hub = HubTest.hub(s, log);
        assertTrue(hub.syncOnce(false).published(), log.toString());
        String w = hub.state().warnings().toString();
        assertTrue(w.contains("supervisor/conf.d/worker.cfg from wheel"), w);
        assertTrue(w.contains("supervisor/web.ini from wheel"), w);
        assertFalse(w.contains("web.ini from wheel (") && w.contains("conf.d/web.ini from"), w);
        assertFalse(w.contains("NOTES.md") || w.contains("README"), "documentation is not warned about: " + w);
        assertTrue(Files.readString(s.hubRun().resolve("status.json")).contains("worker.cfg"));
        assertTrue(log.toString().contains("worker.cfg"), "logged: " + log);
    }

    @Test
    void aStaleGitLockIsClearedAtStartAndAFailedRefUpdateIsLoud(@TempDir Path root) throws Exception {
        GitRepo wheel = new GitRepo(root.resolve("wheel"), "config");
        wheel.commit("web", Map.of("supervisor/conf.d/web.ini", WEB, "web/v", "1\n"));
        Settings s = Hostile.settings(root, Map.of("WHEEL_REPO", "file://" + wheel.dir), Map.of());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Hub hub = HubTest.hub(s, log);
        assertTrue(hub.syncOnce(false).published(), log.toString());
        // what a hub killed in the middle of a fetch leaves behind
        Path lock = s.mirrors().resolve("wheel.git/refs/radial/config.lock");
        Files.createDirectories(lock.getParent());
        Files.writeString(lock, "0000000000000000000000000000000000000000\n");
        wheel.commit("v2", Map.of("web/v", "2\n"));

        Hub.Outcome o = hub.syncOnce(false);
        assertFalse(o.ok(), "a ref that cannot be updated is an error, not 'unchanged': " + log);
        assertTrue(o.error().contains("cannot update refs/radial/config"), o.error());

        Hub restarted = HubTest.hub(s, log);
        restarted.recover();
        assertFalse(Files.exists(lock), "the dead hub's lock is cleared at start-up");
        assertTrue(log.toString().contains("removed stale git lock"), log.toString());
        assertTrue(restarted.syncOnce(false).published(), log.toString());
        assertWhole(s.configRoot(), Map.of("web/v", "2\n"));
    }

    @Test
    void aDeletedLinkIsRepairedBeforeAnsweringUnchanged(@TempDir Path root) throws Exception {
        GitRepo wheel = new GitRepo(root.resolve("wheel"), "config");
        wheel.commit("web", Map.of("supervisor/conf.d/web.ini", WEB, "web/v", "1\n"));
        Settings s = Hostile.settings(root, Map.of("WHEEL_REPO", "file://" + wheel.dir), Map.of());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Hub hub = HubTest.hub(s, log);
        assertTrue(hub.syncOnce(false).published(), log.toString());
        Files.delete(s.configRoot().resolve("supervisor"));
        Files.createSymbolicLink(s.configRoot().resolve("gone"), Path.of(".radial/current/gone"));
        Hub.Outcome o = hub.syncOnce(false);
        assertTrue(o.ok() && !o.published(), log.toString());
        assertWhole(s.configRoot(), Map.of("web/v", "1\n", "supervisor/conf.d/web.ini", WEB));
        assertFalse(Files.exists(s.configRoot().resolve("gone"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(log.toString().contains("repaired /config: link supervisor recreated"), log.toString());
        assertTrue(hub.state().healthy());

        // the served revision itself lost: the previous one is restored, then the fetched one published again
        wheel.commit("v2", Map.of("web/v", "2\n"));
        assertTrue(hub.syncOnce(false).published());
        Path cur = s.configRoot().resolve(".radial").resolve(Files.readSymbolicLink(s.configRoot().resolve(
                ".radial/current")));
        Process rm = new ProcessBuilder("rm", "-rf", cur.toString()).start();
        assertEquals(0, rm.waitFor());
        Hub.Outcome back = hub.syncOnce(false);
        assertTrue(back.ok() && back.published(), log.toString());
        assertWhole(s.configRoot(), Map.of("web/v", "2\n"));
        assertTrue(log.toString().contains("restored revision"), log.toString());
    }
}
