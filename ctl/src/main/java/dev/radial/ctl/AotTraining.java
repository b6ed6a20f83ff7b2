package dev.radial.ctl;

import dev.radial.common.xmlrpc.XmlRpc;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ctl --aot-training} (not a user command): the training run of ctl's ahead-of-time cache (JEP 483/515).
 * It runs the real {@code status} command, from reading a supervisord.conf to printing the table, against a
 * throwaway in-process server on a unix socket that answers like a spoke with {@value #PROGRAMS} programs, so
 * the cache bin/ctl and the images make holds the classes, linkage and method profiles of exactly that path
 * (the JDK's XML parser and the unix-socket client are most of them). Nothing is printed.
 *
 * <p>Threading: the fake server runs on one daemon thread of its own, one connection at a time; the command
 * runs on the calling thread, as in a real run.
 */
final class AotTraining {
    static final String FLAG = "--aot-training";
    static final int PROGRAMS = 300;

    private AotTraining() {
    }

    /** 0 when both status runs printed a table and the health run exited 0, else 1. */
    static int run() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        Path dir = null;
        try {
            dir = Files.createTempDirectory("ctl-aot");
            Path sock = dir.resolve("supervisor.sock");
            Path conf = dir.resolve("supervisord.conf");
            Files.writeString(conf, "[supervisorctl]\nserverurl=unix://%(here)s/supervisor.sock\n");
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(sock));
                Thread t = new Thread(() -> serve(server), "aot-training-server");
                t.setDaemon(true);
                t.start();
                PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
                System.setOut(quiet);
                System.setErr(quiet);
                int all = CtlMain.run(new String[] {"-c", conf.toString(), "status"});
                int group = CtlMain.run(new String[] {"-c", conf.toString(), "status", "g1:*"});
                // the image's HEALTHCHECK runs health on its own group every few seconds
                int health = CtlMain.run(new String[] {"-c", conf.toString(), "health", "g1:*"});
                return all == 0 && group == 0 && health == 0 ? 0 : 1;
            }
        } catch (IOException e) {
            return 1;
        } finally {
            System.setOut(out);
            System.setErr(err);
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) {
                        Files.deleteIfExists(p);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // a temp directory left behind is harmless
                }
            }
        }
    }

    /** Answers getVersion and getAllProcessInfo over HTTP/1.1 keep-alive until the socket is closed. */
    private static void serve(ServerSocketChannel server) {
        byte[] version = XmlRpc.response(Controller.API_VERSION).getBytes(StandardCharsets.UTF_8);
        byte[] infos = XmlRpc.response(infos()).getBytes(StandardCharsets.UTF_8);
        byte[] unknown = XmlRpc.fault(1, "UNKNOWN_METHOD").getBytes(StandardCharsets.UTF_8);
        while (server.isOpen()) {
            try (SocketChannel ch = server.accept()) {
                InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
                OutputStream o = Channels.newOutputStream(ch);
                while (true) {
                    int length = 0;
                    for (String line = line(in); !line.isEmpty(); line = line(in)) {
                        if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                            length = Integer.parseInt(line.substring(15).strip());
                        }
                    }
                    String method = XmlRpc.parseCall(in.readNBytes(length)).method();
                    byte[] body = switch (method) {
                        case "supervisor.getVersion" -> version;
                        case "supervisor.getAllProcessInfo" -> infos;
                        default -> unknown;
                    };
                    o.write(("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    o.write(body);
                    o.flush();
                }
            } catch (EOFException | XmlRpc.ParseException | NumberFormatException e) {
                // the client is done with this connection (or sent something else): take the next
            } catch (IOException e) {
                return; // the server socket was closed
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException();
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    /** What a spoke answers for {@value #PROGRAMS} running programs in ten groups. */
    private static List<Map<String, Object>> infos() {
        List<Map<String, Object>> l = new ArrayList<>();
        for (int i = 0; i < PROGRAMS; i++) {
            l.add(Map.ofEntries(Map.entry("name", "p" + i), Map.entry("group", "g" + (i % 10)),
                    Map.entry("statename", "RUNNING"), Map.entry("state", 20),
                    Map.entry("description", "pid " + (1000 + i) + ", uptime 1:02:03"), Map.entry("pid", 1000 + i),
                    Map.entry("start", 1_700_000_000), Map.entry("stop", 0), Map.entry("now", 1_700_003_723),
                    Map.entry("spawnerr", ""), Map.entry("exitstatus", 0), Map.entry("logfile", "/log/p" + i + ".log"),
                    Map.entry("stdout_logfile", "/log/p" + i + ".log"), Map.entry("stderr_logfile", "")));
            if (i % 3 == 0) {
                // a third with health probes (the keys a spoke adds for them)
                Map<String, Object> m = new java.util.LinkedHashMap<>(l.removeLast());
                m.put("health", "healthy");
                m.put("health_description", "readiness healthy (HTTP 200)");
                l.add(m);
            }
        }
        return l;
    }
}
