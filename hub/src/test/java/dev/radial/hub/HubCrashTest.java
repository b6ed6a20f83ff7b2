package dev.radial.hub;

import static dev.radial.hub.Hostile.assertWhole;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.spoke.Daemons;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: a real hub process killed with SIGKILL in the middle of publishes, 20 times, then restarted: /config
 * always keeps serving a supervisord.conf, and the restarted hub leaves it whole at the last commit.
 */
class HubCrashTest {
    static final int ROUNDS = 20;
    static final int NAMES = 12;
    static final int FILES = 40;

    /** A revision whose top-level names all differ from the last one's: every publish creates and removes links. */
    static Map<String, String> round(int i) {
        Map<String, String> files = new HashMap<>();
        files.put("supervisor/conf.d/web.ini", HubTest.WEB);
        files.put("round", i + "\n");
        for (int n = 0; n < NAMES; n++) {
            for (int f = 0; f < FILES; f++) {
                files.put("r" + i + "-n" + n + "/f" + f + ".conf", "round " + i + " file " + f + "\n");
            }
        }
        return files;
    }

    @Test
    void killNineDuringPublishesThenARestartLeavesConfigWhole(@TempDir Path root) throws Exception {
        GitRepo wheel = new GitRepo(root.resolve("wheel"), "config");
        Map<String, String> env = Map.of("WHEEL_REPO", "file://" + wheel.dir);
        Path config = root.resolve("config");
        Map<String, String> last = null;
        int killedMidway = 0;
        for (int i = 0; i < ROUNDS; i++) {
            Map<String, String> files = round(i);
            if (last != null) {
                for (String k : last.keySet()) {
                    files.putIfAbsent(k, null); // deleted in this round
                }
            }
            wheel.commit("round " + i, files);
            last = round(i);
            boolean served = Files.isRegularFile(config.resolve("supervisor/supervisord.conf"));
            java.util.Set<String> before = entries(config);
            try (HubProcess hub = HubProcess.start(root, env, "128m", "round" + i)) {
                // wait for this publish to start preparing its revision, then kill at a point that moves on
                // with every round (0 to ~240 ms into it: writing, renaming, linking, switching, cleaning)
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (before.containsAll(entries(config)) && hub.process.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                assertTrue(hub.process.isAlive(), "hub died on its own:\n" + hub.output());
                Thread.sleep((i * 53L) % 250);
                boolean done = hub.output().contains("published");
                hub.kill9();
                if (!done) {
                    killedMidway++;
                }
            }
            if (served) {
                // once anything was served, whatever moment the kill hit, spokes can read a supervisord.conf
                assertTrue(Files.isRegularFile(config.resolve("supervisor/supervisord.conf")), "round " + i);
            }
        }
        assertTrue(killedMidway >= ROUNDS / 2, "most kills hit a publish in progress: " + killedMidway);

        String head = wheel.git("rev-parse", "HEAD").substring(0, 12);
        try (HubProcess hub = HubProcess.start(root, env, "128m", "final")) {
            Daemons.await(Duration.ofSeconds(60), () -> hub.statusJson().contains("wheel@" + head)
                    && hub.statusJson().contains("\"ok\": true"), "the restarted hub to serve " + head + ":\n"
                    + hub.output());
            Map<String, String> expect = new HashMap<>();
            last.forEach((k, v) -> expect.put(k, v));
            assertWhole(config, expect);
            assertTrue(hub.process.isAlive(), hub.output());
        }
    }

    /** What is in .radial and .radial/revisions: a publish starting adds a name there (its work directory). */
    private static java.util.Set<String> entries(Path config) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (Path d : new Path[] {config.resolve(".radial"), config.resolve(".radial/revisions")}) {
            try (var s = Files.list(d)) {
                s.forEach(p -> out.add(p.toString()));
            } catch (Exception e) {
                out.add(d + " missing");
            }
        }
        return out;
    }
}
