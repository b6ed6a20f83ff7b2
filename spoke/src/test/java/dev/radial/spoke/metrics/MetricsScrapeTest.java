package dev.radial.spoke.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.client.ServerUrl;
import dev.radial.common.client.SupervisorClient;
import dev.radial.spoke.Daemons;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real spoke scraped on its unix socket and on its inet server (with auth): the body obeys the text format rules
 * (strict parser), and the figures agree with the RPC's getProcessInfo and with /proc read by the test.
 */
class MetricsScrapeTest {
    static final String ODD = "odd\"na\\me"; // '"' and '\' are legal in supervisord names, and need escapes

    @TempDir
    Path dir;

    @Test
    void scrapedFiguresMatchRpcAndProc() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // 0.4 s of CPU, a line on stdout, then asleep: its CPU figure is known from below and stays put
        Files.writeString(dir.resolve("burner.py"), """
                import sys, time
                t = time.process_time()
                while time.process_time() - t < 0.4:
                    pass
                sys.stdout.write("burnt\\n")
                sys.stdout.flush()
                time.sleep(1000)
                """);
        Path conf = dir.resolve("supervisord.conf");
        Files.writeString(conf, """
                [unix_http_server]
                file=%(here)s/supervisor.sock
                [inet_http_server]
                port=127.0.0.1:PORT
                username=scraper
                password=s3cret
                [supervisord]
                logfile=%(here)s/main.log
                pidfile=%(here)s/sd.pid
                childlogdir=%(here)s
                [rpcinterface:supervisor]
                supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
                [supervisorctl]
                serverurl=unix://%(here)s/supervisor.sock
                [program:burner]
                command=/usr/bin/python3 %(here)s/burner.py
                stdout_logfile=%(here)s/burner.out
                startsecs=0
                [program:ODD]
                command=/bin/sleep 1000
                startsecs=0
                [program:quitter]
                command=/bin/sh -c "exit 3"
                autorestart=false
                startsecs=0
                [program:crasher]
                command=/bin/sh -c "exit 4"
                startsecs=1
                startretries=2
                """.replace("PORT", Integer.toString(port)).replace("ODD", ODD));
        try (Daemons.Running d = Daemons.spoke(conf);
                SupervisorClient rpc = SupervisorClient.to(ServerUrl.unix(dir.resolve("supervisor.sock"))).open()) {
            Daemons.await(Duration.ofSeconds(60), () -> {
                try {
                    return state(rpc, "crasher").equals("FATAL") && state(rpc, "quitter").equals("EXITED")
                            && Files.readString(dir.resolve("burner.out")).contains("burnt");
                } catch (Exception e) {
                    return false;
                }
            }, "crasher FATAL, quitter EXITED, burner done burning; main log:\n" + Daemons.read(dir.resolve("main.log")));

            byte[] body = unixGet(dir.resolve("supervisor.sock"), "/metrics");
            Map<String, PromParser.Family> m = PromParser.parse(body);

            Map<String, Object> burner = info(rpc, "burner");
            int pid = (Integer) burner.get("pid");
            assertEquals(20.0, value(m, "radial_process_state", "burner", "state", "RUNNING"));
            assertEquals(1.0, value(m, "radial_process_up", "burner"));
            assertEquals(0.0, value(m, "radial_process_up", "quitter"));
            assertEquals(200.0, value(m, "radial_process_state", "crasher", "state", "FATAL"));
            assertEquals(100.0, value(m, "radial_process_state", "quitter", "state", "EXITED"));
            assertEquals(20.0, value(m, "radial_process_state", ODD, "state", "RUNNING"));
            assertEquals(((Integer) info(rpc, "quitter").get("exitstatus")).doubleValue(),
                    value(m, "radial_process_last_exit_code", "quitter"));
            assertEquals(3.0, value(m, "radial_process_last_exit_code", "quitter"));
            // startretries=2: the first try and two retries, then FATAL
            assertEquals(2.0, value(m, "radial_process_restarts_total", "crasher"));
            assertEquals(0.0, value(m, "radial_process_restarts_total", "burner"));
            long rpcUptime = (Integer) burner.get("now") - (Integer) burner.get("start");
            double up = value(m, "radial_process_uptime_seconds", "burner");
            assertTrue(up >= rpcUptime - 2 && up <= rpcUptime + 30, up + " vs getProcessInfo's " + rpcUptime);
            assertEquals(0.0, value(m, "radial_process_uptime_seconds", "quitter"));

            // /proc read here, after the scrape: CPU only grows, RSS of a sleeping python stays near
            ProcStat now = ProcStat.read(Path.of("/proc"), pid).orElseThrow();
            double cpu = value(m, "radial_process_cpu_seconds_total", "burner");
            assertTrue(cpu >= 0.3 && cpu <= now.cpuSeconds(), cpu + " vs /proc " + now.cpuSeconds());
            double rss = value(m, "radial_process_resident_memory_bytes", "burner");
            assertTrue(rss > 1_000_000 && Math.abs(rss - now.residentBytes()) < 0.5 * now.residentBytes(),
                    rss + " vs /proc " + now.residentBytes());
            assertFalse(m.get("radial_process_cpu_seconds_total").samples().stream()
                    .anyMatch(s -> s.labels().get("name").equals("quitter")), "no CPU figure without a child");
            assertEquals((double) Files.size(dir.resolve("burner.out")),
                    value(m, "radial_process_log_bytes", "burner", "stream", "stdout"));

            assertEquals("counter", m.get("radial_process_restarts_total").type());
            assertEquals("counter", m.get("process_cpu_seconds_total").type());
            assertEquals(1, m.get("process_cpu_seconds_total").samples().size());
            double spokeRss = m.get("process_resident_memory_bytes").samples().get(0).value();
            assertTrue(spokeRss > 10_000_000, "the JVM's RSS: " + spokeRss);
            assertEquals(2.0, value(m, "radial_spoke_processes", null, "state", "RUNNING"));
            assertEquals(1.0, value(m, "radial_spoke_processes", null, "state", "FATAL"));
            assertTrue(m.get("radial_spoke_uptime_seconds").samples().get(0).value() >= up);

            // a burst of concurrent scrapes: all answered in full (they share renderings), none refused
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(24);
            try {
                List<java.util.concurrent.Future<Map<String, PromParser.Family>>> burst = new java.util.ArrayList<>();
                for (int i = 0; i < 24; i++) {
                    burst.add(pool.submit(() -> PromParser.parse(unixGet(dir.resolve("supervisor.sock"), "/metrics"))));
                }
                for (var f : burst) {
                    assertEquals(m.keySet(), f.get(60, java.util.concurrent.TimeUnit.SECONDS).keySet());
                }
            } finally {
                pool.shutdownNow();
            }

            // the inet server: the same auth as /RPC2
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            URI uri = URI.create("http://127.0.0.1:" + port + "/metrics");
            HttpResponse<byte[]> anon = http.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(401, anon.statusCode());
            assertFalse(new String(anon.body(), StandardCharsets.UTF_8).contains("radial_process"));
            HttpResponse<byte[]> wrong = http.send(HttpRequest.newBuilder(uri).header("Authorization", basic("scraper",
                    "nope")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(401, wrong.statusCode());
            HttpResponse<byte[]> ok = http.send(HttpRequest.newBuilder(uri).header("Authorization", basic("scraper",
                    "s3cret")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, ok.statusCode());
            assertEquals(PrometheusText.CONTENT_TYPE, ok.headers().firstValue("content-type").orElseThrow());
            Map<String, PromParser.Family> m2 = PromParser.parse(ok.body());
            assertEquals(m.keySet(), m2.keySet());
            assertEquals(1.0, value(m2, "radial_process_up", ODD));
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri).header("Authorization", basic("scraper",
                    "s3cret")).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
            // the main log has no stack trace for any of this
            assertFalse(Files.readString(dir.resolve("main.log")).contains("Exception"));
        }
    }

    private static String basic(String u, String p) {
        return "Basic " + Base64.getEncoder().encodeToString((u + ":" + p).getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> info(SupervisorClient rpc, String name) throws Exception {
        return (Map<String, Object>) rpc.call("supervisor.getProcessInfo", name);
    }

    private static String state(SupervisorClient rpc, String name) throws Exception {
        return (String) info(rpc, name).get("statename");
    }

    /** The one sample of {@code family} for process {@code name} (null: any) whose extra labels match. */
    private static double value(Map<String, PromParser.Family> m, String family, String name, String... extra) {
        PromParser.Family f = m.get(family);
        assertNotNull(f, family + " missing");
        List<PromParser.Sample> hits = f.samples().stream().filter(s -> name == null || (name.equals(s.labels()
                .get("name")) && name.equals(s.labels().get("group")))).filter(s -> {
                    for (int i = 0; i < extra.length; i += 2) {
                        if (!extra[i + 1].equals(s.labels().get(extra[i]))) {
                            return false;
                        }
                    }
                    return true;
                }).toList();
        assertEquals(1, hits.size(), family + " " + name + " " + Arrays.toString(extra) + ": " + f.samples());
        return hits.get(0).value();
    }

    /** A raw HTTP/1.0 GET on the unix socket: status 200 and the Prometheus content type, then the body. */
    static byte[] unixGet(Path sock, String path) throws Exception {
        try (SocketChannel ch = SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            ch.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(65536);
            while (ch.read(buf) >= 0) {
                all.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            byte[] raw = all.toByteArray();
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            assertTrue(end > 0, text);
            String head = text.substring(0, end);
            assertTrue(head.startsWith("HTTP/1.0 200"), head);
            assertTrue(head.toLowerCase().contains("content-type: " + PrometheusText.CONTENT_TYPE), head);
            return Arrays.copyOfRange(raw, end + 4, raw.length);
        }
    }
}
