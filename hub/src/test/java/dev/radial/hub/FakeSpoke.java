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
 * marker file Radial's entrypoint makes) that answers every XML-RPC call with an int, never answers, closes
 * every connection at once, or plays a spoke on which another client applied the same change between the hub's
 * reloadConfig and its next calls (an operator's {@code ctl update} at the same moment).
 */
final class FakeSpoke implements AutoCloseable {
    enum Behaviour {
        ANSWERS_INT, NEVER_ANSWERS, CLOSES_AT_ONCE, RACED_BY_ANOTHER_CLIENT
    }

    static final String INT_RESPONSE = response("<int>7</int>");

    private static String response(String value) {
        return "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value>" + value
                + "</value>\n</param>\n</params>\n</methodResponse>\n";
    }

    /**
     * The raced spoke's answers: to reloadConfig "web" is new and "old" gone, but by the next calls someone else has
     * added the one and removed the other.
     */
    private static String raced(String body) {
        String method = body.replaceAll("(?s).*<methodName>([^<]*)</methodName>.*", "$1");
        return switch (method) {
            case "supervisor.reloadConfig" -> response("<array><data><value><array><data>"
                    + "<value><array><data><value><string>web</string></value></data></array></value>"
                    + "<value><array><data></data></array></value>"
                    + "<value><array><data><value><string>old</string></value></data></array></value>"
                    + "</data></array></value></data></array>");
            case "supervisor.addProcessGroup" -> fault(90, "ALREADY_ADDED: web");
            case "supervisor.stopProcessGroup", "supervisor.removeProcessGroup" -> fault(10, "BAD_NAME: old");
            case "supervisor.startProcessGroup", "supervisor.getAllProcessInfo" ->
                    response("<array><data></data></array>");
            default -> INT_RESPONSE;
        };
    }

    private static String fault(int code, String string) {
        return "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct><member><name>faultCode</name>"
                + "<value><int>" + code + "</int></value></member><member><name>faultString</name><value><string>"
                + string + "</string></value></member></struct></value>\n</fault>\n</methodResponse>\n";
    }

    /** The method names this fake was called with, in order. */
    final List<String> calls = new CopyOnWriteArrayList<>();

    final Path dir;
    private final Behaviour behaviour;
    private final ServerSocketChannel server;
    private final List<SocketChannel> held = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    FakeSpoke(Path runRoot, String host, Behaviour behaviour) throws IOException {
        this(runRoot, host, "fake-" + host, behaviour);
    }

    /** A fake spoke on {@code host} whose marker file names it {@code spoke} (the group it runs). */
    FakeSpoke(Path runRoot, String host, String spoke, Behaviour behaviour) throws IOException {
        this.dir = runRoot.resolve("supervisor").resolve(host);
        this.behaviour = behaviour;
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(spoke), "");
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
                        Thread.ofVirtual().start(() -> answer(c, body -> INT_RESPONSE));
                    }
                    case RACED_BY_ANOTHER_CLIENT -> {
                        held.add(c);
                        Thread.ofVirtual().start(() -> answer(c, body -> {
                            calls.add(body.replaceAll("(?s).*<methodName>([^<]*)</methodName>.*", "$1"));
                            return raced(body);
                        }));
                    }
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    /** Reads each request (head, then Content-Length bytes) and answers it as told, keeping the connection. */
    private static void answer(SocketChannel c, java.util.function.UnaryOperator<String> answers) {
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
                String xml = answers.apply(new String(body.array(), StandardCharsets.UTF_8));
                byte[] b = xml.getBytes(StandardCharsets.UTF_8);
                String h = "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: " + b.length + "\r\n\r\n";
                ByteBuffer out = ByteBuffer.wrap((h + xml).getBytes(StandardCharsets.UTF_8));
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
