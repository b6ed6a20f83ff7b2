package dev.radial.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub's credentialed transports against the real servers on the far side: smart HTTP served by git's own
 * {@code git http-backend} behind Basic auth (a forge and a token), and SSH served by OpenSSH's sshd (a deploy
 * key and a known_hosts file). Secrets never appear in an error, the log or the status file.
 */
class HubTransportsTest {
    static final String WEB = HubTest.WEB;

    private static void assertNoSecret(Settings s, ByteArrayOutputStream log, Hub.Outcome o, String... secrets)
            throws Exception {
        String status = Files.readString(s.hubRun().resolve("status.json"));
        for (String secret : secrets) {
            assertFalse(log.toString().contains(secret), "secret in the log: " + log);
            assertFalse(status.contains(secret), "secret in status.json: " + status);
            if (o.error() != null) {
                assertFalse(o.error().contains(secret), "secret in the error: " + o.error());
            }
        }
    }

    private static long sshThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().contains("sshd")).count();
    }

    /**
     * A token read from GIT_PASSWORD_FILE at every sync: it fetches; once the forge rotates it the sync fails with
     * a clear error and the last good config stays; the new token written to the file is used without a restart.
     */
    @Test
    void smartHttpWithATokenFileThatIsRotated(@TempDir Path root) throws Exception {
        GitRepo wheel = new GitRepo(root.resolve("repos/wheel"), "config");
        wheel.commit("web", Map.of("supervisor/conf.d/web.ini", WEB, "web/app.conf", "v1\n"));
        Path token = root.resolve("token");
        Files.writeString(token, "t0ken-one-s3cr3t\n");
        try (GitHttpServer forge = new GitHttpServer(root.resolve("repos"), "radial", "t0ken-one-s3cr3t")) {
            Settings s = HubTest.settings(root, Map.of("WHEEL_REPO", forge.url() + "/wheel", "GIT_USERNAME", "radial",
                    "GIT_PASSWORD_FILE", token.toString()), -1, null);
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            Hub hub = HubTest.hub(s, log);

            Hub.Outcome first = hub.syncOnce(false);
            assertTrue(first.published(), first + "\n" + log);
            assertEquals("v1\n", Files.readString(s.configRoot().resolve("web/app.conf")));
            assertTrue(forge.served.get() > 0, "fetched through the backend");

            forge.acceptOnly("t0ken-two-s3cr3t");
            wheel.commit("v2", Map.of("web/app.conf", "v2\n"));
            Hub.Outcome refused = hub.syncOnce(false);
            assertFalse(refused.ok(), refused.toString());
            assertTrue(refused.remoteFailure(), refused.toString());
            assertTrue(refused.error().contains(forge.url() + "/wheel"), "says which source: " + refused.error());
            assertTrue(refused.error().contains("not authorized"), "says why: " + refused.error());
            assertTrue(refused.error().contains("GIT_PASSWORD_FILE (" + token + ")"), "says what to check: "
                    + refused.error());
            assertEquals("v1\n", Files.readString(s.configRoot().resolve("web/app.conf")), "the last good stays");
            assertNoSecret(s, log, refused, "t0ken-one-s3cr3t", "t0ken-two-s3cr3t");

            Files.writeString(token, "t0ken-two-s3cr3t\n");
            Hub.Outcome back = hub.syncOnce(false);
            assertTrue(back.published(), back + "\n" + log);
            assertEquals("v2\n", Files.readString(s.configRoot().resolve("web/app.conf")));
            assertNoSecret(s, log, back, "t0ken-one-s3cr3t", "t0ken-two-s3cr3t");
        }
    }

    /**
     * A deploy key and a known_hosts file against OpenSSH: it fetches; a server whose host key is not the known
     * one is refused (no fetch, the last good config stays) with an error that says so and shows no key.
     */
    @Test
    void sshWithADeployKeyAndKnownHosts(@TempDir Path root) throws Exception {
        GitRepo wheel = new GitRepo(root.resolve("repos/wheel"), "config");
        wheel.commit("web", Map.of("supervisor/conf.d/web.ini", WEB, "web/app.conf", "v1\n"));
        try (OpenSshServer sshd = new OpenSshServer(root.resolve("sshd"))) {
            String privateKey = Files.readString(sshd.clientKey);
            String keyBody = privateKey.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
            Settings s = HubTest.settings(root, Map.of("WHEEL_REPO", sshd.url(wheel.dir), "GIT_SSH_KEY",
                    sshd.clientKey.toString(), "GIT_KNOWN_HOSTS", sshd.knownHosts.toString()), -1, null);
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            Hub hub = HubTest.hub(s, log);
            Hub.Outcome first = hub.syncOnce(false);
            assertTrue(first.published(), first + "\n" + log + "\nsshd: " + sshd.log());
            assertEquals("v1\n", Files.readString(s.configRoot().resolve("web/app.conf")));
            long threadsAfterFirst = sshThreads();
            for (int i = 0; i < 5; i++) {
                assertTrue(hub.syncOnce(false).ok(), log.toString());
            }
            assertEquals(threadsAfterFirst, sshThreads(), "each poll over SSH leaves no threads behind");

            // the server is replaced by one with another host key (a man in the middle, or a rebuilt host)
            Path otherHost = OpenSshServer.keygen(root.resolve("other_host"));
            Files.writeString(sshd.knownHosts, "[127.0.0.1]:" + sshd.port + " "
                    + Files.readString(Path.of(otherHost + ".pub")));
            wheel.commit("v2", Map.of("web/app.conf", "v2\n"));
            Hub.Outcome refused = hub.syncOnce(false);
            assertFalse(refused.ok(), refused.toString());
            assertTrue(refused.error().contains("127.0.0.1"), "says which source: " + refused.error());
            assertTrue(refused.error().contains("host key is not the one GIT_KNOWN_HOSTS (" + sshd.knownHosts),
                    "says what to check: " + refused.error());
            assertEquals("v1\n", Files.readString(s.configRoot().resolve("web/app.conf")), "the last good stays");
            assertNoSecret(s, log, refused, keyBody);
        }
    }

    /**
     * Keys the hub cannot use: one with a passphrase (the hub has nobody to ask) and one the server does not
     * authorize. Each sync fails within the fetch timeout, says which variable to check, and shows no key.
     */
    @Test
    void sshKeysTheHubCannotUseFailClearly(@TempDir Path root) throws Exception {
        GitRepo wheel = new GitRepo(root.resolve("repos/wheel"), "config");
        wheel.commit("web", Map.of("supervisor/conf.d/web.ini", WEB));
        try (OpenSshServer sshd = new OpenSshServer(root.resolve("sshd"))) {
            Path locked = root.resolve("locked");
            Files.createDirectories(locked);
            Path withPassphrase = locked.resolve("id_ed25519");
            Files.copy(sshd.clientKey, withPassphrase);
            Files.setPosixFilePermissions(withPassphrase, java.nio.file.attribute.PosixFilePermissions
                    .fromString("rw-------"));
            dev.radial.common.testing.Reference.Run r = dev.radial.common.testing.Reference.run(java.util.List.of(
                    "ssh-keygen", "-q", "-p", "-N", "pa55phrase", "-f", withPassphrase.toString()), Map.of(), root, 60);
            assertEquals(0, r.exit(), r.stderr());
            Path stranger = OpenSshServer.keygen(root.resolve("stranger"));
            for (Path key : java.util.List.of(withPassphrase, stranger)) {
                Path hubRoot = root.resolve("hub-" + key.getFileName());
                Settings s = HubTest.settings(hubRoot, Map.of("WHEEL_REPO", sshd.url(wheel.dir), "GIT_SSH_KEY",
                        key.toString(), "GIT_KNOWN_HOSTS", sshd.knownHosts.toString()), -1, null);
                ByteArrayOutputStream log = new ByteArrayOutputStream();
                Hub.Outcome o = HubTest.hub(s, log).syncOnce(false);
                assertFalse(o.ok(), o.toString());
                assertTrue(o.error().contains("GIT_SSH_KEY (" + key + ")"), "says what to check: " + o.error());
                String body = Files.readString(key).lines().filter(l -> !l.startsWith("-----")).findFirst()
                        .orElseThrow();
                assertNoSecret(s, log, o, body, "pa55phrase");
            }
        }
    }
}
