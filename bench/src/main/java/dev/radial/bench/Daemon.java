package dev.radial.bench;

import dev.radial.common.client.ServerUrl;
import dev.radial.common.client.SupervisorClient;
import dev.radial.common.config.DirectoryConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** One supervisor under measurement (the real supervisord or our spoke) running on a config of its own. */
final class Daemon implements AutoCloseable {
    /** Which implementation. */
    enum Kind {
        SUPERVISORD("supervisord"), SPOKE("ours");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** The JVM flags bin/spoke (bin/_launch) runs the spoke with, but its ahead-of-time cache ({@link #spokeCache}). */
    static final List<String> SPOKE_JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx128m", "-Xss512k",
            "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-XX:+UnlockDiagnosticVMOptions",
            "-XX:AsyncDeflationInterval=10000", "-XX:GuaranteedSafepointInterval=0", "-XX:ServiceThreadCleanupInterval=10000",
            "-XX:ArchiveRelocationMode=0",
            "--enable-native-access=ALL-UNNAMED");

    final Kind kind;
    final Path dir;
    final Path config;
    final Process process;
    final SupervisorClient client;
    final long startedNanos;

    private Daemon(Kind kind, Path dir, Path config, Process process, long startedNanos) {
        this.kind = kind;
        this.dir = dir;
        this.config = config;
        this.process = process;
        this.startedNanos = startedNanos;
        this.client = SupervisorClient.to(ServerUrl.unix(dir.resolve("supervisor.sock"))).timeout(Duration.ofMinutes(5))
                .open();
    }

    /** Writes a config with {@code programs} and starts the daemon; returns once its socket answers. */
    static Daemon start(Kind kind, Path top, Path dir, String programs) throws Exception {
        Files.createDirectories(dir);
        Path conf = dir.resolve("supervisord.conf");
        Files.writeString(conf, DirectoryConfig.text(programs));
        List<String> cmd = new ArrayList<>();
        if (kind == Kind.SUPERVISORD) {
            cmd.addAll(List.of("/usr/bin/supervisord", "-n", "-c", conf.toString()));
        } else {
            // exactly what bin/spoke runs
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(SPOKE_JVM_FLAGS);
            cmd.addAll(spokeCache(top));
            cmd.addAll(List.of("-cp", top.resolve("spoke/target/radial-spoke-0.1.0-SNAPSHOT.jar") + ":" + top.resolve("spoke/target/lib/*"),
                    "dev.radial.spoke.SpokeMain", "-c", conf.toString()));
        }
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("daemon.out").toFile()).start();
        Daemon d = new Daemon(kind, dir, conf, p, t0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                d.client.call("supervisor.getVersion");
                return d;
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    d.close();
                    throw new IllegalStateException(kind.label + " did not start: " + Files.readString(dir.resolve(
                            "daemon.out")));
                }
                Thread.sleep(5);
            }
        }
    }

    /**
     * bin/_launch's flags for the spoke's ahead-of-time cache, which bin/bench has it make (or remake) before the
     * run; none when there is no cache, as bin/_launch then runs without one.
     */
    static List<String> spokeCache(Path top) {
        Path cache = top.resolve("spoke/target/spoke.aot");
        return Files.isRegularFile(cache) ? List.of("-XX:AOTCache=" + cache, "-Xlog:aot=off", "-Xlog:cds=off") : List.of();
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> infos() throws Exception {
        return (List<Map<String, Object>>) client.call("supervisor.getAllProcessInfo");
    }

    long running() throws Exception {
        return infos().stream().filter(i -> "RUNNING".equals(i.get("statename"))).count();
    }

    /** Polls until {@code n} processes are RUNNING; returns the nanoTime when seen. */
    long awaitRunning(long n, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (running() >= n) {
                return System.nanoTime();
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException(kind.label + ": " + running() + " of " + n + " running after " + timeout);
    }

    long pid() {
        return process.pid();
    }

    /** The daemon process's memory (not its children's). */
    Memory memory() throws IOException {
        return Memory.of(pid());
    }

    /** CPU time (user + system) in clock ticks, all threads. */
    long cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Voluntary plus involuntary context switches over all threads. */
    long contextSwitches() throws IOException {
        long total = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
            for (Path t : tasks.toList()) {
                try {
                    for (String line : Files.readAllLines(t.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                            total += Long.parseLong(line.replaceAll("[^0-9]", ""));
                        }
                    }
                } catch (IOException e) {
                    // a thread that ended meanwhile
                }
            }
        }
        return total;
    }

    @Override
    public void close() throws InterruptedException {
        client.close();
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        tree.forEach(ProcessHandle::destroyForcibly);
    }
}
