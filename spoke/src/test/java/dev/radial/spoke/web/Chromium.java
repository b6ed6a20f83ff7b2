package dev.radial.spoke.web;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Debian's headless Chromium driven over the DevTools protocol (a WebSocket on 127.0.0.1, the port Chromium chose
 * written to DevToolsActivePort) with the JDK's HttpClient. One page; close() kills the browser and its children.
 */
final class Chromium implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/chromium");

    private final Process process;
    private final WebSocket socket;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();

    private Chromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    static Chromium start(Path profile) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            fail(BINARY + " is missing: install Debian's chromium (.ci/run does)");
        }
        Files.createDirectories(profile);
        Path log = profile.resolveSibling(profile.getFileName() + ".log");
        Process p = new ProcessBuilder(BINARY.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--window-size=1280,900",
                "about:blank").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path active = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(active) && Files.readAllLines(active).size() >= 2)) {
            if (System.nanoTime() > deadline || !p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail("chromium did not open its DevTools port; its output:\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
        int port = Integer.parseInt(Files.readAllLines(active).get(0).strip());
        HttpClient http = HttpClient.newHttpClient();
        // the initial about:blank page's own DevTools socket
        String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String ws = null;
        for (Object t : (List<?>) Json.parse(list)) {
            Map<?, ?> m = (Map<?, ?>) t;
            if ("page".equals(m.get("type"))) {
                ws = (String) m.get("webSocketDebuggerUrl");
            }
        }
        if (ws == null) {
            p.destroyForcibly();
            fail("no page target in " + list);
        }
        Chromium[] self = new Chromium[1];
        StringBuilder partial = new StringBuilder();
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String msg = partial.toString();
                    partial.setLength(0);
                    self[0].received(msg);
                }
                w.request(1);
                return null;
            }
        }).join();
        self[0] = new Chromium(p, socket);
        return self[0];
    }

    private void received(String msg) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse(msg);
        if (m.get("id") instanceof Long id) {
            CompletableFuture<Map<String, Object>> f = pending.remove(id);
            if (f != null) {
                f.complete(m);
            }
        }
    }

    /** One DevTools command; its "result" (fails the test on an "error"). */
    @SuppressWarnings("unchecked")
    Map<String, Object> send(String method, Map<String, Object> params) {
        long id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> f = new CompletableFuture<>();
        pending.put(id, f);
        socket.sendText(Json.write(Map.of("id", id, "method", method, "params", params)), true).join();
        Map<String, Object> answer;
        try {
            answer = f.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("DevTools " + method + " did not answer: " + e, e);
        }
        if (answer.containsKey("error")) {
            throw new AssertionError("DevTools " + method + ": " + answer.get("error"));
        }
        return (Map<String, Object>) answer.get("result");
    }

    /** Sends these headers with every request of the page (the Basic credentials). */
    void headers(Map<String, Object> headers) {
        send("Network.enable", Map.of());
        send("Network.setExtraHTTPHeaders", Map.of("headers", headers));
    }

    void navigate(String url) {
        send("Page.navigate", Map.of("url", url));
    }

    /** The value of a JavaScript expression in the page (null while the page is between documents). */
    @SuppressWarnings("unchecked")
    Object eval(String expression) {
        Map<String, Object> r = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (r.containsKey("exceptionDetails")) {
            return null;
        }
        return ((Map<String, Object>) r.get("result")).get("value");
    }

    /** Waits until the expression is true in the page; fails with {@code what} and the page's text otherwise. */
    void await(String expression, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Boolean.TRUE.equals(eval("(function(){try{return !!(" + expression + ");}catch(e){return false;}})()"))) {
                return;
            }
            Thread.sleep(100);
        }
        fail("timed out after " + timeout.toSeconds() + " s waiting for " + what + "; the page at "
                + eval("location.href") + " reads:\n" + eval("document.body && document.body.innerText"));
    }

    void screenshot(Path png) throws IOException {
        String data = (String) send("Page.captureScreenshot", Map.of("format", "png")).get("data");
        Files.createDirectories(png.getParent());
        Files.write(png, Base64.getDecoder().decode(data));
    }

    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> tree = process.descendants().toList();
        socket.abort();
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        tree.forEach(ProcessHandle::destroyForcibly);
    }
}
