package dev.radial.spoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The abuses of issue 11 against a real spoke with its default limits (128 connections, 64 MB heap): abandoned
 * log followers beyond the cap, unauthenticated 2 MB bodies, idle TCP connections, deeply nested XML, a slowloris
 * head. Each time a well-behaved supervisorctl is still served, the child keeps its pid, and the main log says
 * what was refused and why, without a stack trace.
 */
class HttpAbuseTest {
    @TempDir
    static Path dir;
    static Daemons.Running spoke;
    static Path sock;
    static int port;
    static String pidBefore;

    @BeforeAll
    static void start() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        spoke = Daemons.spoke(Daemons.config(dir, """
                [inet_http_server]
                port=127.0.0.1:%d
                username=user
                password=secret
                [program:steady]
                command=/bin/sleep 1000
                startsecs=0
                """.formatted(port)));
        sock = dir.resolve("supervisor.sock");
        pidBefore = spoke.ctl("pid", "steady").stdout().strip();
        assertTrue(pidBefore.matches("[1-9]\\d*"), pidBefore);
    }

    @AfterAll
    static void stillSupervising() throws Exception {
        try {
            assertEquals(pidBefore, spoke.ctl("pid", "steady").stdout().strip(), "the child survived it all");
            String log = mainLog();
            assertFalse(log.contains("Exception") || log.contains("\tat ") || log.contains("Error:"),
                    "no stack trace or exception in the main log:\n" + log);
        } finally {
            spoke.close();
        }
    }

    static String mainLog() {
        return Daemons.read(dir.resolve("supervisord.log"));
    }

    static void awaitLogged(String fragment) throws InterruptedException {
        Daemons.await(Duration.ofSeconds(30), () -> mainLog().contains(fragment), "main log line: " + fragment);
    }

    static SocketChannel unix() throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(sock));
        return ch;
    }

    static SocketChannel tcp() throws IOException {
        return SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
    }

    static void send(SocketChannel ch, byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b);
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    static void send(SocketChannel ch, String s) throws IOException {
        send(ch, s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads until {@code marker} arrived or the server closed (a watchdog closes it after 30 s). */
    static String readUntil(SocketChannel ch, String marker) throws IOException {
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(30_000);
                ch.close();
            } catch (InterruptedException | IOException e) {
                // in time
            }
        });
        StringBuilder sb = new StringBuilder();
        try {
            var in = Channels.newInputStream(ch);
            byte[] buf = new byte[65536];
            int n;
            while ((marker == null || !sb.toString().contains(marker)) && (n = in.read(buf)) > 0) {
                sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            // closed: return what arrived
        } finally {
            watchdog.interrupt();
        }
        return sb.toString();
    }

    /** supervisorctl status over the unix socket answers promptly and correctly. */
    static void assertStatusServed() throws Exception {
        long t0 = System.nanoTime();
        var r = spoke.ctl("status", "steady");
        assertEquals(0, r.exit(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("RUNNING"), r.stdout());
        assertTrue(System.nanoTime() - t0 < 20_000_000_000L, "status answered promptly");
    }

    @Test
    void abandonedFollowersBeyondTheCapLockNobodyOut() throws Exception {
        for (int i = 0; i < 200; i++) {
            try (SocketChannel f = unix()) {
                // supervisorctl tail -f's request: empty Host header, and an extra CRLF
                send(f, "GET /logtail/steady HTTP/1.1\r\nHost: \r\nAccept-Encoding: identity\r\n\r\n\r\n");
                String head = readUntil(f, "\r\n\r\n");
                assertTrue(head.startsWith("HTTP/1.1 200 OK"), head);
            } // and gone, on a log that never grows
        }
        assertStatusServed();
        // followers that stay connected beyond the cap give way, oldest first
        List<SocketChannel> living = new ArrayList<>();
        try {
            for (int i = 0; i < 140; i++) {
                SocketChannel f = unix();
                living.add(f);
                send(f, "GET /logtail/steady HTTP/1.1\r\nHost: \r\n\r\n");
                readUntil(f, "\r\n\r\n");
            }
            assertStatusServed();
            awaitLogged("connection limit 128 reached: closed the oldest log follower");
        } finally {
            for (SocketChannel f : living) {
                f.close();
            }
        }
        assertStatusServed();
    }

    @Test
    void unauthenticatedBodiesCostNothing() throws Exception {
        AtomicInteger refused = new AtomicInteger();
        byte[] body = new byte[2 * 1024 * 1024];
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < 127; i++) {
            clients.add(Thread.ofVirtual().start(() -> {
                try (SocketChannel ch = tcp()) {
                    send(ch, "POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n");
                    Thread writer = Thread.ofVirtual().start(() -> {
                        try {
                            send(ch, body);
                        } catch (IOException e) {
                            // the server closed after its 401: expected
                        }
                    });
                    String r = readUntil(ch, "</html>");
                    if (r.startsWith("HTTP/1.1 401 Unauthorized") && r.contains("Connection: close")) {
                        refused.incrementAndGet();
                    }
                    writer.join(30_000);
                } catch (IOException | InterruptedException e) {
                    // counted as not refused properly
                }
            }));
        }
        for (Thread t : clients) {
            t.join(120_000);
        }
        assertEquals(127, refused.get(), "every unauthenticated client got its 401");
        awaitLogged("refused unauthenticated POST /RPC2: 401");
        var r = spoke.ctl("-s", "http://127.0.0.1:" + port, "-u", "user", "-p", "secret", "status", "steady");
        assertEquals(0, r.exit(), r.stdout() + r.stderr());
        assertStatusServed();
    }

    @Test
    void idleTcpConnectionsBeyondTheCapBlockNobody() throws Exception {
        List<SocketChannel> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 130; i++) {
                idle.add(tcp()); // connects and says nothing
            }
            long t0 = System.nanoTime();
            var r = spoke.ctl("-s", "http://127.0.0.1:" + port, "-u", "user", "-p", "secret", "status", "steady");
            assertEquals(0, r.exit(), r.stdout() + r.stderr());
            assertTrue(r.stdout().contains("RUNNING"), r.stdout());
            assertTrue(System.nanoTime() - t0 < 20_000_000_000L, "served long before any idle timeout");
            awaitLogged("connection limit 128 reached: closed the oldest idle connection");
        } finally {
            for (SocketChannel c : idle) {
                c.close();
            }
        }
    }

    static byte[] post(String xml) {
        byte[] b = xml.getBytes(StandardCharsets.UTF_8);
        byte[] h = ("POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + b.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + b.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(b, 0, all, h.length, b.length);
        return all;
    }

    @Test
    void deeplyNestedXmlGetsACleanAnswer() throws Exception {
        String arrays = "<methodCall><methodName>supervisor.getState</methodName><params><param>"
                + "<value><array><data>".repeat(45_000) + "</data></array></value>".repeat(45_000)
                + "</param></params></methodCall>";
        String elements = "<methodCall><methodName>supervisor.getState</methodName><params><param><value>"
                + "<a>".repeat(100_000) + "</a>".repeat(100_000) + "</value></param></params></methodCall>";
        for (String xml : List.of(arrays, elements)) {
            try (SocketChannel ch = unix()) {
                send(ch, post(xml));
                String r = readUntil(ch, null);
                assertTrue(r.startsWith("HTTP/1.1 400 Bad Request"), r.substring(0, Math.min(200, r.length())));
                assertTrue(r.contains("elements nested deeper than 256"), "says why: " + r);
            }
        }
        awaitLogged("refused POST /RPC2: 400 bad XML-RPC request");
        // nesting within the bound still works: a multicall of ordinary depth
        try (SocketChannel ch = unix()) {
            send(ch, post("<methodCall><methodName>system.multicall</methodName><params><param><value><array><data>"
                    + "<value><struct><member><name>methodName</name><value>supervisor.getPID</value></member>"
                    + "<member><name>params</name><value><array><data></data></array></value></member>"
                    + "</struct></value></data></array></value></param></params></methodCall>"));
            String r = readUntil(ch, "</methodResponse>");
            assertTrue(r.startsWith("HTTP/1.1 200 OK") && r.contains("<int>"), r);
        }
        assertStatusServed();
    }

    @Test
    void slowlorisIsTimedOutWhileOthersAreServed() throws Exception {
        try (SocketChannel slow = unix()) {
            long t0 = System.nanoTime();
            Thread trickle = Thread.ofVirtual().start(() -> {
                try {
                    for (char c : ("POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + "a".repeat(200))
                            .toCharArray()) {
                        send(slow, String.valueOf(c));
                        Thread.sleep(150);
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by the server: expected
                }
            });
            assertStatusServed();
            assertStatusServed();
            String r = readUntil(slow, null);
            assertTrue(r.startsWith("HTTP/1.1 408 Request Timeout"), r);
            assertTrue(System.nanoTime() - t0 < 25_000_000_000L, "cut off at the 10 s head timeout");
            trickle.interrupt();
            trickle.join(10_000);
        }
        awaitLogged("request head not complete within 10 s");
    }
}
