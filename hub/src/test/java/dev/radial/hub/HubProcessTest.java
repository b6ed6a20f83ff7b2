package dev.radial.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.testing.Reference;
import dev.radial.spoke.Daemons;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub as a real process: {@code hub status} readable (and {@code --json} parsable by another JSON parser,
 * Python's), status files readable by the hub's user only, {@code /status} without the token shows nothing
 * sensitive, and a poll that finds nothing new logs nothing.
 */
class HubProcessTest {
    record Hub(Process process, Path out, List<String> options) implements AutoCloseable {
        Reference.Run command(String... args) throws Exception {
            List<String> cmd = new ArrayList<>(java());
            cmd.addAll(options);
            cmd.addAll(List.of(args));
            return Reference.run(cmd, Map.of(), null, 60);
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    static List<String> java() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), HubMain.class.getName());
    }

    static Hub start(Path root, GitRepo wheel, Path tokenFile) throws Exception {
        List<String> options = List.of("--config-root", root.resolve("config").toString(), "--run-root",
                root.resolve("run").toString(), "--data-root", root.resolve("data").toString(), "--skeleton",
                HubTest.SKELETON.toString());
        List<String> cmd = new ArrayList<>(java());
        cmd.addAll(options);
        cmd.addAll(List.of("--poll", "1", "--http-port", "0", "--status-token-file", tokenFile.toString()));
        Path out = root.resolve("hub.out");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("WHEEL_REPO", wheel.dir.toString());
        pb.environment().put("RADIAL_LOG_ROOT", root.resolve("log").toString());
        return new Hub(pb.start(), out, options);
    }

    static long syncs(Path status) {
        Matcher m = Pattern.compile("\"syncs\": (\\d+)").matcher(Daemons.read(status));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** Python's json module reads the file and prints one field. */
    static String python(String json, String expr) throws Exception {
        Path file = Files.createTempFile("status", ".json");
        try {
            Files.writeString(file, json);
            Reference.Run r = Reference.run(List.of("python3", "-c", "import json,sys; d=json.load(open(sys.argv[1]));"
                    + " print(" + expr + ")", file.toString()), Map.of(), null, 60);
            assertEquals(0, r.exit(), "python could not parse: " + r.stderr() + "\n" + json);
            return r.stdout().strip();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aRestartedHubSaysOnceThatItsRevisionIsLive(@TempDir Path root) throws Exception {
        // found by the container suite: with unchanged polls silent, a restarted hub on the same commit said
        // nothing at all, so neither an operator nor a readiness check could tell it had synced
        GitRepo wheel = new GitRepo(root.resolve("wheel"), "config");
        wheel.commit("web", Map.of("supervisor/conf.d/web.ini", HubTest.WEB));
        Path token = root.resolve("status.token");
        Files.writeString(token, "t0ken-for-status\n");
        Path status = root.resolve("run/hub/status.json");
        try (Hub first = start(root, wheel, token)) {
            Daemons.await(Duration.ofSeconds(60), () -> Daemons.read(first.out()).contains("published"),
                    "the first hub to publish; output:\n" + Daemons.read(first.out()));
        }
        Files.delete(status);
        try (Hub again = start(root, wheel, token)) {
            Daemons.await(Duration.ofSeconds(60), () -> syncs(status) >= 3,
                    "three syncs of the restarted hub; output:\n" + Daemons.read(again.out()));
            String log = Daemons.read(again.out());
            assertEquals(1, log.lines().filter(l -> l.contains("hub: sync ")).count(), log);
            assertTrue(log.lines().anyMatch(l -> l.contains("hub: sync ") && l.contains("is already published")), log);
        }
    }

    @Test
    void statusIsReadableAndJsonAndAnUnchangedPollLogsNothing(@TempDir Path root) throws Exception {
        GitRepo wheel = new GitRepo(root.resolve("wheel"), "config");
        wheel.commit("web", Map.of("supervisor/conf.d/web.ini", HubTest.WEB));
        Path token = root.resolve("status.token");
        Files.writeString(token, "t0ken-for-status\n");
        Path status = root.resolve("run/hub/status.json");
        try (Hub hub = start(root, wheel, token)) {
            Daemons.await(Duration.ofSeconds(60), () -> syncs(status) >= 4,
                    "four syncs at a 1 s poll; output:\n" + Daemons.read(hub.out()));
            String log = Daemons.read(hub.out());
            assertEquals(1, log.lines().filter(l -> l.contains("hub: sync ")).count(), "only the publish: " + log);
            assertFalse(log.contains("unchanged"), log);

            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(status)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    status.resolveSibling("status.txt"))));

            Reference.Run text = hub.command("status");
            System.out.println("hub status:\n" + text.stdout());
            assertEquals(0, text.exit(), text.stdout() + text.stderr());
            assertTrue(text.stdout().startsWith("state:     ok\n"), text.stdout());
            assertTrue(text.stdout().matches("(?s).*revision: +[0-9a-f]{16}, published \\d{4}-\\d\\d-\\d\\d "
                    + "\\d\\d:\\d\\d:\\d\\d UTC\n.*"), text.stdout());
            assertFalse(text.stdout().matches("(?s).*\\b1\\d{9}\\b.*"), "no epoch seconds: " + text.stdout());
            assertFalse(text.stdout().contains("error"), "no empty error line: " + text.stdout());

            Reference.Run json = hub.command("status", "--json");
            assertEquals(0, json.exit());
            assertEquals("True 0", python(json.stdout(), "d['last_sync_ok'], d['consecutive_failures']"));
            assertTrue(python(json.stdout(), "d['last_sync']").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));

            int port = Integer.parseInt(Files.readString(root.resolve("run/hub/http.port")).strip());
            String url = "http://127.0.0.1:" + port + "/status";
            wheel.commit("broken", Map.of("supervisor/conf.d/web.ini", HubTest.WEB.replace("startsecs=0",
                    "startsecs=abc")));
            Daemons.await(Duration.ofSeconds(30), () -> Daemons.read(status).contains("is not an integer"),
                    "the bad commit to be reported");
            Reference.Run failing = hub.command("status");
            System.out.println("hub status while failing:\n" + failing.stdout());
            assertEquals(1, failing.exit(), "exit 1 while syncs fail");
            assertTrue(failing.stdout().matches("(?s)state: +failing \\(\\d+ failed syncs?( in a row)?\\)\n.*"
                    + "error: +.*startsecs: 'abc' is not an integer.*"), failing.stdout());
            assertEquals(1, hub.command("status", "--json").exit());

            String anonymous = HubDaemonTest.get(url).body();
            assertFalse(anonymous.contains("not an integer") || anonymous.contains("web.ini")
                    || anonymous.contains("\"sources\""), "nothing sensitive without the token: " + anonymous);
            assertEquals("False", python(anonymous, "d['last_sync_ok']"));
            assertTrue(HubDaemonTest.get(url, "Bearer t0ken-for-status").body().contains("is not an integer"));
            assertEquals(401, HubDaemonTest.get(url, "Bearer wrong").statusCode());
            assertEquals(1, Daemons.read(hub.out()).lines().filter(l -> l.contains("sync failed")).count(),
                    "the failure logged once: " + Daemons.read(hub.out()));
        }
    }
}
