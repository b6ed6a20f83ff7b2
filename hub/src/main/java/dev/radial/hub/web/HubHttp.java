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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The hub's HTTP endpoint (the JDK's built-in server; four routes need no framework): {@code /healthz} (503 until
 * the first publish), {@code /status} (JSON), {@code /metrics} (Prometheus) and {@code POST /webhook} (signed
 * push notifications trigger a sync; unsigned or forged ones get 401 and trigger nothing).
 */
public final class HubHttp implements AutoCloseable {
    static final int MAX_BODY = 1024 * 1024;

    private final HttpServer server;

    public HubHttp(Hub hub, int port, String webhookSecret) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 16);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "hub-http");
            t.setDaemon(true);
            return t;
        }));
        Webhook webhook = webhookSecret == null || webhookSecret.isEmpty() ? null : new Webhook(webhookSecret);
        server.createContext("/healthz", ex -> {
            boolean ready = hub.state().healthy();
            send(ex, ready ? 200 : 503, "text/plain", ready ? "ok\n" : !hub.state().ready()
                    ? "waiting for the first publish\n" : "/config is not whole (see /status)\n");
        });
        server.createContext("/status", ex -> send(ex, 200, "application/json", Json.pretty(hub.state().toMap()) + "\n"));
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
            String event = headers.getOrDefault("x-github-event", headers.getOrDefault("x-gitea-event",
                    headers.getOrDefault("x-gitlab-event", "push")));
            hub.trigger("webhook (" + event + ")");
            send(ex, 202, "text/plain", "sync queued\n");
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
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
    }
}
