package dev.radial.hub.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.radial.common.util.Json;
import dev.radial.hub.Hub;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The hub's HTTP endpoint (the JDK's built-in server; four routes need no framework): {@code /healthz} (503 until
 * the first publish and while /config is not whole), {@code /status} (JSON: a summary with nothing sensitive,
 * everything with the status token),
 * {@code /metrics} (Prometheus) and {@code POST /webhook} (signed push notifications trigger a sync; unsigned or
 * forged ones get 401, replayed ones 409, and trigger nothing).
 *
 * <p>Serving under abuse: every exchange runs on its own virtual thread, so clients that trickle their headers or
 * body hold no platform thread and {@code /healthz} still answers at once; the server closes a connection whose
 * request is not complete within {@link #REQUEST_SECONDS} (or whose response is not taken within as long) and
 * accepts at most {@link #MAX_CONNECTIONS} at a time. Those limits are the JDK server's
 * {@code sun.net.httpserver.maxReqTime}/{@code maxRspTime} and {@code jdk.httpserver.maxConnections}, set here
 * unless given on the command line (they are read once per JVM, when the first server is made).
 */
public final class HubHttp implements AutoCloseable {
    static final int MAX_BODY = 1024 * 1024;
    static final int REQUEST_SECONDS = 10;
    static final int MAX_CONNECTIONS = 512;

    static {
        setDefault("sun.net.httpserver.maxReqTime", Integer.toString(REQUEST_SECONDS));
        setDefault("sun.net.httpserver.maxRspTime", Integer.toString(REQUEST_SECONDS));
        setDefault("jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("hub-http-", 0).factory());
    private final Deliveries deliveries = new Deliveries(Deliveries.REMEMBERED);

    public HubHttp(Hub hub, int port, String webhookSecret) throws IOException {
        this(hub, port, webhookSecret, null);
    }

    /**
     * @param statusToken the bearer token for the full {@code /status} ({@code Authorization: Bearer <token>});
     *     null or empty: {@code /status} only ever shows the anonymous summary
     */
    public HubHttp(Hub hub, int port, String webhookSecret, String statusToken) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 64);
        server.setExecutor(threads);
        Webhook webhook = webhookSecret == null || webhookSecret.isEmpty() ? null : new Webhook(webhookSecret);
        byte[] token = statusToken == null || statusToken.isEmpty() ? null
                : ("Bearer " + statusToken).getBytes(StandardCharsets.UTF_8);
        server.createContext("/healthz", ex -> {
            boolean ready = hub.state().healthy();
            send(ex, ready ? 200 : 503, "text/plain", ready ? "ok\n" : !hub.state().ready()
                    ? "waiting for the first publish\n" : "/config is not whole (see /status)\n");
        });
        server.createContext("/status", ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            boolean full = token != null && auth != null
                    && MessageDigest.isEqual(auth.strip().getBytes(StandardCharsets.UTF_8), token);
            if (auth != null && !full) {
                send(ex, 401, "text/plain", token == null ? "no status token configured (HUB_STATUS_TOKEN_FILE)\n"
                        : "bad status token\n");
                return;
            }
            send(ex, 200, "application/json", Json.pretty(hub.state().toMap(full)) + "\n");
        });
        server.createContext("/metrics", ex -> send(ex, 200, "text/plain; version=0.0.4", hub.state().metrics()));
        server.createContext("/webhook", ex -> {
            if (!ex.getRequestMethod().equals("POST")) {
                send(ex, 405, "text/plain", "POST only\n");
                return;
            }
            if (webhook == null) {
                send(ex, 403, "text/plain", "webhook disabled: set HUB_WEBHOOK_SECRET\n");
                return;
            }
            byte[] body = readBounded(ex.getRequestBody());
            if (body == null) {
                send(ex, 413, "text/plain", "body over " + MAX_BODY + " bytes\n");
                return;
            }
            Map<String, String> headers = new HashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.isEmpty() ? "" : v.get(0)));
            if (!webhook.verify(headers, body)) {
                send(ex, 401, "text/plain", "bad or missing signature\n");
                return;
            }
            if (!deliveries.firstTime(headers, body)) {
                send(ex, 409, "text/plain", "delivery already received (same delivery id or body): not synced\n");
                return;
            }
            String event = headers.getOrDefault("x-github-event", headers.getOrDefault("x-gitea-event",
                    headers.getOrDefault("x-gitlab-event", "push")));
            hub.trigger("webhook (" + event.replaceAll("[^A-Za-z0-9 _.-]", "?").substring(0, Math.min(40,
                    event.length())) + ")");
            send(ex, 202, "text/plain", "sync queued\n");
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void setDefault(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    private static byte[] readBounded(InputStream in) throws IOException {
        byte[] b = in.readNBytes(MAX_BODY + 1);
        return b.length > MAX_BODY ? null : b;
    }

    private static void send(HttpExchange ex, int status, String type, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().put("Content-Type", List.of(type));
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
