package dev.radial.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.hub.source.Credentials;
import dev.radial.hub.source.Source;
import dev.radial.spoke.Daemons;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub under hostile input: a sync failure of an unexpected type, a bad commit before a good one, replayed
 * webhook deliveries, clients that trickle their requests.
 */
class HubResilienceTest {
    static Settings withPoll(Settings s, List<Source> sources, int poll) {
        return new Settings(s.configRoot(), s.runRoot(), s.dataRoot(), sources, poll, s.timeoutSeconds(),
                s.httpPort(), s.webhookSecret(), s.permissions(), s.env(), s.spokeTimeoutSeconds(), s.statusToken());
    }

    @Test
    void aFailureOfAnUnexpectedTypeIsRecordedAndTheHubKeepsRunning(@TempDir Path root) throws Exception {
        Settings base = HubTest.settings(root, Map.of(), 0, HubDaemonTest.SECRET);
        // a source without a URI: the mirror meets a NullPointerException, not a SyncException
        List<Source> sources = new ArrayList<>(base.sources());
        sources.add(new Source("broken", null, "config", Credentials.NONE));
        Settings s = withPoll(base, sources, 1);
        try (HubDaemonTest.Running r = HubDaemonTest.start(s)) {
            Daemons.await(Duration.ofSeconds(30), () -> (Long) r.hub().state().toMap().get("failures") >= 3,
                    "three failed syncs; log:\n" + r.log());
            assertTrue(r.thread().isAlive(), "the sync loop outlived the exception");
            String error = (String) r.hub().state().toMap().get("last_error");
            assertTrue(error.contains("NullPointerException"), error);
            assertEquals(503, HubDaemonTest.get(r.url("/healthz")).statusCode(), "HTTP still serves");
            assertTrue(Files.readString(s.hubRun().resolve("status.json")).contains("NullPointerException"));
            String log = r.log().toString();
            assertEquals(1, log.lines().filter(l -> l.contains("sync failed")).count(),
                    "the same failure is logged once, not at every poll: " + log);
            assertFalse(log.contains("\tat "), "no stack trace in the log: " + log);
        }
    }

    @Test
    void aGoodCommitAfterABadOneIsPublishedAtTheNextPollNotAfterBackoff(@TempDir Path root) throws Exception {
        GitRepo wheel = new GitRepo(root.resolve("wheel"), "config");
        wheel.commit("broken", Map.of("supervisor/conf.d/web.ini", HubTest.WEB.replace("startsecs=0",
                "startsecs=abc")));
        Settings base = HubTest.settings(root, Map.of("WHEEL_REPO", wheel.dir.toString()), 0, HubDaemonTest.SECRET);
        Settings s = withPoll(base, base.sources(), 1);
        try (HubDaemonTest.Running r = HubDaemonTest.start(s)) {
            // with backoff, four failures would take 1+2+4+8 s and the fifth sync would come 16 s later
            Daemons.await(Duration.ofSeconds(60), () -> (Long) r.hub().state().toMap().get("failures") >= 4,
                    "four failed syncs at the poll period");
            wheel.commit("fixed", Map.of("supervisor/conf.d/web.ini", HubTest.WEB));
            Daemons.await(Duration.ofSeconds(8), () -> r.hub().state().ready(),
                    "the fix published within a few poll periods; log:\n" + r.log());
        }
    }

    @Test
    void backoffDoublesOnlyWhileTheRemoteFails() {
        Backoff b = new Backoff(10);
        Hub.Outcome remote = new Hub.Outcome(false, false, null, "down", true);
        Hub.Outcome invalid = new Hub.Outcome(false, false, null, "bad", false);
        Hub.Outcome ok = new Hub.Outcome(true, false, "x", null, false);
        assertEquals(20, b.after(remote));
        assertEquals(40, b.after(remote));
        assertEquals(10, b.after(invalid), "an invalid revision: the next poll as usual");
        assertEquals(20, b.after(remote), "counting starts again");
        for (int i = 0; i < 30; i++) {
            b.after(remote);
        }
        assertEquals(Backoff.MAX_SECONDS, b.after(remote));
        assertEquals(10, b.after(ok));
    }

