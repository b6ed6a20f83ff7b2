package dev.radial.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real hub: its own JVM ({@code HubMain}, the daemon), killed by pid, its output in a file. */
final class HubProcess implements AutoCloseable {
    final Process process;
    final Path log;
    final Path status;

    private HubProcess(Process process, Path log, Path status) {
        this.process = process;
        this.log = log;
        this.status = status;
    }

    /** Starts {@code hub} over the roots of {@code root} (config, run, data) with {@code env} added. */
    static HubProcess start(Path root, Map<String, String> env, String heap, String name) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                HubMain.class.getName(), "--config-root", root.resolve("config").toString(), "--run-root",
                root.resolve("run").toString(), "--data-root", root.resolve("data").toString(), "--skeleton",
                HubTest.SKELETON.toString(), "--poll", "1", "--http-port", "-1"));
        for (String d : List.of("config", "run", "data")) {
            Files.createDirectories(root.resolve(d));
        }
        Path log = root.resolve("hub-" + name + ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new HubProcess(pb.start(), log, root.resolve("run/hub/status.json"));
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    String statusJson() {
        try {
            return Files.exists(status) ? Files.readString(status) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** SIGKILL, as {@code kill -9}: the hub gets no chance to clean up. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                kill9();
            }
        }
    }
}
