package dev.radial.spoke.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import dev.radial.spoke.logging.FileChanges;
import dev.radial.spoke.logging.RotatingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP server alone, on real sockets, with small limits so that every bound is reached quickly: each abuse is
 * answered or closed, logged once, and a well-behaved client is still served at the same time.
 */
class HttpServerTest {
    @TempDir
    Path dir;
    final List<String> log = new CopyOnWriteArrayList<>();
    final AtomicInteger handled = new AtomicInteger();
    final AtomicInteger bigAnswers = new AtomicInteger();
    final List<SocketChannel> clients = new ArrayList<>();
    HttpServer server;
    Path followed;

    static final Limits SMALL = Limits.defaults().withMaxConnections(8).withTimeouts(Duration.ofSeconds(1),
            Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(1));

    /** /ok answers at once, /later from another thread, /big with 32 MiB, /follow streams a file. */
    Router router() {
        return new Router().exact("/ok", (req, ex) -> {
            handled.incrementAndGet();
            ex.respond(Response.text(200, "ok " + req.body().length + "\n"));
        }).exact("/later", (req, ex) -> {
            handled.incrementAndGet();
            Thread.ofVirtual().start(() -> {
                sleep(300);
                ex.respond(Response.text(200, "later\n"));
            });
        }).exact("/big", (req, ex) -> {
            bigAnswers.incrementAndGet();
            ex.respond(new Response(200, "text/plain", new byte[32 << 20], null));
        })
                .exact("/follow", (req, ex) -> ex.follow(followed, 1024));
    }

    HttpServer tcp(Limits limits, String user, String password) throws IOException {
        server = HttpServer.tcp("127.0.0.1", 0, user, password, router(), limits, log::add).start("http-test");
        return server;
    }

