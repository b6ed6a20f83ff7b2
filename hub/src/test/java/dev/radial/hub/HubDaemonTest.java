package dev.radial.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.testing.Reference;
import dev.radial.hub.web.HubHttp;
import dev.radial.spoke.Daemons;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub as a daemon: hub.lock and /healthz until the first publish, signed webhooks, /metrics, and the full
 * loop — a commit pushed to the wheel repository shows up RUNNING in a running spoke while an unchanged
 * program of the same group keeps its pid.
 */
class HubDaemonTest {
    static final String SECRET = "webhook-secret";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A hub running in a thread with its HTTP endpoint on a free port. */
    record Running(Hub hub, HubHttp http, Thread thread, ByteArrayOutputStream log) implements AutoCloseable {
        String url(String path) {
            return "http://127.0.0.1:" + http.port() + path;
        }

        @Override
        public void close() throws Exception {
            hub.stop();
            thread.join(20_000);
            http.close();
        }
    }

    static Running start(Settings s) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Hub hub = new Hub(s, new PrintStream(log, true), false);
        HubHttp http = new HubHttp(hub, 0, s.webhookSecret(), s.statusToken());
        Thread t = new Thread(() -> {
            try {
                hub.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "hub-under-test");
        t.start();
        return new Running(hub, http, t, log);
    }

    static HttpResponse<String> post(String url, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String url, String authorization) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", authorization).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static Settings withStatusToken(Settings s, String token) {
        return new Settings(s.configRoot(), s.runRoot(), s.dataRoot(), s.sources(), s.pollSeconds(),
                s.timeoutSeconds(), s.httpPort(), s.webhookSecret(), s.permissions(), s.env(), s.spokeTimeoutSeconds(),
                token);
    }

