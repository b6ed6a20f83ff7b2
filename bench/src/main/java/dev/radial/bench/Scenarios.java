package dev.radial.bench;

import dev.radial.common.client.ServerUrl;
import dev.radial.common.client.SupervisorClient;
import dev.radial.common.radial.RadialRoots;
import dev.radial.hub.Hub;
import dev.radial.hub.Settings;
import dev.radial.hub.publish.Permissions;
import dev.radial.hub.source.Sources;
import dev.radial.hub.web.HubHttp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The eight scenarios of the benchmark issue; each alternates supervisord and ours, round after round. */
final class Scenarios {
    private final Path top;
    private final Path work;
    private final Sizes sizes;
    private final PrintStream progress;
    private int runs;

    Scenarios(Path top, Path work, Sizes sizes, PrintStream progress) {
        this.top = top;
        this.work = work;
        this.sizes = sizes;
        this.progress = progress;
    }

    private Path dir(String name) {
        return work.resolve(name + "-" + (runs++));
    }

    private Daemon start(Daemon.Kind kind, String name, String programs) throws Exception {
        return Daemon.start(kind, top, dir(name + "-" + kind.label), programs);
    }

    private static String sleepers(int n, String seconds) {
        return "[program:sleeper]\ncommand=/bin/sleep " + seconds + "\nprocess_name=%(program_name)s_%(process_num)03d\n"
                + "numprocs=" + n + "\nstartsecs=0\n";
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /**
     * 1 and 2: N sleepers (autostart=false) started by one startAllProcesses(wait=False) until all are RUNNING as
     * seen through the socket, then stopped by stopAllProcesses(wait=True). Also, for information, the time from
     * daemon start to all RUNNING when they autostart (that includes the JVM's or Python's own start-up).
     */
    List<Row> spawnAndStop() throws Exception {
        Map<Daemon.Kind, List<Double>> spawn = new HashMap<>();
        Map<Daemon.Kind, List<Double>> stop = new HashMap<>();
        Map<Daemon.Kind, List<Double>> cold = new HashMap<>();
        String manual = sleepers(sizes.spawn(), "1000") + "autostart=false\n";
        for (int r = 0; r < sizes.rounds(); r++) {
            for (Daemon.Kind k : Daemon.Kind.values()) {
                try (Daemon d = start(k, "spawn", manual)) {
                    long t0 = System.nanoTime();
                    d.client.call("supervisor.startAllProcesses", false);
                    long seen = d.awaitRunning(sizes.spawn(), Duration.ofMinutes(5));
                    spawn.computeIfAbsent(k, x -> new ArrayList<>()).add(ms(seen - t0));
                    long t1 = System.nanoTime();
                    d.client.call("supervisor.stopAllProcesses", true);
                    stop.computeIfAbsent(k, x -> new ArrayList<>()).add(ms(System.nanoTime() - t1));
                }
                try (Daemon d = start(k, "coldspawn", sleepers(sizes.spawn(), "1000"))) {
                    long seen = d.awaitRunning(sizes.spawn(), Duration.ofMinutes(5));
                    cold.computeIfAbsent(k, x -> new ArrayList<>()).add(ms(seen - d.startedNanos));
                }
                progress.print(".");
            }
        }
        Double limit = spawnLimit(sizes.spawn());
        double ours = Stats.median(spawn.get(Daemon.Kind.SPOKE));
        double sd = Stats.median(spawn.get(Daemon.Kind.SUPERVISORD));
        return List.of(
                new Row("1. spawn " + sizes.spawn() + " processes: startAllProcesses to all RUNNING", "ms", sd, ours,
                        limit, "within 1.5x of the limit", limit == null ? null : ours <= 1.5 * limit,
                        "one RPC, then polling getAllProcessInfo every 5 ms; limit: the same posix_spawn()s from C"),
                new Row("1. spawn " + sizes.spawn() + " autostart processes: daemon start to all RUNNING", "ms",
                        Stats.median(cold.get(Daemon.Kind.SUPERVISORD)), Stats.median(cold.get(Daemon.Kind.SPOKE)),
                        null, "", null, "includes each daemon's own start-up (JVM / Python)"),
                new Row("2. stop all " + sizes.spawn() + " processes", "ms", Stats.median(stop.get(Daemon.Kind.SUPERVISORD)),
                        Stats.median(stop.get(Daemon.Kind.SPOKE)), null, "", null, "stopAllProcesses(wait=True)"));
    }

    /** The raw limit: the same number of posix_spawn()s of /bin/sleep from a C program, or null without gcc. */
    private Double spawnLimit(int n) throws Exception {
        Path src = work.resolve("spawn.c");
        Path bin = work.resolve("spawn");
        Files.writeString(src, """
                #include <spawn.h>
                #include <stdio.h>
                #include <stdlib.h>
                #include <signal.h>
                #include <sys/wait.h>
                #include <time.h>
                extern char **environ;
                int main(int argc, char **argv) {
                  int n = atoi(argv[1]);
                  pid_t *pids = malloc(sizeof(pid_t) * n);
                  char *args[] = {"/bin/sleep", "1000", NULL};
                  struct timespec a, b;
                  clock_gettime(CLOCK_MONOTONIC, &a);
                  for (int i = 0; i < n; i++) {
                    if (posix_spawn(&pids[i], "/bin/sleep", NULL, NULL, args, environ) != 0) return 1;
                  }
                  clock_gettime(CLOCK_MONOTONIC, &b);
                  printf("%.3f\\n", (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6);
                  for (int i = 0; i < n; i++) { kill(pids[i], SIGKILL); waitpid(pids[i], NULL, 0); }
                  return 0;
                }
                """);
        if (run(List.of("gcc", "-O2", "-o", bin.toString(), src.toString())) == null) {
            return null;
        }
        List<Double> xs = new ArrayList<>();
        for (int r = 0; r < sizes.rounds(); r++) {
            String out = run(List.of(bin.toString(), Integer.toString(n)));
            if (out == null) {
                return null;
            }
            xs.add(Double.parseDouble(out.strip()));
        }
        return Stats.median(xs);
    }

    private static String run(List<String> cmd) throws Exception {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? out : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** 3: one child writes N bytes to stdout, captured to its log file; the limit is the same into `cat > file`. */
    Row logCapture() throws Exception {
        long bytes = sizes.logBytes();
        String producer = "head -c " + bytes + " /dev/zero";
        Map<Daemon.Kind, List<Double>> rate = new HashMap<>();
        List<Double> limit = new ArrayList<>();
        for (int r = 0; r < sizes.rounds(); r++) {
            for (Daemon.Kind k : Daemon.Kind.values()) {
                Path log = work.resolve("capture-" + k.label + "-" + r + ".log");
                try (Daemon d = start(k, "log", "[program:producer]\ncommand=/bin/sh -c '" + producer + "; exec sleep 1000'"
                        + "\nautostart=false\nstartsecs=0\nstdout_logfile=" + log + "\nstdout_logfile_maxbytes=0\n")) {
                    long t0 = System.nanoTime();
                    d.client.call("supervisor.startProcess", "producer", false);
                    while (!Files.exists(log) || Files.size(log) < bytes) {
                        Thread.sleep(2);
                    }
                    rate.computeIfAbsent(k, x -> new ArrayList<>()).add(bytes / 1048576.0 / ((System.nanoTime() - t0) / 1e9));
                }
                Files.deleteIfExists(log);
                progress.print(".");
            }
            Path out = work.resolve("capture-limit.log");
            long t0 = System.nanoTime();
            run(List.of("/bin/sh", "-c", producer + " | cat > " + out));
            limit.add(bytes / 1048576.0 / ((System.nanoTime() - t0) / 1e9));
            Files.deleteIfExists(out);
        }
        double ours = Stats.median(rate.get(Daemon.Kind.SPOKE));
        double lim = Stats.median(limit);
        return new Row("3. log capture of " + (bytes >> 20) + " MiB from one child", "MiB/s (higher is better)",
                Stats.median(rate.get(Daemon.Kind.SUPERVISORD)), ours, lim, ">= 90% of the limit", ours >= 0.9 * lim,
                "time from startProcess to the whole file written");
    }

    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    /**
     * 4: time from a child's exit to its next spawn, from the main log's "exited:" and "spawned:" lines, for a
     * program that crashes after a while (each 0.2 s run is longer than its restart_delay_reset, which
     * supervisord ignores); and the spawns of a crash loop (/bin/true, default keys) over loopSeconds.
     */
    List<Row> respawn() throws Exception {
        Map<Daemon.Kind, List<Double>> gaps = new HashMap<>();
        for (Daemon.Kind k : Daemon.Kind.values()) {
            int want = k == Daemon.Kind.SPOKE ? sizes.respawnsOurs() : sizes.respawnsSupervisord();
            try (Daemon d = start(k, "respawn", "[program:flap]\ncommand=/bin/sleep 0.2\nstartsecs=0\n"
                    + "autorestart=true\nrestart_delay_reset=0.1\nstdout_logfile=NONE\nstderr_logfile=NONE\n")) {
                Path log = d.dir.resolve("supervisord.log");
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
                List<Double> g = List.of();
                while (System.nanoTime() < deadline) {
                    g = gaps(Files.readAllLines(log));
                    if (g.size() >= want) {
                        break;
                    }
                    Thread.sleep(50);
                }
                gaps.put(k, g.subList(0, Math.min(want, g.size())));
            }
            progress.print(".");
        }
        List<Double> ours = gaps.get(Daemon.Kind.SPOKE);
        List<Double> sd = gaps.get(Daemon.Kind.SUPERVISORD);
        return List.of(
                new Row("4. respawn latency p50 (" + ours.size() + " ours / " + sd.size() + " supervisord restarts)",
                        "ms", Stats.median(sd), Stats.median(ours), null, "p50 < 10 ms", Stats.median(ours) < 10,
                        "exit to next spawn, from the main log (1 ms resolution)"),
                new Row("4. respawn latency p99", "ms", Stats.percentile(sd, 99), Stats.percentile(ours, 99), null, "",
                        null, ""),
                crashLoop());
    }

    /** 4: spawns of /bin/true (startsecs=0, autorestart=true) in loopSeconds after its first spawn. */
    private Row crashLoop() throws Exception {
        Map<Daemon.Kind, Double> counts = new HashMap<>();
        for (Daemon.Kind k : Daemon.Kind.values()) {
            try (Daemon d = start(k, "crashloop", "[program:flap]\ncommand=/bin/true\nstartsecs=0\nautorestart=true\n"
                    + "stdout_logfile=NONE\nstderr_logfile=NONE\n")) {
                Path log = d.dir.resolve("supervisord.log");
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                List<LocalDateTime> spawns = List.of();
                while (System.nanoTime() < deadline) {
                    spawns = spawnTimes(Files.readAllLines(log));
                    if (!spawns.isEmpty() && Duration.between(spawns.get(0), spawns.get(spawns.size() - 1))
                            .toSeconds() >= sizes.loopSeconds() + 1) {
                        break;
                    }
                    Thread.sleep(200);
                }
                LocalDateTime end = spawns.get(0).plusSeconds(sizes.loopSeconds());
                counts.put(k, (double) spawns.stream().filter(t -> t.isBefore(end)).count());
            }
            progress.print(".");
        }
        double ours = counts.get(Daemon.Kind.SPOKE);
        return new Row("4. crash loop: spawns in " + sizes.loopSeconds() + " s", "spawns",
                counts.get(Daemon.Kind.SUPERVISORD), ours, null, "<= 2 per second", ours <= 2 * sizes.loopSeconds(),
                "/bin/true, startsecs=0, autorestart=true, default restart_delay keys; without the brake ~1,000/s");
    }

    private static List<LocalDateTime> spawnTimes(List<String> lines) {
        List<LocalDateTime> out = new ArrayList<>();
        for (String l : lines) {
            if (l.length() >= 23 && l.contains(" spawned: 'flap'")) {
                out.add(LocalDateTime.parse(l.substring(0, 23), LOG_TIME));
            }
        }
        return out;
    }

    private static List<Double> gaps(List<String> lines) {
        List<Double> out = new ArrayList<>();
        LocalDateTime exited = null;
        for (String l : lines) {
            if (l.length() < 23) {
                continue;
            }
            if (l.contains(" exited: flap ")) {
                exited = LocalDateTime.parse(l.substring(0, 23), LOG_TIME);
            } else if (l.contains(" spawned: 'flap'") && exited != null) {
                LocalDateTime spawned = LocalDateTime.parse(l.substring(0, 23), LOG_TIME);
                out.add(Duration.between(exited, spawned).toNanos() / 1e6);
                exited = null;
            }
        }
        return out;
    }

    /** 7: CPU time and context switches over a quiet period with idle programs (memory is {@link Footprint}). */
    List<Row> idle() throws Exception {
        Map<Daemon.Kind, List<Double>> cpu = new HashMap<>();
        Map<Daemon.Kind, List<Double>> csw = new HashMap<>();
        long hz = 100; // USER_HZ on Linux
        for (int r = 0; r < sizes.rounds(); r++) {
            for (Daemon.Kind k : Daemon.Kind.values()) {
                try (Daemon d = start(k, "idle", sleepers(sizes.idlePrograms(), "100000"))) {
                    d.awaitRunning(sizes.idlePrograms(), Duration.ofMinutes(2));
                    Thread.sleep(sizes.settleMillis()); // past start-up work (the JIT compiler, first log writes)
                    long c0 = d.cpuTicks();
                    long s0 = d.contextSwitches();
                    Thread.sleep(sizes.idleSeconds() * 1000L);
                    cpu.computeIfAbsent(k, x -> new ArrayList<>()).add((d.cpuTicks() - c0) * 1000.0 / hz);
                    csw.computeIfAbsent(k, x -> new ArrayList<>()).add((double) (d.contextSwitches() - s0));
                }
                progress.print(".");
            }
        }
        double ourCpu = Stats.median(cpu.get(Daemon.Kind.SPOKE));
        double sdCpu = Stats.median(cpu.get(Daemon.Kind.SUPERVISORD));
        double ourCsw = Stats.median(csw.get(Daemon.Kind.SPOKE));
        double sdCsw = Stats.median(csw.get(Daemon.Kind.SUPERVISORD));
        return List.of(
                new Row("7. idle CPU over " + sizes.idleSeconds() + " s, " + sizes.idlePrograms() + " programs", "ms CPU",
                        sdCpu, ourCpu, null, "<= supervisord", ourCpu <= sdCpu, "user+system, all threads"),
                new Row("7. idle context switches over " + sizes.idleSeconds() + " s", "switches", sdCsw, ourCsw, null,
                        "<= supervisord", ourCsw <= sdCsw, "voluntary+involuntary, all threads"));
    }

    /** 6: wall time of a `status` command, each client against each server. */
    List<Row> controlRoundTrip() throws Exception {
        Map<String, List<Double>> t = new HashMap<>();
        for (int r = 0; r < sizes.rounds(); r++) {
            for (Daemon.Kind k : Daemon.Kind.values()) {
                try (Daemon d = start(k, "status", sleepers(sizes.spawn(), "1000"))) {
                    d.awaitRunning(sizes.spawn(), Duration.ofMinutes(5));
                    for (int i = 0; i < sizes.statusRuns(); i++) {
                        time(t, "supervisorctl->" + k.label, List.of("/usr/bin/supervisorctl", "-c", d.config.toString(),
                                "status"));
                        time(t, "ctl->" + k.label, List.of(top.resolve("bin/ctl").toString(), "-c", d.config.toString(),
                                "status"));
                    }
                }
                progress.print(".");
            }
        }
        double sctl = Stats.median(t.get("supervisorctl->supervisord"));
        double ours = Stats.median(t.get("ctl->ours"));
        return List.of(
                new Row("6. status round trip, " + sizes.spawn() + " processes (each client to its own daemon)", "ms",
                        sctl, ours, null, "<= half of supervisorctl's", ours <= sctl / 2,
                        "supervisorctl->supervisord vs ctl->spoke, whole command"),
                new Row("6. status: ctl against supervisord / supervisorctl against the spoke", "ms",
                        Stats.median(t.get("supervisorctl->ours")), Stats.median(t.get("ctl->supervisord")), null, "",
                        null, "supervisord column: supervisorctl->spoke; ours column: ctl->supervisord"));
    }

    private static void time(Map<String, List<Double>> t, String key, List<String> cmd) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        int code = p.waitFor();
        if (code != 0) {
            throw new IllegalStateException(key + ": " + cmd + " exited " + code);
        }
        t.computeIfAbsent(key, x -> new ArrayList<>()).add(ms(System.nanoTime() - t0));
    }

    /** 8: git commit of a new program to it RUNNING in a live spoke, by webhook and by a 2 s poll. */
    List<Row> pushLatency() throws Exception {
        Map<String, List<Double>> t = new HashMap<>();
        for (String mode : List.of("webhook", "poll")) {
            Path root = dir("push-" + mode);
            RadialRoots roots = new RadialRoots(root.resolve("config"), root.resolve("log"), root.resolve("run"),
                    root.resolve("data"), "bench");
            for (Path p : List.of(roots.config(), roots.log(), roots.run(), roots.data())) {
                Files.createDirectories(p);
            }
            Path repo = root.resolve("wheel");
            Files.createDirectories(repo.resolve("supervisor/conf.d"));
            git(repo, "init", "-q", "-b", "config");
            String ini = "[group:web]\nprograms=app\n[program:app]\ncommand=/bin/sleep 1000\nautostart=false\nstartsecs=0\n";
            Files.writeString(repo.resolve("supervisor/conf.d/web.ini"), ini);
            git(repo, "add", "-A");
            git(repo, "commit", "-q", "-m", "web");
            String secret = "bench";
            Settings s = new Settings(roots.config(), roots.run(), roots.data(),
                    Sources.fromEnvironment(Map.of("WHEEL_REPO", repo.toString()), top.resolve("config-skeleton")),
                    mode.equals("poll") ? 2 : 3600, 30, 0, secret, Permissions.fromEnvironment(Map.of()),
                    roots.withRootVariables(new HashMap<>(System.getenv())));
            Hub hub = new Hub(s, new PrintStream(new ByteArrayOutputStream()), false);
            HubHttp http = new HubHttp(hub, 0, secret);
            Thread ht = new Thread(() -> {
                try {
                    hub.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ht.start();
            Process spoke = null;
            try {
                while (!hub.state().ready()) {
                    Thread.sleep(10);
                }
                Map<String, String> env = new HashMap<>(roots.withRootVariables(System.getenv()));
                env.put("SPOKE_NAME", "web");
                env.put("HOSTNAME", "bench");
                ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                        "--enable-native-access=ALL-UNNAMED", "-cp", top.resolve("spoke/target/radial-spoke-0.1.0-SNAPSHOT.jar") + ":" + top.resolve("spoke/target/lib/*"),
                        "dev.radial.spoke.SpokeMain").redirectErrorStream(true)
                        .redirectOutput(root.resolve("spoke.out").toFile());
                pb.environment().putAll(env);
                spoke = pb.start();
                Path sock = roots.run().resolve("supervisor/bench/supervisor.sock");
                try (SupervisorClient c = SupervisorClient.to(ServerUrl.unix(sock)).timeout(Duration.ofSeconds(30))
                        .open()) {
                    awaitRunning(c, "web:app");
                    for (int i = 0; i < sizes.pushes(); i++) {
                        ini = ini.replace("programs=app", "programs=app,p" + i) + "[program:p" + i
                                + "]\ncommand=/bin/sleep 1000\nautostart=false\nstartsecs=0\n";
                        Files.writeString(repo.resolve("supervisor/conf.d/web.ini"), ini);
                        git(repo, "add", "-A");
                        long t0 = System.nanoTime();
                        git(repo, "commit", "-q", "-m", "p" + i);
                        if (mode.equals("webhook")) {
                            webhook(http.port(), secret);
                        }
                        awaitRunning(c, "web:p" + i);
                        t.computeIfAbsent(mode, x -> new ArrayList<>()).add(ms(System.nanoTime() - t0));
                    }
                }
            } finally {
                hub.stop();
                ht.join(10_000);
                http.close();
                if (spoke != null) {
                    List<ProcessHandle> tree = spoke.descendants().toList();
                    spoke.destroy();
                    spoke.waitFor(60, TimeUnit.SECONDS);
                    tree.forEach(ProcessHandle::destroyForcibly);
                }
            }
            progress.print(".");
        }
        return List.of(
                new Row("8. git commit to new program RUNNING, by webhook", "ms", null, Stats.median(t.get("webhook")),
                        null, "", null, "supervisord has no equivalent (restart the container)"),
                new Row("8. git commit to new program RUNNING, 2 s polling", "ms", null, Stats.median(t.get("poll")),
                        null, "", null, "on average half a poll period plus the publish"));
    }

    /** Polls until the process is RUNNING (it may not exist yet, nor the socket), at most 2 minutes. */
    private static void awaitRunning(SupervisorClient c, String name) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> info = (Map<String, Object>) c.call("supervisor.getProcessInfo", name);
                if ("RUNNING".equals(info.get("statename"))) {
                    return;
                }
            } catch (Exception e) {
                // not there yet (BAD_NAME) or the socket is not up yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException(name + " did not reach RUNNING within 2 minutes");
    }

    private static void webhook(int port, String secret) throws Exception {
        // every delivery differs (as GitHub's do): the hub refuses a replayed body
        byte[] body = ("{\"push\":" + System.nanoTime() + "}").getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhook"))
                .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(mac.doFinal(body)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("webhook answered " + r.statusCode());
        }
    }

    private static void git(Path repo, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=bench", "-c", "user.email=b@b", "-c",
                "commit.gpgsign=false"));
        cmd.addAll(List.of(args));
        if (run(cmdIn(repo, cmd)) == null) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed in " + repo);
        }
    }

    private static List<String> cmdIn(Path dir, List<String> cmd) {
        List<String> c = new ArrayList<>(List.of("git", "-C", dir.toString()));
        c.addAll(cmd.subList(1, cmd.size()));
        return c;
    }
}
