package dev.radial.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.testing.Interrupts;
import dev.radial.common.testing.Reference;
import dev.radial.ctl.CtlMain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, {@code bin/wheel}, as a user runs it (no Docker): with its own RADIAL_WHEEL_DIR it
 * comes up with each spoke running its own group, the web program on a port of its own, every output line
 * prefixed by who wrote it and free of escape sequences; Ctrl-C (SIGINT to the script) stops it with exit 0 and
 * leaves none of the processes it started (checked by pid: ProcessHandle compares start times too).
 */
class LocalWheelTest {
    private static final Pattern PREFIXED = Pattern.compile("(wheel|hub|web|worker): .*");

    static Reference.Run ctl(Path run, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CtlMain.class.getName()));
        cmd.addAll(List.of(args));
        return Reference.run(cmd, Map.of("RADIAL_RUN_ROOT", run.toString()), run, 60);
    }

    static void await(Duration timeout, BooleanSupplier cond, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (cond.getAsBoolean()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what.get());
    }

    @Test
    void upPrefixedAndDownWithNothingLeft(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("wheel.out");
        Path wheel = dir.resolve("w");
        // bash cannot trap a signal ignored at entry: SIGINT as a terminal would have it (Interrupts)
        ProcessBuilder pb = new ProcessBuilder(Interrupts.withDefaultSigint(List.of(
                Images.TOP.resolve("bin/wheel").toString()))).directory(Images.TOP.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().put("RADIAL_WHEEL_DIR", wheel.toString());
        pb.environment().remove("WEB_PORT");
        pb.environment().remove("WHEEL_REPO");
        Process p = pb.start();
        List<ProcessHandle> started = new ArrayList<>();
        try {
            Path run = wheel.resolve("run");
            await(Duration.ofSeconds(300), () -> {
                try {
                    Reference.Run r = ctl(run, "--all", "status");
                    return r.exit() == 0 && r.stdout().matches("(?s).*web: web +RUNNING.*")
                            && r.stdout().matches("(?s).*worker: worker-group:worker +RUNNING.*");
                } catch (Exception e) {
                    return false;
                }
            }, () -> "the local wheel to run both spokes' groups; its output:\n" + read(out));
            Matcher port = Pattern.compile("WEB_PORT=(\\d+)").matcher(read(out));
            assertTrue(port.find(), read(out));
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port.group(1) + "/")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(page.body().contains("Hello from the example wheel"), page.body());

            p.toHandle().descendants().forEach(started::add);
            assertTrue(started.size() >= 6, "hub, two spokes, their three programs: " + started);
            assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), "bin/wheel still running 90 s after SIGINT:\n" + read(out));
            assertEquals(0, p.exitValue(), read(out));
            await(Duration.ofSeconds(30), () -> started.stream().noneMatch(ProcessHandle::isAlive),
                    () -> "every process bin/wheel started to end; alive: " + started.stream()
                            .filter(ProcessHandle::isAlive).map(h -> h.pid() + " " + h.info().commandLine().orElse(""))
                            .toList());

            String text = read(out);
            assertTrue(text.indexOf('\u001b') < 0, "an escape sequence in the output:\n" + text);
            List<String> bad = text.lines().filter(l -> !PREFIXED.matcher(l).matches()).toList();
            assertTrue(bad.isEmpty(), "lines without a prefix: " + bad + "\nin:\n" + text);
            assertTrue(text.contains("wheel: stopped"), text);
            // each spoke's last line comes through: its output's reader is bin/wheel's child, not the spoke's own (a
            // spoke killed its prefixer as a leftover at shutdown and lost what it wrote after that)
            assertTrue(text.matches("(?s).*\nweb: [-0-9 :,]+ INFO exiting\n.*"), text);
            assertTrue(text.matches("(?s).*\nworker: [-0-9 :,]+ INFO exiting\n.*"), text);
            assertTrue(text.contains("web: ") && text.contains("worker: ") && text.contains("hub: "), text);
        } finally {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            started.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
