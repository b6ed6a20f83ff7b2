package dev.radial.spoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile, broken and oversized requests on the spoke's socket: each gets the right HTTP status or fault,
 * nothing leaks, a stuck client blocks nobody, and the supervised process keeps running with the same pid.
 */
class RpcFuzzTest {
    @TempDir
    static Path dir;
    static Daemons.Running spoke;
    static Path sock;
    static String pidBefore;

    @BeforeAll
    static void start() throws Exception {
        spoke = Daemons.spoke(Daemons.config(dir, "[program:steady]\ncommand=/bin/sleep 1000\nstartsecs=0\n"));
        sock = dir.resolve("supervisor.sock");
        pidBefore = spoke.ctl("pid", "steady").stdout().strip();
        assertTrue(pidBefore.matches("[1-9]\\d*"), pidBefore);
    }

    @AfterAll
    static void stillSupervising() throws Exception {
        try {
            assertEquals(pidBefore, spoke.ctl("pid", "steady").stdout().strip(), "the process survived it all");
        } finally {
            spoke.close();
        }
    }

    static SocketChannel connect() throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(sock));
        return ch;
    }

    /** Sends raw bytes and returns everything the server answers until it closes or pauses with a full response. */
    static String exchange(byte[] request) throws IOException {
        try (SocketChannel ch = connect()) {
            ch.write(ByteBuffer.wrap(request));
            ch.shutdownOutput();
            return readAll(ch);
        }
    }

    static String readAll(SocketChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        StringBuilder sb = new StringBuilder();
        while (ch.read(buf) > 0) {
            buf.flip();
            sb.append(StandardCharsets.ISO_8859_1.decode(buf));
            buf.clear();
        }
        return sb.toString();
    }

    static byte[] post(String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: " + b.length
                + "\r\nConnection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + b.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(b, 0, all, h.length, b.length);
        return all;
    }

    static String status(String response) {
        return response.isEmpty() ? "" : response.substring(0, response.indexOf('\r'));
    }

    @Test
    void garbageIsABadRequest() throws Exception {
        String r = exchange("\u0000\u0001\u0002 not http at all\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("HTTP/1.1 400 Bad Request", status(r));
    }

    @Test
    void malformedAndTruncatedXmlAreBadRequests() throws Exception {
        assertEquals("HTTP/1.1 400 Bad Request", status(exchange(post("<methodCall><methodName>x"))));
        assertEquals("HTTP/1.1 400 Bad Request", status(exchange(post("this is not xml"))));
        assertEquals("HTTP/1.1 400 Bad Request", status(exchange(post(""))));
    }

    @Test
    void externalEntitiesAndDtdsAreRefused() throws Exception {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE m [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
                <methodCall><methodName>supervisor.getProcessInfo</methodName>
                <params><param><value><string>&xxe;</string></value></param></params></methodCall>""";
        String r = exchange(post(xxe));
        assertEquals("HTTP/1.1 400 Bad Request", status(r));
        assertFalse(r.contains("root:"), "no file content in the answer: " + r);
    }

    @Test
    void entityExpansionBombIsRefusedQuickly() throws Exception {
        StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10))
                    .append("\">");
        }
        dtd.append("]><methodCall><methodName>&lol9;</methodName></methodCall>");
        long t0 = System.nanoTime();
        String r = exchange(post(dtd.toString()));
        assertEquals("HTTP/1.1 400 Bad Request", status(r));
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "answered without expanding");
    }

    @Test
    void oversizeBodyIs413BeforeItIsSent() throws Exception {
        String head = "POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10000000\r\n\r\n";
        try (SocketChannel ch = connect()) {
            ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1)));
            // no body is sent: the limit is checked on the header alone
            assertEquals("HTTP/1.1 413 Request Entity Too Large", status(readAll(ch)));
        }
    }

    @Test
    void hugeHeadIs431() throws Exception {
        String head = "GET /RPC2 HTTP/1.1\r\nX-Junk: " + "a".repeat(100_000) + "\r\n\r\n";
        assertEquals("HTTP/1.1 431 Request Header Fields Too Large",
                status(exchange(head.getBytes(StandardCharsets.ISO_8859_1))));
    }

    @Test
    void badContentLengthIs400() throws Exception {
        String head = "POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nContent-Length: -5\r\n\r\n";
        assertEquals("HTTP/1.1 400 Bad Request", status(exchange(head.getBytes(StandardCharsets.ISO_8859_1))));
        String head2 = "POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nContent-Length: lots\r\n\r\n";
        assertEquals("HTTP/1.1 400 Bad Request", status(exchange(head2.getBytes(StandardCharsets.ISO_8859_1))));
    }

    @Test
    void unknownMethodsAndWrongArgumentsAreFaults() throws Exception {
        String unknown = exchange(post("<?xml version='1.0'?><methodCall><methodName>supervisor.nope</methodName>"
                + "<params></params></methodCall>"));
        assertTrue(unknown.startsWith("HTTP/1.1 200 OK"), unknown);
        assertTrue(unknown.contains("<int>1</int>") && unknown.contains("UNKNOWN_METHOD"), unknown);
        String privateMethod = exchange(post("<?xml version='1.0'?><methodCall><methodName>supervisor._readLog"
                + "</methodName></methodCall>"));
        assertTrue(privateMethod.contains("UNKNOWN_METHOD"), "CVE-2017-11610: no private methods: " + privateMethod);
        String wrong = exchange(post("<?xml version='1.0'?><methodCall><methodName>supervisor.getProcessInfo"
                + "</methodName><params></params></methodCall>"));
        assertTrue(wrong.contains("<int>2</int>") && wrong.contains("INCORRECT_PARAMETERS"), wrong);
        String badName = exchange(post("<?xml version='1.0'?><methodCall><methodName>supervisor.stopProcess"
                + "</methodName><params><param><value><string>nosuch</string></value></param></params></methodCall>"));
        assertTrue(badName.contains("BAD_NAME: nosuch"), badName);
    }

    @Test
    void stuckClientsBlockNobody() throws Exception {
        List<SocketChannel> stuck = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                SocketChannel ch = connect();
                // a head that never ends, and a body that never comes
                ch.write(ByteBuffer.wrap((i % 2 == 0 ? "POST /RPC2 HTTP/1.1\r\nContent-Le"
                        : "POST /RPC2 HTTP/1.1\r\nContent-Length: 500\r\n\r\n<?xml")
                        .getBytes(StandardCharsets.ISO_8859_1)));
                stuck.add(ch);
            }
            for (int i = 0; i < 10; i++) {
                long t0 = System.nanoTime();
                assertEquals(0, spoke.ctl("status", "steady").exit());
                assertTrue(System.nanoTime() - t0 < 15_000_000_000L, "answered while 20 clients hang");
            }
        } finally {
            for (SocketChannel ch : stuck) {
                ch.close();
            }
        }
    }
}