    @Test
    void aReplayedWebhookDeliveryIsRefused(@TempDir Path root) throws Exception {
        GitRepo wheel = new GitRepo(root.resolve("wheel"), "config");
        wheel.commit("web", Map.of("supervisor/conf.d/web.ini", HubTest.WEB));
        Settings s = HubTest.settings(root, Map.of("WHEEL_REPO", wheel.dir.toString()), 0, HubDaemonTest.SECRET);
        try (HubDaemonTest.Running r = HubDaemonTest.start(s)) {
            Daemons.await(Duration.ofSeconds(30), () -> r.hub().state().ready(), "the first publish");
            String body = "{\"after\":\"1111\"}";
            Map<String, String> d1 = Map.of("X-Hub-Signature-256", HubDaemonTest.sign(body), "X-GitHub-Delivery",
                    "d-1", "X-GitHub-Event", "push");
            assertEquals(202, HubDaemonTest.post(r.url("/webhook"), body, d1).statusCode());
            Daemons.await(Duration.ofSeconds(30), () -> (Long) r.hub().state().toMap().get("syncs") == 2,
                    "the delivery's sync");
            HttpResponse<String> replay = HubDaemonTest.post(r.url("/webhook"), body, d1);
            assertEquals(409, replay.statusCode(), replay.body());
            assertEquals(409, HubDaemonTest.post(r.url("/webhook"), body, Map.of("X-Hub-Signature-256",
                    HubDaemonTest.sign(body), "X-GitHub-Delivery", "d-forged-new-id")).statusCode(),
                    "the id header is not signed: the same body with a new id is the same delivery");
            String other = "{\"after\":\"2222\"}";
            assertEquals(409, HubDaemonTest.post(r.url("/webhook"), other, Map.of("X-Hub-Signature-256",
                    HubDaemonTest.sign(other), "X-GitHub-Delivery", "d-1")).statusCode(), "a known id");
            Thread.sleep(300); // would-be syncs of the refused ones would start now
            assertEquals(2L, r.hub().state().toMap().get("syncs"), "refused deliveries triggered nothing");
            assertEquals(202, HubDaemonTest.post(r.url("/webhook"), other, Map.of("X-Hub-Signature-256",
                    HubDaemonTest.sign(other), "X-GitHub-Delivery", "d-2")).statusCode(), "a new delivery");
            Daemons.await(Duration.ofSeconds(30), () -> (Long) r.hub().state().toMap().get("syncs") == 3,
                    "the new delivery's sync");
        }
    }

    @Test
    void slowClientsDoNotTakeHealthzOrWebhooksDown(@TempDir Path root) throws Exception {
        GitRepo wheel = new GitRepo(root.resolve("wheel"), "config");
        wheel.commit("web", Map.of("supervisor/conf.d/web.ini", HubTest.WEB));
        Settings s = HubTest.settings(root, Map.of("WHEEL_REPO", wheel.dir.toString()), 0, HubDaemonTest.SECRET);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> tricklers = new ArrayList<>();
        List<Socket> sockets = new ArrayList<>();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(22);
        try (HubDaemonTest.Running r = HubDaemonTest.start(s)) {
            Daemons.await(Duration.ofSeconds(30), () -> r.hub().state().ready(), "the first publish");
            // two (then 20 more) clients that send a byte of their headers or body every 200 ms
            for (int i = 0; i < 22; i++) {
                Socket sock = new Socket("127.0.0.1", r.http().port());
                sockets.add(sock);
                String start = i % 2 == 0 ? "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "
                        : "POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n";
                tricklers.add(Thread.ofPlatform().daemon().start(() -> trickle(sock, start, stop, started)));
            }
            // every trickler has its request started and is now holding a connection
            assertTrue(started.await(60, java.util.concurrent.TimeUnit.SECONDS), "the tricklers to start");
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> h = client.send(HttpRequest.newBuilder(URI.create(r.url("/healthz")))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, h.statusCode());
                System.out.println("/healthz beside 22 slow clients: " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            }
            String body = "{\"slow\":true}";
            assertEquals(202, HubDaemonTest.post(r.url("/webhook"), body, Map.of("X-Hub-Signature-256",
                    HubDaemonTest.sign(body))).statusCode(), "a webhook is not dropped while others trickle");
            // the server hangs up on a request that is not complete within its time limit
            Daemons.await(Duration.ofSeconds(60), () -> tricklers.stream().noneMatch(Thread::isAlive),
                    "the server to close every trickling connection");
        } finally {
            stop.set(true);
            for (Socket sock : sockets) {
                sock.close();
            }
        }
    }

    /** Writes {@code start}, then one byte every 200 ms until the server closes the connection. */
    private static void trickle(Socket sock, String start, AtomicBoolean stop,
            java.util.concurrent.CountDownLatch started) {
        try {
            OutputStream out = sock.getOutputStream();
            out.write(start.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            started.countDown();
            InputStream in = sock.getInputStream();
            sock.setSoTimeout(200);
            while (!stop.get()) {
                out.write('a');
                out.flush();
                try {
                    if (in.read() < 0) {
                        return; // closed by the server
                    }
                } catch (java.net.SocketTimeoutException e) {
                    // nothing from the server yet: trickle on
                }
            }
        } catch (java.io.IOException e) {
            // reset by the server
        }
    }
}