    @AfterEach
    void stop() throws IOException {
        for (SocketChannel c : clients) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    SocketChannel connect() throws IOException {
        SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()));
        clients.add(ch);
        return ch;
    }

    static void send(SocketChannel ch, String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Reads until {@code done} holds for what arrived, or the server closes; bounded in time. */
    static String readUntil(SocketChannel ch, java.util.function.Predicate<String> done) throws IOException {
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(20_000);
                ch.close(); // the bound: a hung read ends, and the assertion on what arrived fails
            } catch (InterruptedException | IOException e) {
                // done in time
            }
        });
        try {
            return readUntilUnbounded(ch, done);
        } finally {
            watchdog.interrupt();
        }
    }

    private static String readUntilUnbounded(SocketChannel ch, java.util.function.Predicate<String> done)
            throws IOException {
        var in = java.nio.channels.Channels.newInputStream(ch);
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[65536];
        int n;
        try {
            while (!done.test(sb.toString()) && (n = in.read(buf)) > 0) {
                sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (java.nio.channels.AsynchronousCloseException e) {
            // the watchdog's deadline
        }
        return sb.toString();
    }

    static String readToEnd(SocketChannel ch) throws IOException {
        return readUntil(ch, s -> false);
    }

    /** One complete GET /ok on a fresh connection, answered within a generous bound. */
    void assertServed() throws IOException {
        long t0 = System.nanoTime();
        try (SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()))) {
            send(ch, "GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            String r = readToEnd(ch);
            assertTrue(r.startsWith("HTTP/1.1 200 OK") && r.endsWith("ok 0\n"), r);
        }
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "served promptly");
    }

    static void await(BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    boolean logged(String fragment) {
        return log.stream().anyMatch(l -> l.contains(fragment));
    }

    @Test
    void slowlorisIsTimedOutWhileOthersAreServed() throws Exception {
        tcp(SMALL, null, null);
        SocketChannel slow = connect();
        long t0 = System.nanoTime();
        Thread trickle = Thread.ofVirtual().start(() -> {
            try {
                for (char c : "GET /ok HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".toCharArray()) {
                    send(slow, String.valueOf(c));
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException e) {
                // closed by the server: expected
            }
        });
        assertServed();
        String r = readToEnd(slow);
        assertTrue(r.startsWith("HTTP/1.1 408 Request Timeout"), r);
        assertTrue(System.nanoTime() - t0 < 15_000_000_000L);
        trickle.join(10_000);
        await(() -> logged("request head not complete within 1 s"), "the refusal in the log");
        assertEquals(0, handled.get() - 1, "only the good client's request reached the handler");
    }

    @Test
    void idleConnectionsAreEvictedAtTheCap() throws Exception {
        tcp(SMALL, null, null);
        for (int i = 0; i < 20; i++) {
            connect(); // connected, never says anything
        }
        assertServed();
        assertServed();
        await(() -> logged("connection limit 8 reached: closed the oldest idle connection"), "eviction logged");
        assertTrue(server.openConnections() <= 8, "never more than the cap: " + server.openConnections());
    }

    @Test
    void unauthenticatedBodiesAreNeverRead() throws Exception {
        tcp(SMALL.withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(30)), "user", "{SHA}" + sha1("pw"));
        for (int i = 0; i < 20; i++) {
            SocketChannel ch = connect();
            send(ch, "POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n" + "x".repeat(1000));
            // the answer comes before the body: it is decided on the headers
            String r = readUntil(ch, s -> s.contains("</html>"));
            assertTrue(r.startsWith("HTTP/1.1 401 Unauthorized"), r);
            assertTrue(r.contains("WWW-Authenticate: Basic realm=\"default\"\r\n"), r);
            assertTrue(r.contains("Connection: close\r\n"), r);
        }
        assertEquals(0, handled.get());
        await(() -> logged("refused unauthenticated POST /ok: 401"), "the refusal in the log");
        SocketChannel ok = connect();
        String auth = java.util.Base64.getEncoder().encodeToString("user:pw".getBytes(StandardCharsets.UTF_8));
        send(ok, "POST /ok HTTP/1.1\r\nAuthorization: Basic " + auth + "\r\nContent-Length: 3\r\n\r\nabc");
        String r = readUntil(ok, s -> s.endsWith("ok 3\n"));
        assertTrue(r.startsWith("HTTP/1.1 200 OK"), r);
    }

    static String sha1(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
                .digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void oversizeBodyAndHeadAreRefusedBeforeReading() throws Exception {
        tcp(SMALL, null, null);
        SocketChannel ch = connect();
        send(ch, "POST /ok HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n");
        assertTrue(readToEnd(ch).startsWith("HTTP/1.1 413 "));
        SocketChannel h = connect();
        send(h, "GET /ok HTTP/1.1\r\nX: " + "a".repeat(20_000) + "\r\n\r\n");
        assertTrue(readToEnd(h).startsWith("HTTP/1.1 431 "));
        assertEquals(0, handled.get());
        assertServed();
    }

    @Test
    void abandonedFollowersAreReleased() throws Exception {
        followed = Files.writeString(dir.resolve("quiet.log"), "one line\n");
        tcp(SMALL, null, null);
        for (int i = 0; i < 30; i++) {
            SocketChannel f = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()));
            send(f, "GET /follow HTTP/1.1\r\nHost: \r\n\r\n");
            String r = readUntil(f, s -> s.contains("one line"));
            assertTrue(r.contains("Transfer-Encoding: chunked"), r);
            f.close(); // gone without a word; the log stays quiet
        }
        await(() -> server.openConnections() == 0, "every abandoned follower noticed and released");
        assertServed();
    }

    @Test
    void livingFollowersAtTheCapGiveWayOldestFirst() throws Exception {
        followed = Files.writeString(dir.resolve("quiet.log"), "start\n");
        tcp(SMALL, null, null);
        List<SocketChannel> followers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            SocketChannel f = connect();
            send(f, "GET /follow HTTP/1.1\r\nHost: \r\n\r\n");
            readUntil(f, s -> s.contains("start"));
            followers.add(f);
        }
        assertServed();
        assertTrue(readToEnd(followers.get(0)).isEmpty(), "the oldest follower was closed");
        await(() -> logged("closed the oldest log follower"), "eviction logged");
        // the others still follow
        Files.writeString(followed, "more\n", StandardOpenOption.APPEND);
        assertTrue(readUntil(followers.get(7), s -> s.contains("more")).contains("more"));
    }

    @Test
    void followerSeesGrowthAndTruncation() throws Exception {
        followed = Files.writeString(dir.resolve("f.log"), "x".repeat(5000) + "tail-end\n");
        tcp(SMALL, null, null);
        SocketChannel f = connect();
        send(f, "GET /follow HTTP/1.0\r\n\r\n");
        String first = readUntil(f, s -> s.contains("tail-end"));
        assertTrue(first.startsWith("HTTP/1.0 200 OK") && !first.contains("Connection:"), first);
        assertFalse(first.contains("Transfer-Encoding"), "HTTP/1.0 streams raw: " + first);
        assertTrue(first.length() < 1024 + 400, "only the last 1024 bytes first");
        Files.writeString(followed, "appended\n", StandardOpenOption.APPEND);
        assertTrue(readUntil(f, s -> s.contains("appended")).contains("appended"));
        Files.writeString(followed, "");
        assertTrue(readUntil(f, s -> s.contains("==> File truncated <==")).contains("truncated"));
    }

    @Test
    void followerIsWokenByTheSpokesOwnWritesNotByPolling() throws Exception {
        followed = dir.resolve("woken.log");
        // no unprompted look for an hour: only FileChanges' reports can deliver what is written below
        tcp(SMALL.withFollowPoll(Duration.ofHours(1)), null, null);
        try (RotatingFile log = new RotatingFile(followed, 64, 2)) {
            log.write(ByteBuffer.wrap("first line\n".getBytes(StandardCharsets.UTF_8)));
            SocketChannel f = connect();
            send(f, "GET /follow HTTP/1.1\r\nHost: \r\n\r\n");
            assertTrue(readUntil(f, s -> s.contains("first line")).contains("first line"));
            await(() -> FileChanges.watchers(followed) == 1, "the follower watches its file");
            log.write(ByteBuffer.wrap("appended by the spoke\n".getBytes(StandardCharsets.UTF_8)));
            assertTrue(readUntil(f, s -> s.contains("appended by the spoke")).contains("appended by the spoke"));
            // past maxbytes: the file is rotated, and the follower moves to the new one when told
            log.write(ByteBuffer.wrap(("x".repeat(60) + "\nafter the rotation\n").getBytes(StandardCharsets.UTF_8)));
            assertTrue(Files.exists(Path.of(followed + ".1")), "rotated");
            assertTrue(readUntil(f, s -> s.contains("after the rotation")).contains("after the rotation"));
            f.close();
            await(() -> FileChanges.watchers(followed) == 0, "a closed follower stops watching");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        tcp(SMALL, null, null);
        SocketChannel ch = connect();
        send(ch, "GET /later HTTP/1.1\r\n\r\nPOST /ok HTTP/1.1\r\nContent-Length: 2\r\n\r\nab\r\n"
                + "GET /ok HTTP/1.1\r\nConnection: close\r\n\r\n");
        String r = readToEnd(ch);
        int later = r.indexOf("later\n");
        int two = r.indexOf("ok 2\n");
        int zero = r.indexOf("ok 0\n");
        assertTrue(later > 0 && two > later && zero > two, r);
    }

    @Test
    void pipelinedRequestsWaitUnreadWhileAnAnswerIsGoingOut() throws Exception {
        // found in review: each pipelined request was answered into the connection's queue while the client read
        // nothing, so one client could make the spoke hold any number of answers. A 32 MiB answer cannot fit in the
        // socket buffers, so it is still going out while the client reads nothing.
        tcp(Limits.defaults(), null, null);
        SocketChannel ch = connect();
        send(ch, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
        await(() -> bigAnswers.get() == 1, "the first request to be answered");
        // more requests arrive while that answer is still going out (what a hostile client keeps doing)
        send(ch, "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n".repeat(5));
        sleep(1000); // the client keeps not reading: nothing may be served past the answer going out
        assertEquals(0, handled.get(), "requests handled while the client reads nothing");
        // once the client reads, the waiting requests are served in turn
        var in = java.nio.channels.Channels.newInputStream(ch);
        byte[] buf = new byte[1 << 16];
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (handled.get() < 5 && System.nanoTime() < deadline && in.read(buf) > 0) {
            // drain
        }
        assertEquals(5, handled.get(), "the five pipelined requests after the big answer was read");
    }

    @Test
    void ambiguousFramingIsRefused() throws Exception {
        // found in review: with two framings the last Content-Length won and Transfer-Encoding was ignored
        tcp(SMALL, null, null);
        for (String head : List.of("Content-Length: 2\r\nContent-Length: 5\r\n",
                "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n", "Content-Length: +2\r\n")) {
            SocketChannel ch = connect();
            send(ch, "POST /ok HTTP/1.1\r\nHost: x\r\n" + head + "\r\nab");
            String r = readToEnd(ch);
            assertTrue(r.startsWith("HTTP/1.1 400 "), head + " -> " + r);
        }
        assertEquals(0, handled.get(), "no ambiguous request reached the handler");
        assertServed();
    }

    @Test
    void http10IsAnsweredAsMedusaDoes() throws Exception {
        tcp(SMALL, null, null);
        SocketChannel ch = connect();
        send(ch, "GET /ok HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        String r = readUntil(ch, s -> s.endsWith("ok 0\n"));
        assertTrue(r.startsWith("HTTP/1.0 200 OK\r\n") && r.contains("Connection: Keep-Alive\r\n"), r);
        send(ch, "GET /ok HTTP/1.0\r\n\r\n");
        String second = readToEnd(ch);
        // supervisord's answer, byte for byte in its headers: no Connection header, and the connection ends
        assertTrue(second.startsWith("HTTP/1.0 200 OK\r\n") && !second.contains("Connection:"), second);
    }

    @Test
    void clientThatStopsReadingIsClosedAndOthersServed() throws Exception {
        tcp(SMALL, null, null);
        SocketChannel ch = connect();
        ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4096);
        send(ch, "GET /big HTTP/1.1\r\n\r\n");
        assertServed();
        await(() -> logged("stopped reading for 1 s"), "the stalled writer closed");
        await(() -> server.openConnections() == 1 || server.openConnections() == 0, "its slot freed");
    }

    @Test
    void answerForAClientThatLeftIsDropped() throws Exception {
        tcp(SMALL, null, null);
        SocketChannel ch = connect();
        send(ch, "GET /later HTTP/1.1\r\n\r\n");
        ch.close();
        await(() -> handled.get() == 1, "the request reached the handler");
        sleep(400); // let the late answer arrive for a closed connection
        assertServed();
    }

    @Test
    void unixSocketServes() throws Exception {
        Path sock = dir.resolve("s.sock");
        server = HttpServer.unix(sock, 0700, -1, -1, null, null, router(), SMALL, log::add).start("http-test");
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            send(ch, "\r\nGET /ok HTTP/1.1\r\nHost: \r\n\r\nGET /nope HTTP/1.1\r\n\r\n");
            String r = readToEnd(ch);
            assertTrue(r.startsWith("HTTP/1.1 200 OK") && r.contains("HTTP/1.1 404 Not Found"), r);
        }
        server.close();
        assertFalse(Files.exists(sock), "socket file removed on close");
        server = null;
    }
}
