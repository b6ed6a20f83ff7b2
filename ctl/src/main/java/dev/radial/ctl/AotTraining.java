package dev.radial.ctl;

import dev.radial.common.util.TrainingRun;
import dev.radial.common.xmlrpc.XmlRpc;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 * (the unix-socket client and {@code XmlLite}'s decoding are most of them; not the JDK's XML parser, which a
 * status does not use). Nothing is printed.
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
        return TrainingRun.inQuietTempDir("ctl-aot", dir -> {
            Path sock = dir.resolve("supervisor.sock");
            Path conf = dir.resolve("supervisord.conf");
            Files.writeString(conf, "[supervisorctl]\nserverurl=unix://%(here)s/supervisor.sock\n");
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(sock));
                Thread t = new Thread(() -> serve(server), "aot-training-server");
                t.setDaemon(true);
                t.start();
                int all = CtlMain.run(new String[] {"-c", conf.toString(), "status"});
                int group = CtlMain.run(new String[] {"-c", conf.toString(), "status", "g1:*"});
                // the image's HEALTHCHECK runs health on its own group every few seconds
                int health = CtlMain.run(new String[] {"-c", conf.toString(), "health", "g1:*"});
                return all == 0 && group == 0 && health == 0 ? 0 : 1;
            }
        });
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
                    String method = methodName(in.readNBytes(length));
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
            } catch (EOFException | NumberFormatException e) {
                // the client is done with this connection (or sent something else): take the next
            } catch (IOException e) {
                return; // the server socket was closed
            }
        }
    }

    /**
     * The method a request of ctl's names, found as text: the JDK's DOM parser (XmlRpc.parseCall, what the spoke
     * reads requests with) would put its 170 classes into the cache, which loads every class it holds at each
     * start of ctl, and ctl itself never parses XML with it (docs/benchmarks.md).
     */
    static String methodName(byte[] request) {
        String s = new String(request, StandardCharsets.UTF_8);
        int start = s.indexOf("<methodName>");
        int end = s.indexOf("</methodName>");
        return start < 0 || end < start ? "" : s.substring(start + "<methodName>".length(), end).strip();
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
