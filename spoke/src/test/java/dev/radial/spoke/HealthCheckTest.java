package dev.radial.spoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.radial.common.client.ServerUrl;
import dev.radial.common.client.SupervisorClient;
import dev.radial.common.testing.Reference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health probes in a real spoke with real children and real probes: an HTTP server of the test whose answer
 * goes from 503 to 200, a TCP listener of the test that goes away, probe commands that succeed, fail, hang or
 * write without end. The verdicts are read through getProcessInfo (and the real supervisorctl, which must
 * ignore the extra keys), the events by a real childutils listener, the restarts by pids and the main log.
 */
class HealthCheckTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static SupervisorClient client(Path dir) {
        return SupervisorClient.to(ServerUrl.unix(dir.resolve("supervisor.sock"))).timeout(Duration.ofSeconds(30))
                .open();
    }

    private static Map<?, ?> info(SupervisorClient c, String name) {
        try {
            return (Map<?, ?>) c.call("supervisor.getProcessInfo", name);
        } catch (Exception e) {
            return Map.of("health", "error: " + e, "state", -1, "pid", -1, "statename", "?");
        }
    }

    private static void awaitHealth(SupervisorClient c, String name, String health) throws InterruptedException {
        Daemons.await(WAIT, () -> health.equals(info(c, name).get("health")), name + " to be " + health + "; now "
                + info(c, name));
    }

    /** A number of seconds nobody else sleeps: the marker of one test's probe commands in /proc. */
    private static String marker() {
        return "1000." + ThreadLocalRandom.current().nextInt(100_000, 999_999);
    }

    @Test
    void httpReadinessFailsThenRecoversAndListenersHearIt(@TempDir Path dir) throws Exception {
        Reference.require();
        AtomicInteger status = new AtomicInteger(503);
        AtomicInteger requests = new AtomicInteger();
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/ready", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(status.get(), -1);
            ex.close();
        });
        http.start();
        try {
            int port = http.getAddress().getPort();
            Path events = dir.resolve("events.txt");
            Path conf = Daemons.config(dir, """
                    [eventlistener:health]
                    command=%s -u %s %s
                    events=PROCESS_HEALTH
                    [program:web]
                    command=/bin/sleep 100000
                    startsecs=0
                    readiness_http=http://127.0.0.1:%d/ready
                    readiness_period=0.2
                    readiness_success_threshold=2
                    readiness_failure_threshold=2
                    [program:plain]
                    command=/bin/sleep 100000
                    """.formatted(Reference.PYTHON, Path.of("src/test/resources/events/health.py").toAbsolutePath(),
                    events, port));
            try (Daemons.Running d = Daemons.spoke(conf); SupervisorClient c = client(dir)) {
                awaitHealth(c, "web", "unhealthy");
                assertTrue(info(c, "web").get("health_description").toString().contains("readiness unhealthy (HTTP 503"),
                        info(c, "web").toString());
                assertFalse(info(c, "plain").containsKey("health"), "no health keys without probes");
                // the real supervisorctl reads the answer with the extra keys
                Reference.Run st = d.ctl("status", "web");
                assertEquals(0, st.exit(), st.stdout() + st.stderr());
                assertTrue(st.stdout().matches("web\\s+RUNNING\\s+pid \\d+, uptime .*\\n"), st.stdout());
                status.set(200);
                awaitHealth(c, "web", "healthy");
                assertTrue(info(c, "web").get("health_description").toString().contains("readiness healthy (HTTP 200)"));
                Daemons.await(WAIT, () -> Daemons.read(events).contains("web PROCESS_HEALTH_HEALTHY"), "the event");
                String pid = info(c, "web").get("pid").toString();
                assertTrue(Daemons.read(events).contains("web PROCESS_HEALTH_UNHEALTHY readiness unknown pid=" + pid
                        + " HTTP 503\n"), Daemons.read(events));
                assertTrue(Daemons.read(events).contains("web PROCESS_HEALTH_HEALTHY readiness unhealthy pid=" + pid
                        + " HTTP 200\n"), Daemons.read(events));
                assertTrue(Daemons.read(dir.resolve("supervisord.log")).contains("readiness probe failed for 'web' (2 times): HTTP 503"));
                // the gauge, for probed processes only
                Reference.Run m = Reference.run(List.of("curl", "-sS", "--unix-socket",
                        dir.resolve("supervisor.sock").toString(), "http://localhost/metrics"), null, dir, 30);
                assertTrue(m.stdout().contains("\nradial_process_healthy{group=\"web\",name=\"web\"} 1\n"), m.stdout());
                assertFalse(m.stdout().contains("radial_process_healthy{group=\"plain\""), m.stdout());
                // a stop ends the probing: no request after it
                assertEquals(0, d.ctl("stop", "web").exit());
                int after = requests.get();
                awaitHealthStays(c, "web", "unknown");
                assertTrue(requests.get() <= after + 1, "at most the attempt under way: " + (requests.get() - after));
            }
        } finally {
            http.stop(0);
        }
    }

    /** Waits a few probe periods and checks the verdict never changed from {@code health}. */
    private static void awaitHealthStays(SupervisorClient c, String name, String health) throws InterruptedException {
        long end = System.nanoTime() + 1_500_000_000L;
        while (System.nanoTime() < end) {
            assertEquals(health, info(c, name).get("health"), info(c, name).toString());
            Thread.sleep(100);
        }
    }

    @Test
    void aFailedLivenessProbeRestartsTheProgram(@TempDir Path dir) throws Exception {
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        int port = listener.getLocalPort();
        Thread acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    listener.accept().close();
                } catch (java.io.IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        Path conf = Daemons.config(dir, """
                [program:svc]
                command=/bin/sleep 100000
                startsecs=0
                autorestart=false
                liveness_tcp=127.0.0.1:%d
                liveness_period=0.2
                liveness_failure_threshold=2
                """.formatted(port));
        Path log = dir.resolve("supervisord.log");
        try (Daemons.Running d = Daemons.spoke(conf); SupervisorClient c = client(dir)) {
            awaitHealth(c, "svc", "healthy");
            int first = (Integer) info(c, "svc").get("pid");
            listener.close();
            Daemons.await(WAIT, () -> Daemons.read(log).contains("liveness probe failed for 'svc' (2 times): restarting"),
                    "the restart; log:\n" + Daemons.read(log));
            Daemons.await(WAIT, () -> {
                Map<?, ?> i = info(c, "svc");
                return "RUNNING".equals(i.get("statename")) && (Integer) i.get("pid") != first;
            }, "svc running again with a new pid: " + info(c, "svc"));
            assertFalse(ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false), "the old child is gone");
            String text = Daemons.read(log);
            // the same path as stop + start: stopsignal, stopped, spawned (autorestart=false does not matter)
            int failed = text.indexOf("liveness probe failed for 'svc' (2 times): restarting");
            assertTrue(text.indexOf("stopped: svc (terminated by SIGTERM)", failed) > failed, text);
            assertTrue(text.indexOf("spawned: 'svc'", failed) > failed, text);
            // the new run starts from scratch: unknown, then (the port still closed) unhealthy and restarted again
            Daemons.await(WAIT, () -> Daemons.read(log).split("restarting", -1).length > 2, "a second restart");
            Reference.Run m = Reference.run(List.of("curl", "-sS", "--unix-socket",
                    dir.resolve("supervisor.sock").toString(), "http://localhost/metrics"), null, dir, 30);
            java.util.regex.Matcher restarts = java.util.regex.Pattern.compile(
                    "\nradial_process_restarts_total\\{group=\"svc\",name=\"svc\"} (\\d+)\n").matcher(m.stdout());
            assertTrue(restarts.find() && Integer.parseInt(restarts.group(1)) >= 2, m.stdout());
            assertEquals(0, d.ctl("stop", "svc").exit());
            assertEquals("STOPPED", info(c, "svc").get("statename"));
        } finally {
            listener.close();
        }
    }

    @Test
    void commandProbesThatFailHangOrFloodAreBounded(@TempDir Path dir) throws Exception {
        String hang = marker();
        Path conf = Daemons.config(dir, """
                [program:failing]
                command=/bin/sleep 100000
                startsecs=0
                readiness_command=echo "db not ready"; echo on stderr >&2; echo "at https://svc:hunter2@db:5432/x"; exit 3
                readiness_period=0.2
                readiness_failure_threshold=1
                [program:hanging]
                command=/bin/sleep 100000
                startsecs=0
                readiness_command=exec /bin/sleep %s
                readiness_timeout=0.3
                readiness_period=0.3
                readiness_failure_threshold=1
                [program:flood]
                command=/bin/sleep 100000
                startsecs=0
                readiness_command=head -c 30000000 /dev/zero | tr '\\\\0' x; cat /dev/urandom | head -c 1000000 >&2; exit 0
                readiness_period=0.5
                readiness_timeout=30
                """.formatted(hang));
        try (Daemons.Running d = Daemons.spoke(conf); SupervisorClient c = client(dir)) {
            awaitHealth(c, "failing", "unhealthy");
            String why = info(c, "failing").get("health_description").toString();
            assertTrue(why.startsWith("readiness unhealthy (exit status 3: db not ready on stderr"), why);
            // a URL's password in a probe's output is hidden in what the API, events and the main log show
            assertTrue(why.contains("https://svc:***@db:5432/x") && !why.contains("hunter2"), why);
            assertFalse(Daemons.read(dir.resolve("supervisord.log")).contains("hunter2"), "password in the main log");
            awaitHealth(c, "hanging", "unhealthy");
            assertTrue(info(c, "hanging").get("health_description").toString().contains("timed out after 0.3 s"));
            // killed at each timeout: never more than the attempt under way (plus one being reaped)
            for (int i = 0; i < 10; i++) {
                assertTrue(Daemons.processesRunning("/bin/sleep " + hang) <= 2, "hanging probes pile up");
                Thread.sleep(100);
            }
            awaitHealth(c, "flood", "healthy");
            Map<?, ?> f = info(c, "flood");
            assertTrue(f.get("health_description").toString().length() < 400, "output is capped: " + f);
            // the spoke still answers at once, and its heap was not filled (a 64 MiB spoke)
            assertEquals("RUNNING", info(c, "failing").get("statename"));
            assertEquals(0, d.ctl("stop", "hanging").exit());
            Daemons.await(WAIT, () -> Daemons.processesRunning("/bin/sleep " + hang) == 0, "the probe killed");
            assertEquals("unknown", info(c, "hanging").get("health"));
            assertEquals("not running", info(c, "hanging").get("health_description"));
        }
    }

    @Test
    void aProcessExitingWhileItsProbeRunsLeavesNoProbeBehind(@TempDir Path dir) throws Exception {
        String hang = marker();
        Path conf = Daemons.config(dir, """
                [program:brief]
                command=/bin/sh -c 'sleep 1.5; exit 0'
                startsecs=0
                autorestart=false
                readiness_command=exec /bin/sleep %s
                readiness_timeout=60
                """.formatted(hang));
        try (Daemons.Running d = Daemons.spoke(conf); SupervisorClient c = client(dir)) {
            Daemons.await(WAIT, () -> Daemons.processesRunning("/bin/sleep " + hang) == 1, "the probe under way");
            Daemons.await(WAIT, () -> "EXITED".equals(info(c, "brief").get("statename")), "brief to exit");
            Daemons.await(WAIT, () -> Daemons.processesRunning("/bin/sleep " + hang) == 0, "the probe killed");
            assertEquals("unknown", info(c, "brief").get("health"));
            assertFalse(Daemons.read(dir.resolve("supervisord.log")).contains("reaped unknown pid"),
                    "the probe was reaped as ours");
        }
    }

    @Test
    void whatAProbeCommandLeavesInItsGroupIsKilled(@TempDir Path dir) throws Exception {
        String left = marker();
        Path conf = Daemons.config(dir, """
                [program:forker]
                command=/bin/sleep 100000
                startsecs=0
                readiness_command=/bin/sleep %s & exit 0
                readiness_period=0.3
                """.formatted(left));
        try (Daemons.Running d = Daemons.spoke(conf); SupervisorClient c = client(dir)) {
            awaitHealth(c, "forker", "healthy");
            Daemons.await(WAIT, () -> Daemons.processesRunning("/bin/sleep " + left) == 0,
                    "the probe's background child killed");
            for (int i = 0; i < 10; i++) {
                assertTrue(Daemons.processesRunning("/bin/sleep " + left) <= 1, "background children pile up");
                Thread.sleep(100);
            }
            // orphaned when the shell exited, so the spoke (their subreaper) reaps them as strangers
            assertTrue(Daemons.read(dir.resolve("supervisord.log")).contains("(terminated by SIGKILL)"));
        }
    }

    @Test
    void dependsOnHealthyWaitsForReadiness(@TempDir Path dir) throws Exception {
        Path ready = dir.resolve("db.ready");
        Path conf = Daemons.config(dir, """
                [program:db]
                command=/bin/sleep 100000
                startsecs=0
                readiness_command=test -f '%s'
                readiness_period=0.2
                [program:web]
                command=/bin/sleep 100000
                startsecs=0
                depends_on=db:healthy
                """.formatted(ready));
        try (Daemons.Running d = Daemons.spoke(conf); SupervisorClient c = client(dir)) {
            Daemons.await(WAIT, () -> info(c, "web").get("description").toString().startsWith(
                    "waiting for db to be healthy: db is RUNNING, its readiness probe failing"),
                    "web waiting; " + info(c, "web"));
            assertEquals("STOPPED", info(c, "web").get("statename"));
            Files.writeString(ready, "");
            Daemons.await(WAIT, () -> "RUNNING".equals(info(c, "web").get("statename")), "web started");
            String log = Daemons.read(dir.resolve("supervisord.log"));
            assertTrue(log.indexOf("spawned: 'web'") > log.indexOf("readiness probe of 'db' succeeded"), log);
        }
    }

    @Test
    void stopAllAndUpdateEndProbesUnderWay(@TempDir Path dir) throws Exception {
        String a = marker();
        String b = marker();
        String programs = """
                [group:pair]
                programs=a,b
                [program:a]
                command=/bin/sleep 100000
                startsecs=0
                readiness_command=exec /bin/sleep %s
                readiness_timeout=120
                [program:b]
                command=/bin/sleep 100000
                startsecs=0
                liveness_command=exec /bin/sleep %s
                liveness_timeout=120
                """;
        Path conf = Daemons.config(dir, programs.formatted(a, b));
        try (Daemons.Running d = Daemons.spoke(conf); SupervisorClient c = client(dir)) {
            Daemons.await(WAIT, () -> Daemons.processesRunning("/bin/sleep " + a) == 1
                    && Daemons.processesRunning("/bin/sleep " + b) == 1, "both probes under way");
            c.call("supervisor.stopAllProcesses", true);
            Daemons.await(WAIT, () -> Daemons.processesRunning("/bin/sleep " + a) == 0
                    && Daemons.processesRunning("/bin/sleep " + b) == 0, "both probes killed");
            c.call("supervisor.startProcessGroup", "pair", true);
            Daemons.await(WAIT, () -> Daemons.processesRunning("/bin/sleep " + a) == 1
                    && Daemons.processesRunning("/bin/sleep " + b) == 1, "both probes under way again");
            // update: b removed from the group, a unchanged and still probed
            Files.writeString(conf, Files.readString(conf).replace("programs=a,b", "programs=a")
                    .replaceAll("(?s)\\[program:b].*", ""));
            Reference.Run u = d.ctl("update");
            assertEquals(0, u.exit(), u.stdout() + u.stderr());
            Daemons.await(WAIT, () -> Daemons.processesRunning("/bin/sleep " + b) == 0, "b's probe killed");
            Daemons.await(WAIT, () -> Daemons.processesRunning("/bin/sleep " + a) == 1, "a probed again");
            String log = Daemons.read(dir.resolve("supervisord.log"));
            assertFalse(log.contains("engine error"), log);
            assertFalse(log.contains("reaped unknown pid"), log);
            List<Object> all = (List<Object>) c.call("supervisor.getAllProcessInfo");
            assertEquals(1, all.size());
        }
    }
}