    static String sign(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void lockHealthzAndWebhookSignatures(@TempDir Path root) throws Exception {
        GitRepo wheel = new GitRepo(root.resolve("wheel"), "config");
        wheel.commit("web", Map.of("supervisor/conf.d/web.ini", HubTest.WEB));
        Settings s = HubTest.settings(root, Map.of("WHEEL_REPO", wheel.dir.toString()), 0, SECRET);
        try (Running r = start(s)) {
            Daemons.await(Duration.ofSeconds(30), () -> r.hub().state().ready(), "the first publish");
            Daemons.await(Duration.ofSeconds(10), () -> !Files.exists(s.lock()), "hub.lock to go");
            assertEquals(200, get(r.url("/healthz")).statusCode());
            String metrics = get(r.url("/metrics")).body();
            assertTrue(metrics.contains("radial_hub_publishes_total 1"), metrics);

            wheel.commit("v2", Map.of("web/v", "2\n"));
            String body = "{\"ref\":\"refs/heads/config\"}";
            assertEquals(401, post(r.url("/webhook"), body, Map.of()).statusCode(), "unsigned");
            assertEquals(401, post(r.url("/webhook"), body, Map.of("X-Hub-Signature-256", "sha256=" + "0".repeat(64)))
                    .statusCode(), "forged");
            assertEquals(401, post(r.url("/webhook"), body, Map.of("X-Hub-Signature-256", sign(body + " ")))
                    .statusCode(), "signature of another body");
            Thread.sleep(500);
            assertFalse(Files.exists(s.configRoot().resolve("web/v")), "refused webhooks trigger nothing");
            assertEquals(401, post(r.url("/webhook"), body, Map.of("X-Gitlab-Token", "wrong")).statusCode());

            HttpResponse<String> ok = post(r.url("/webhook"), body, Map.of("X-Hub-Signature-256", sign(body),
                    "X-GitHub-Event", "push"));
            assertEquals(202, ok.statusCode());
            Daemons.await(Duration.ofSeconds(30), () -> Files.exists(s.configRoot().resolve("web/v")),
                    "the signed push to be published");
            assertEquals(202, post(r.url("/webhook"), "{\"gitlab\":1}", Map.of("X-Gitlab-Token", SECRET))
                    .statusCode());
        }
        assertFalse(Files.exists(s.lock()), "no lock left after exit");
    }

    @Test
    void healthzIs503AndLockStaysUntilAGoodPublish(@TempDir Path root) throws Exception {
        GitRepo wheel = new GitRepo(root.resolve("wheel"), "config");
        wheel.commit("broken", Map.of("supervisor/conf.d/web.ini", "[program:x]\nstartsecs=abc\ncommand=/bin/true\n"));
        Settings s = withStatusToken(HubTest.settings(root, Map.of("WHEEL_REPO", wheel.dir.toString()), 0, SECRET),
                "status-token");
        try (Running r = start(s)) {
            Daemons.await(Duration.ofSeconds(30), () -> r.hub().state().toMap().get("failures").equals(1L),
                    "the first sync to fail");
            assertEquals(503, get(r.url("/healthz")).statusCode());
            assertTrue(Files.isDirectory(s.lock()), "spokes keep waiting: nothing good was published");
            assertTrue(get(r.url("/status"), "Bearer status-token").body()
                    .contains("startsecs: 'abc' is not an integer"));
            wheel.commit("fixed", Map.of("supervisor/conf.d/web.ini", HubTest.WEB));
            r.hub().trigger("test");
            Daemons.await(Duration.ofSeconds(30), () -> !Files.exists(s.lock()), "the lock to go after the fix");
            assertEquals(200, get(r.url("/healthz")).statusCode());
        }
        assertFalse(Files.exists(s.lock()));
    }

    @Test
    void pushedProgramRunsInALiveSpokeWhileTheUnchangedOneKeepsItsPid(@TempDir Path root) throws Exception {
        Reference.require();
        GitRepo wheel = new GitRepo(root.resolve("wheel"), "config");
        String v1 = "[group:web]\nprograms=app\n[program:app]\ncommand=/bin/sleep 1020\nautostart=false\nstartsecs=0\n";
        wheel.commit("web", Map.of("supervisor/conf.d/web.ini", v1));
        Settings s = HubTest.settings(root, Map.of("WHEEL_REPO", wheel.dir.toString()), 0, SECRET);
        Map<String, String> env = new HashMap<>();
        env.put("SPOKE_NAME", "web");
        env.put("HOSTNAME", "spoke01");
        env.put("RADIAL_CONFIG_ROOT", s.configRoot().toString());
        env.put("RADIAL_RUN_ROOT", s.runRoot().toString());
        env.put("RADIAL_LOG_ROOT", root.resolve("log").toString());
        env.put("RADIAL_DATA_ROOT", s.dataRoot().toString());
        try (Running r = start(s)) {
            Daemons.await(Duration.ofSeconds(30), () -> r.hub().state().ready(), "the first publish");
            try (Daemons.Running spoke = Daemons.radialSpoke(env, s.runRoot())) {
                Daemons.await(Duration.ofSeconds(30), () -> status(spoke).matches("(?s).*web:app +RUNNING.*"),
                        "the spoke to start its group");
                String pid = spoke.ctl("pid", "web:app").stdout().strip();

                String v2 = v1.replace("programs=app", "programs=app,worker")
                        + "[program:worker]\ncommand=/bin/sleep 1021\nautostart=false\nstartsecs=0\n";
                wheel.commit("add worker", Map.of("supervisor/conf.d/web.ini", v2));
                String body = "{}";
                assertEquals(202, post(r.url("/webhook"), body, Map.of("X-Hub-Signature-256", sign(body)))
                        .statusCode());
                Daemons.await(Duration.ofSeconds(30), () -> status(spoke).matches("(?s).*web:worker +RUNNING.*"),
                        "the pushed program to run; hub log:\n" + r.log());
                assertEquals(pid, spoke.ctl("pid", "web:app").stdout().strip(), "the unchanged program kept its pid");
                Map<String, Object> st = r.hub().state().toMap();
                assertTrue(st.get("spokes").toString().contains("result=applied"), st.toString());
                assertTrue(st.get("spokes").toString().contains("~web(added worker)"), "program-level: " + st);
            }
        }
    }

    @Test
    void aPlainSupervisordGetsSupervisorctlsGroupLevelUpdate(@TempDir Path root) throws Exception {
        Reference.require();
        GitRepo wheel = new GitRepo(root.resolve("wheel"), "config");
        String v1 = "[group:web]\nprograms=app\n[program:app]\ncommand=/bin/sleep 1022\nautostart=false\nstartsecs=0\n";
        wheel.commit("web", Map.of("supervisor/conf.d/web.ini", v1));
        Settings s = HubTest.settings(root, Map.of("WHEEL_REPO", wheel.dir.toString()), 0, SECRET);
        try (Running r = start(s)) {
            Daemons.await(Duration.ofSeconds(30), () -> r.hub().state().ready(), "the first publish");
            // what Radial's spoke entrypoint set up, with the real supervisord as PID 1 of the "container"
            Path run = s.runRoot().resolve("supervisor/legacy1");
            Files.createDirectories(run);
            Files.writeString(run.resolve("web"), "");
            Files.createSymbolicLink(run.resolve("supervisord.conf"), s.configRoot().resolve(
                    "supervisor/supervisord.conf"));
            Map<String, String> env = Map.of("RADIAL_CONFIG_ROOT", s.configRoot().toString(), "RADIAL_LOG_ROOT",
                    root.resolve("log").toString(), "RADIAL_RUN_ROOT", s.runRoot().toString(), "RADIAL_DATA_ROOT",
                    s.dataRoot().toString());
            try (Daemons.Running sd = Daemons.supervisord(run.resolve("supervisord.conf"), env)) {
                assertEquals(0, sd.ctl("start", "web:*").exit());
                String v2 = v1.replace("programs=app", "programs=app,worker")
                        + "[program:worker]\ncommand=/bin/sleep 1023\nautostart=false\nstartsecs=0\n";
                wheel.commit("add worker", Map.of("supervisor/conf.d/web.ini", v2));
                r.hub().trigger("test");
                Daemons.await(Duration.ofSeconds(60), () -> status(sd).matches("(?s).*web:worker +RUNNING.*")
                        && status(sd).matches("(?s).*web:app +RUNNING.*"), "the whole group to be updated and "
                        + "started again; hub log:\n" + r.log());
                String spokes = r.hub().state().toMap().get("spokes").toString();
                assertTrue(spokes.contains("result=applied") && spokes.contains("detail=~web,"),
                        "group-level, no program detail: " + spokes);
            }
        }
    }

    static String status(Daemons.Running spoke) {
        try {
            return spoke.ctl("status").stdout();
        } catch (Exception e) {
            return "";
        }
    }
}
