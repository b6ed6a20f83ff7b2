package dev.radial.spoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.client.ServerUrl;
import dev.radial.common.client.SupervisorClient;
import dev.radial.common.testing.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With no locale at all ({@code env -i PATH=...}, a plain container), UTF-8 program names, paths and output
 * work, and a child sees exactly the environment supervisord's child sees in the same conditions: started
 * through the launchers' environment code (compose/images/radial-env.sh, as bin/_launch runs it) and started
 * as a bare {@code java} (the spoke coerces the locale itself).
 */
class ChildEnvironmentTest {
    private static final String PATH = "/usr/bin:/bin";
    private static final Path TOP = Path.of("..").toAbsolutePath().normalize();
    private static Path config(Path dir, String sleep) throws Exception {
        return Daemons.config(dir, """
                [program:test_öäü]
                command=/usr/bin/env -0
                startsecs=0
                autorestart=false
                stdout_logfile=%(here)s/env-öäü.bin
                [program:schläfer]
                command=""" + sleep + """

                startsecs=0
                """);
    }

    /** Starts a daemon with nothing in its environment but PATH. */
    private static Process start(Path dir, List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("daemon.out").toFile());
        pb.environment().clear();
        pb.environment().put("PATH", PATH);
        return pb.start();
    }

    private static Process spokeThroughLauncherEnv(Path conf) throws Exception {
        // bin/_launch's sequence: _jdk, then radial_env, then exec java by its path
        String script = ". \"$1/bin/_jdk\"; . \"$1/compose/images/radial-env.sh\"; java=\"$JAVA_HOME/bin/java\"; "
                + "radial_env; exec \"$radial_env_cmd\" $radial_env_args \"$java\" -Xmx64m -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -cp \"$2\" "
                + SpokeMain.class.getName() + " -c \"$3\"";
        return start(conf.getParent(), List.of("/bin/bash", "-c", script, "launch", TOP.toString(),
                System.getProperty("java.class.path"), conf.toString()));
    }

    private static Process bareJavaSpoke(Path conf) throws Exception {
        return start(conf.getParent(), List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), SpokeMain.class.getName(),
                "-c", conf.toString()));
    }

    private static Process supervisord(Path conf) throws Exception {
        Reference.require();
        return start(conf.getParent(), List.of(Reference.SUPERVISORD.toString(), "-n", "-c", conf.toString()));
    }

    /** The child's environment, with the daemon's directory written as {@code <here>}. */
    private static Map<String, String> childEnvironment(Path dir) throws Exception {
        Path file = dir.resolve("env-öäü.bin");
        Daemons.await(Duration.ofSeconds(60), () -> Files.exists(file) && Daemons.read(file).endsWith("\0")
                && Daemons.read(dir.resolve("supervisord.log")).contains("exited: test_öäü"),
                "test_öäü to write its environment; daemon output:\n" + Daemons.read(dir.resolve("daemon.out")));
        Map<String, String> env = new TreeMap<>();
        for (String kv : Files.readString(file, StandardCharsets.UTF_8).split("\0")) {
            env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1).replace(dir.toString(), "<here>"));
        }
        return env;
    }

    @SuppressWarnings("unchecked")
    private static void checkRunningAndStops(Process daemon, Path dir, String sleep) throws Exception {
        try (SupervisorClient c = SupervisorClient.to(ServerUrl.unix(dir.resolve("supervisor.sock"))).open()) {
            Daemons.await(Duration.ofSeconds(30), () -> {
                try {
                    List<Object> all = (List<Object>) c.call("supervisor.getAllProcessInfo");
                    return all.stream().map(o -> (Map<String, Object>) o).anyMatch(m -> "schläfer".equals(m.get("name"))
                            && "RUNNING".equals(m.get("statename")));
                } catch (Exception e) {
                    return false;
                }
            }, "getAllProcessInfo to show schläfer RUNNING");
            List<Object> all = (List<Object>) c.call("supervisor.getAllProcessInfo");
            assertTrue(all.stream().map(o -> (Map<String, Object>) o).anyMatch(m -> "test_öäü".equals(m.get("name"))
                    && "EXITED".equals(m.get("statename"))
                    && ((String) m.get("stdout_logfile")).endsWith("env-öäü.bin")), all.toString());
        }
        daemon.destroy(); // SIGTERM
        assertTrue(daemon.waitFor(30, TimeUnit.SECONDS), "SIGTERM shut the daemon down");
        assertEquals(0, daemon.exitValue(), Daemons.read(dir.resolve("daemon.out")));
        assertEquals(0, Daemons.processesRunning(sleep), "no child left");
    }

    private static void stop(Process p) throws InterruptedException {
        List<ProcessHandle> tree = p.descendants().toList();
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void noLocaleAUtf8ProgramRunsAndItsChildSeesWhatSupervisordsSees(@TempDir Path tmp) throws Exception {
        Path refDir = Files.createDirectories(tmp.resolve("réf"));
        Path launchedDir = Files.createDirectories(tmp.resolve("ours-launcher"));
        Path bareDir = Files.createDirectories(tmp.resolve("ours-java"));
        Process ref = supervisord(config(refDir, "/bin/sleep 1077"));
        Process launched = spokeThroughLauncherEnv(config(launchedDir, "/bin/sleep 1078"));
        Process bare = bareJavaSpoke(config(bareDir, "/bin/sleep 1079"));
        try {
            Map<String, String> expected = childEnvironment(refDir);
            assertEquals("C.UTF-8", expected.get("LC_CTYPE"), "supervisord's child: " + expected);
            assertFalse(expected.containsKey("SHLVL"));
            assertEquals(expected, childEnvironment(launchedDir), "through the launcher");
            assertEquals(expected, childEnvironment(bareDir), "as a bare java");
            checkRunningAndStops(launched, launchedDir, "/bin/sleep 1078");
            checkRunningAndStops(bare, bareDir, "/bin/sleep 1079");
        } finally {
            stop(ref);
            stop(launched);
            stop(bare);
        }
    }
}
