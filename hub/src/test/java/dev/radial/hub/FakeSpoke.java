package dev.radial.hub;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A hostile or broken "spoke": a real unix socket under {@code run/supervisor/<host>/supervisor.sock} (with the
 * marker file Radial's entrypoint makes) that answers every XML-RPC call with an int, never answers, or closes
 * every connection at once.
 */
final class FakeSpoke implements AutoCloseable {
    enum Behaviour {
        ANSWERS_INT, NEVER_ANSWERS, CLOSES_AT_ONCE
    }

    static final String INT_RESPONSE = "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n"
            + "<value><int>7</int></value>\n</param>\n</params>\n</methodResponse>\n";

    final Path dir;
    private final Behaviour behaviour;
    private final ServerSocketChannel server;
    private final List<SocketChannel> held = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    FakeSpoke(Path runRoot, String host, Behaviour behaviour) throws IOException {
        this.dir = runRoot.resolve("supervisor").resolve(host);
        this.behaviour = behaviour;
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("fake-" + host), "");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve("supervisor.sock")));
        acceptor = Thread.ofPlatform().daemon().name("fake-spoke-" + host).start(this::accept);
    }

    private void accept() {
        try {
            while (true) {
                SocketChannel c = server.accept();
                switch (behaviour) {
                    case CLOSES_AT_ONCE -> c.close();
                    case NEVER_ANSWERS -> held.add(c);
                    case ANSWERS_INT -> {
                        held.add(c);
                        Thread.ofVirtual().start(() -> answerInts(c));
                    }
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    /** Reads each request (head, then Content-Length bytes) and answers it with an int, keeping the connection. */
    private static void answerInts(SocketChannel c) {
        try (c) {
            ByteBuffer one = ByteBuffer.allocate(1);
            while (true) {
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    one.clear();
                    if (c.read(one) < 0) {
                        return;
                    }
                    head.write(one.get(0));
                }
                int length = 0;
                for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).strip());
                    }
                }
                ByteBuffer body = ByteBuffer.allocate(length);
                while (body.hasRemaining()) {
                    if (c.read(body) < 0) {
                        return;
                    }
                }
                byte[] b = INT_RESPONSE.getBytes(StandardCharsets.UTF_8);
                String h = "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: " + b.length + "\r\n\r\n";
                ByteBuffer out = ByteBuffer.wrap((h + INT_RESPONSE).getBytes(StandardCharsets.UTF_8));
                while (out.hasRemaining()) {
                    c.write(out);
                }
            }
        } catch (IOException e) {
            // the hub hung up
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        for (SocketChannel c : held) {
            c.close();
        }
        acceptor.join(5000);
        Files.deleteIfExists(dir.resolve("supervisor.sock"));
    }
}
