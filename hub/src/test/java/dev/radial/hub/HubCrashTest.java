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
 * Issue 12: a real hub process killed with SIGKILL in the middle of publishes, 20 times (at moving points of the
 * publish, and right after the switch), each time restarted on the same commit: /config always keeps serving a
 * supervisord.conf, and every restarted hub leaves it whole at that commit.
 */
class HubCrashTest {
    static final int ROUNDS = 20;
    static final int NAMES = 40;
    static final int FILES = 10;

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
            String head = wheel.commit("round " + i, files).substring(0, 12);
            last = round(i);
            boolean served = Files.isRegularFile(config.resolve("supervisor/supervisord.conf"));
            java.util.Set<String> before = entries(config);
            String current = currentLink(config);
            try (HubProcess hub = HubProcess.start(root, env, "128m", "round" + i)) {
                long deadline = System.nanoTime() + 60_000_000_000L;
                if (i % 2 == 0) {
                    // wait for the publish to start its work directory, then kill at a point that moves on with
                    // every round (0 to ~240 ms into it: writing, renaming, linking, switching, cleaning)
                    while (before.containsAll(entries(config)) && hub.process.isAlive()
                            && System.nanoTime() < deadline) {
                        Thread.sleep(1);
                    }
                    Thread.sleep((i * 53L) % 250);
                } else {
                    // the most dangerous moment: right after .radial/current switched
                    while (current.equals(currentLink(config)) && hub.process.isAlive()
                            && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                }
                assertTrue(hub.process.isAlive(), "hub died on its own:\n" + hub.output());
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
            // a restart (same commit) leaves /config whole at it; status.json is written after the sync's check
            try (HubProcess hub = HubProcess.start(root, env, "128m", "restart" + i)) {
                Daemons.await(Duration.ofSeconds(60), () -> hub.statusJson().contains("wheel@" + head),
                        "the restarted hub to serve " + head + ":\n" + hub.output());
                assertWhole(config, last);
                assertTrue(hub.process.isAlive(), hub.output());
            }
        }
        assertTrue(killedMidway >= ROUNDS / 2, "most kills hit a publish in progress: " + killedMidway);
    }

    private static String currentLink(Path config) {
        try {
            return Files.readSymbolicLink(config.resolve(".radial/current")).toString();
        } catch (Exception e) {
            return "";
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
