package dev.radial.spoke;

import static org.junit.jupiter.api.Assertions.fail;

import dev.radial.common.config.DirectoryConfig;
import dev.radial.common.testing.Reference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Starts our spoke or the reference supervisord on a config, as a real separate process. */
public final class Daemons {
    private Daemons() {
    }

    /** A running daemon; close() sends TERM and waits, then kills its whole process tree. */
    public record Running(Process process, Path config) implements AutoCloseable {
        public Reference.Run ctl(String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of(Reference.SUPERVISORCTL.toString(), "-c", config.toString()));
            cmd.addAll(List.of(args));
            return Reference.run(cmd, null, null, 60);
        }

        @Override
        public void close() throws InterruptedException {
            List<ProcessHandle> tree = process.descendants().toList();
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            tree.forEach(ProcessHandle::destroyForcibly);
        }
    }

    public static Running spoke(Path config) throws IOException, InterruptedException {
        return spoke(config, List.of());
    }

    /** Our spoke with extra JVM options (e.g. a {@code -D} property) before the main class. */
    public static Running spoke(Path config, List<String> jvmOptions) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SpokeMain.class.getName(), "-c",
                config.toString()));
        return start(cmd, config);
    }

    /**
     * A spoke that inherits the given signals as ignored (as a background job of a script inherits INT, or nohup
     * HUP): started through {@code sh -c "trap '' SIGS; exec java ..."}, so the pid is the spoke's.
     */
    public static Running spokeIgnoring(Path config, String... signals) throws IOException, InterruptedException {
        StringBuilder cmd = new StringBuilder("trap '' " + String.join(" ", signals) + "; exec");
        for (String a : List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                SpokeMain.class.getName(), "-c", config.toString())) {
            cmd.append(" '").append(a.replace("'", "'\\''")).append('\'');
        }
        return start(List.of("/bin/sh", "-c", cmd.toString()), config);
    }

    /**
     * A spoke in Radial mode (no -c): SPOKE_NAME, HOSTNAME and the RADIAL_*_ROOT variables come from {@code env};
     * ready when its socket under the run root answers.
     */
    public static Running radialSpoke(java.util.Map<String, String> env, Path runRoot)
            throws IOException, InterruptedException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), SpokeMain.class.getName());
        Path runDir = runRoot.resolve("supervisor").resolve(env.get("HOSTNAME"));
        Files.createDirectories(runDir);
        Path log = runRoot.resolve("spoke-" + env.get("HOSTNAME") + ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(runRoot.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        Path conf = runDir.resolve("supervisord.conf");
        Running r = new Running(p, conf);
        await(Duration.ofSeconds(30), () -> {
            try {
                return Files.exists(runDir.resolve("supervisor.sock")) && r.ctl("pid").exit() == 0;
            } catch (Exception e) {
                return false;
            }
        }, "radial spoke " + env.get("SPOKE_NAME") + " to answer; output:\n" + read(log));
        return r;
    }

    public static Running supervisord(Path config) throws IOException, InterruptedException {
        return supervisord(config, java.util.Map.of());
    }

    /** The real supervisord with extra environment (a Radial config needs RADIAL_*_ROOT for its ENV_ names). */
    public static Running supervisord(Path config, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        Reference.require();
        return start(List.of(Reference.SUPERVISORD.toString(), "-n", "-c", config.toString()), config, env);
    }

    private static Running start(List<String> cmd, Path config) throws IOException, InterruptedException {
        return start(cmd, config, java.util.Map.of());
    }

    private static Running start(List<String> cmd, Path config, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        Path log = config.resolveSibling("daemon-" + System.nanoTime() + ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(config.getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        Running r = new Running(p, config);
        Path sock = config.resolveSibling("supervisor.sock");
        await(Duration.ofSeconds(30), () -> {
            try {
                return Files.exists(sock) && r.ctl("pid").exit() == 0;
            } catch (Exception e) {
                return false;
            }
        }, "daemon " + cmd.get(0) + " to answer on " + sock + "; output:\n" + read(log));
        return r;
    }

    /** How many processes run exactly this command line (arguments joined by spaces), from /proc. */
    public static long processesRunning(String cmdline) {
        return pidsRunning(cmdline).size();
    }

    /** Pids of the processes whose whole command line is exactly {@code cmdline} (arguments joined by spaces). */
    public static List<Long> pidsRunning(String cmdline) {
        try (var procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).filter(p -> {
                try {
                    return Files.readString(p.resolve("cmdline")).replace('\0', ' ').equals(cmdline + " ");
                } catch (IOException | RuntimeException e) {
                    return false; // it ended meanwhile
                }
            }).map(p -> Long.parseLong(p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Test clean-up: SIGKILL, by pid, the processes whose whole command line is {@code cmdline}. Callers put a
     * per-run unique marker in that command line, so no other run's process can match.
     */
    public static void killRunning(String cmdline) {
        pidsRunning(cmdline).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    public static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    /** Polls a condition until it holds or the deadline passes. */
    public static void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        fail("timed out after " + timeout.toSeconds() + " s waiting for " + what);
    }

    public static Path config(Path dir, String programs) throws IOException {
        Files.createDirectories(dir);
        String text = DirectoryConfig.text(programs);
        Path conf = dir.resolve("supervisord.conf");
        Files.writeString(conf, text);
        return conf;
    }

    private static final java.util.regex.Pattern PID_UPTIME =
            java.util.regex.Pattern.compile("pid \\d+, uptime \\d+:\\d\\d:\\d\\d");
    private static final java.util.regex.Pattern STOPPED_AT =
            java.util.regex.Pattern.compile("[A-Z][a-z]{2} \\d\\d \\d\\d:\\d\\d [AP]M");
    private static final java.util.regex.Pattern BARE_NUMBER =
            java.util.regex.Pattern.compile("^\\d+$", java.util.regex.Pattern.MULTILINE);

    /**
     * supervisorctl's (or ctl's) output with what differs from run to run replaced: the time a process stopped
     * ("DATE"), pids and uptimes ("pid N, uptime T") and lines that are one number (a pid: "N").
     */
    public static String withoutPidsAndTimes(String output) {
        return BARE_NUMBER.matcher(PID_UPTIME.matcher(STOPPED_AT.matcher(output).replaceAll("DATE"))
                .replaceAll("pid N, uptime T")).replaceAll("N");
    }
}
