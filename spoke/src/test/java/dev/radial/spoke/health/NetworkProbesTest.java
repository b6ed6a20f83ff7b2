package dev.radial.spoke.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.config.Probe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * TCP and HTTP attempts against real sockets of the test: accepted and refused connections, status codes, a
 * server that never answers, one that sends a huge answer or garbage, one that hangs up. Timeouts are real
 * deadlines with generous bounds only as upper limits.
 */
class NetworkProbesTest {
    private final NetworkProbes probes = new NetworkProbes();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        probes.close();
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private Outcome attempt(Probe.Check check, long timeoutMillis) throws Exception {
        CompletableFuture<Outcome> f = new CompletableFuture<>();
        probes.start(check, timeoutMillis * 1_000_000L, Runnable::run, f::complete);
        return f.get(60, TimeUnit.SECONDS);
    }

    /** A server socket on an ephemeral port whose every connection is handed to the handler on its own thread. */
    private int server(Consumer<Socket> handler) throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        open.add(s);
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try {
                    Socket c = s.accept();
                    open.add(c);
                    Thread h = new Thread(() -> handler.accept(c));
                    h.setDaemon(true);
                    h.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return s.getLocalPort();
    }

    private static void answer(Socket c, String text) {
        try {
            InputStream in = c.getInputStream();
            byte[] buf = new byte[4096];
            StringBuilder req = new StringBuilder();
            while (!req.toString().contains("\r\n\r\n")) {
                int n = in.read(buf);
                if (n < 0) {
                    return;
                }
                req.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
            c.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            c.getOutputStream().flush();
        } catch (IOException ignored) {
            // the prober may hang up first
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void tcpAcceptedAndRefused() throws Exception {
        int port = server(c -> { });
        assertEquals(new Outcome(true, "connected"), attempt(new Probe.TcpConnect("127.0.0.1", port), 5000));
        Outcome refused = attempt(new Probe.TcpConnect("127.0.0.1", closedPort()), 5000);
        assertEquals(new Outcome(false, "connection refused"), refused);
        assertFalse(attempt(new Probe.TcpConnect("no-such-host.invalid", 80), 5000).ok());
    }

    @Test
    void httpStatusCodes() throws Exception {
        int ok = server(c -> answer(c, "HTTP/1.1 204 No Content\r\n\r\n"));
        assertEquals(new Outcome(true, "HTTP 204"), attempt(new Probe.HttpGet("127.0.0.1", ok, "/"), 5000));
        int redirect = server(c -> answer(c, "HTTP/1.0 302 Found\r\nLocation: /x\r\n\r\n"));
        assertEquals(new Outcome(true, "HTTP 302"), attempt(new Probe.HttpGet("127.0.0.1", redirect, "/"), 5000));
        int bad = server(c -> answer(c, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"));
        assertEquals(new Outcome(false, "HTTP 503"), attempt(new Probe.HttpGet("127.0.0.1", bad, "/"), 5000));
        int notFound = server(c -> answer(c, "HTTP/1.1 404 Not Found\r\n\r\n"));
        assertEquals(new Outcome(false, "HTTP 404"), attempt(new Probe.HttpGet("127.0.0.1", notFound, "/"), 5000));
    }

    @Test
    void theRequestIsAPlainGetWithHost() throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        int port = server(c -> {
            try {
                byte[] buf = new byte[4096];
                int n = c.getInputStream().read(buf);
                seen.complete(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                c.getOutputStream().write("HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                seen.completeExceptionally(e);
            }
        });
        assertTrue(attempt(new Probe.HttpGet("127.0.0.1", port, "/healthz?x=1"), 5000).ok());
        String req = seen.get(30, TimeUnit.SECONDS);
        assertTrue(req.startsWith("GET /healthz?x=1 HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"), req);
        assertTrue(req.contains("Connection: close\r\n"), req);
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        int port = server(c -> { }); // accepts, reads nothing, never writes
        long t0 = System.nanoTime();
        Outcome o = attempt(new Probe.HttpGet("127.0.0.1", port, "/"), 300);
        long took = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(new Outcome(false, "timed out after 0.3 s"), o);
        assertTrue(took >= 290 && took < 30_000, took + " ms");
    }

    @Test
    void aHugeAnswerIsNotRead() throws Exception {
        // a status line, then 64 MiB the prober must not read (it would take long on a loaded machine)
        int port = server(c -> {
            try {
                OutputStream out = c.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 67108864\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                byte[] chunk = new byte[1 << 16];
                for (int i = 0; i < 1024; i++) {
                    out.write(chunk);
                }
            } catch (IOException ignored) {
                // the prober hung up after the status line: expected
            }
        });
        assertEquals(new Outcome(true, "HTTP 200"), attempt(new Probe.HttpGet("127.0.0.1", port, "/"), 10_000));
        // a first line longer than the limit is no HTTP answer, however much follows
        int garbage = server(c -> answer(c, "x".repeat(100_000)));
        Outcome o = attempt(new Probe.HttpGet("127.0.0.1", garbage, "/"), 10_000);
        assertFalse(o.ok());
        assertTrue(o.detail().startsWith("not an HTTP answer"), o.detail());
    }

    @Test
    void hangUpsAndNonsense() throws Exception {
        int hangup = server(c -> {
            try {
                c.getInputStream().read();
                c.close();
            } catch (IOException ignored) {
                // closed
            }
        });
        assertEquals(new Outcome(false, "connection closed without an answer"),
                attempt(new Probe.HttpGet("127.0.0.1", hangup, "/"), 5000));
        int ssh = server(c -> answer(c, "SSH-2.0-OpenSSH_9.6\r\n"));
        assertEquals(new Outcome(false, "not an HTTP answer"), attempt(new Probe.HttpGet("127.0.0.1", ssh, "/"), 5000));
        assertEquals(new Outcome(false, "connection refused"),
                attempt(new Probe.HttpGet("127.0.0.1", closedPort(), "/"), 5000));
    }

    @Test
    void aCancelledAttemptReportsNothingAndClosesItsSocket() throws Exception {
        CompletableFuture<Boolean> closedByPeer = new CompletableFuture<>();
        int port = server(c -> {
            try {
                closedByPeer.complete(c.getInputStream().read(new byte[4096]) >= 0
                        && c.getInputStream().read() < 0);
            } catch (IOException e) {
                closedByPeer.complete(true);
            }
        });
        CompletableFuture<Outcome> f = new CompletableFuture<>();
        NetworkProbes.Pending p = probes.start(new Probe.HttpGet("127.0.0.1", port, "/"), 60_000_000_000L,
                Runnable::run, f::complete);
        Thread.sleep(200); // let it connect and send its request (the assertion below waits on the peer, not this)
        p.cancel();
        assertTrue(closedByPeer.get(30, TimeUnit.SECONDS), "the socket was closed");
        assertFalse(f.isDone());
    }

    @Test
    void manyAtOnceOnOneThread() throws Exception {
        int port = server(c -> answer(c, "HTTP/1.1 200 OK\r\n\r\n"));
        List<CompletableFuture<Outcome>> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            CompletableFuture<Outcome> f = new CompletableFuture<>();
            probes.start(new Probe.HttpGet("127.0.0.1", port, "/"), 30_000_000_000L, Runnable::run, f::complete);
            all.add(f);
        }
        for (CompletableFuture<Outcome> f : all) {
            assertEquals(new Outcome(true, "HTTP 200"), f.get(60, TimeUnit.SECONDS));
        }
        assertEquals(1, Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("probes")).count());
    }

    @Test
    void statusLines() {
        assertEquals(new Outcome(true, "HTTP 200"), NetworkProbes.statusLine("HTTP/1.1 200 OK"));
        assertEquals(new Outcome(true, "HTTP 399"), NetworkProbes.statusLine("HTTP/1.0 399"));
        assertEquals(new Outcome(false, "HTTP 199"), NetworkProbes.statusLine("HTTP/1.1 199 Whatever"));
        assertEquals(new Outcome(false, "HTTP 400"), NetworkProbes.statusLine("HTTP/1.1 400 Bad Request"));
        assertEquals(new Outcome(false, "not an HTTP answer"), NetworkProbes.statusLine("HTTP/1.1 2000 OK"));
        assertEquals(new Outcome(false, "not an HTTP answer"), NetworkProbes.statusLine("hello"));
    }
}
