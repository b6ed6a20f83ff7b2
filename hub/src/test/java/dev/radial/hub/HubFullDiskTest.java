package dev.radial.hub;

import static dev.radial.hub.Hostile.assertWhole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.testing.Reference;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: /config on a small tmpfs (mounted and removed by the test; it runs as root, as in CI) that runs out
 * of inodes at every step of a publish in turn (writing the tree, creating the top-level links, switching), and
 * out of space: every failed publish leaves the last good revision served whole, the hub says why, and the same
 * revision publishes once there is room. And a /config broken where the hub cannot repair it (read-only) makes
 * /healthz answer 503 until it can.
 */
class HubFullDiskTest {
    static final int NAMES = 3;

    @Test
    void aFullConfigNeverTakesTheServedRevisionDown(@TempDir Path root) throws Exception {
        Path config = root.resolve("config");
        Files.createDirectories(config);
        run("mount", "-t", "tmpfs", "-o", "size=8m,nr_inodes=2000,mode=755", "radial-test", config.toString());
        try {
            GitRepo wheel = new GitRepo(root.resolve("wheel"), "config");
            wheel.commit("web", Map.of("supervisor/conf.d/web.ini", HubTest.WEB, "web/v", "0\n"));
            Settings s = Hostile.settings(root, Map.of("WHEEL_REPO", "file://" + wheel.dir), Map.of());
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            Hub hub = HubTest.hub(s, log);
            assertTrue(hub.syncOnce(false).published(), log.toString());
            Path filler = config.resolve("zz-filler");
            Files.createDirectories(filler);

            Map<String, String> served = Map.of("web/v", "0\n");
            List<String> previousNames = List.of("web");
            int failed = 0;
            // free inodes from two fewer than the new tree needs to more than the whole publish uses
            for (int offset = -2; offset <= 2 * NAMES + 4; offset++) {
                Map<String, String> files = new HashMap<>();
                for (String n : previousNames) {
                    files.put(n + "/v", null);
                }
                List<String> names = new ArrayList<>();
                for (int k = 0; k < NAMES; k++) {
                    names.add("o" + (offset + 2) + "-" + k);
                    files.put(names.get(k) + "/v", offset + "\n");
                }
                wheel.commit("offset " + offset, files);
                Map<String, String> next = new HashMap<>();
                for (String n : names) {
                    next.put(n + "/v", offset + "\n");
                }

                fill(config, filler, inodesNeeded(next.keySet()) + offset);
                Hub.Outcome o = hub.syncOnce(false);
                if (o.ok()) {
                    served = next;
                } else {
                    failed++;
                    assertTrue(o.error().contains("No space left") || o.error().contains("ENOSPC"), o.error());
                }
                assertWhole(config, served);
                assertTrue(hub.state().config().ok(), "offset " + offset + ": " + hub.state().toMap());

                clear(filler);
                Hub.Outcome retry = hub.syncOnce(false);
                assertTrue(retry.ok(), log.toString());
                served = next;
                assertWhole(config, served);
                previousNames = names;
            }
            assertTrue(failed >= 3, "inodes ran out in several steps: " + failed + "\n" + log);

            // out of bytes: a file bigger than the file system
            String big = "x".repeat(9 << 20);
            wheel.commit("too big for /config", Map.of("web2/big", big));
            Hub.Outcome o = hub.syncOnce(false);
            assertTrue(!o.ok() && o.error().contains("No space left"), o.error());
            assertWhole(config, served);
            try (var st = Files.list(config.resolve(".radial/revisions"))) {
                assertEquals(2, st.count(), "the served revision and the one before, nothing half-written");
            }
            try (var st = Files.list(config.resolve(".radial"))) {
                assertTrue(st.noneMatch(p -> p.getFileName().toString().startsWith("staging-")), "staging removed");
            }
        } finally {
            run("umount", "-l", config.toString());
        }
    }

    @Test
    void aBrokenConfigTheHubCannotRepairIsUnhealthy(@TempDir Path root) throws Exception {
        Path config = root.resolve("config");
        Files.createDirectories(config);
        run("mount", "-t", "tmpfs", "-o", "size=8m,mode=755", "radial-test", config.toString());
        try {
            GitRepo wheel = new GitRepo(root.resolve("wheel"), "config");
            wheel.commit("web", Map.of("supervisor/conf.d/web.ini", HubTest.WEB, "web/v", "1\n"));
            Settings s = Hostile.settings(root, Map.of("WHEEL_REPO", "file://" + wheel.dir), Map.of());
            try (HubDaemonTest.Running r = HubDaemonTest.start(s)) {
                java.time.Duration t = java.time.Duration.ofSeconds(30);
                dev.radial.spoke.Daemons.await(t, () -> r.hub().state().healthy(), "the first publish");
                assertEquals(200, HubDaemonTest.get(r.url("/healthz")).statusCode());

                Files.delete(config.resolve("supervisor"));
                run("mount", "-o", "remount,ro", config.toString());
                r.hub().trigger("test");
                dev.radial.spoke.Daemons.await(t, () -> !r.hub().state().config().ok(), "the check to fail");
                var health = HubDaemonTest.get(r.url("/healthz"));
                assertEquals(503, health.statusCode(), health.body());
                assertTrue(health.body().contains("/config is not whole"), health.body());
                String status = Files.readString(s.hubRun().resolve("status.json"));
                assertTrue(status.contains("is not the link to .radial/current/supervisor"), status);

                run("mount", "-o", "remount,rw", config.toString());
                r.hub().trigger("test");
                dev.radial.spoke.Daemons.await(t, () -> r.hub().state().healthy(), "the repair");
                assertEquals(200, HubDaemonTest.get(r.url("/healthz")).statusCode());
                assertWhole(config, Map.of("web/v", "1\n", "supervisor/conf.d/web.ini", HubTest.WEB));
            }
        } finally {
            run("umount", "-l", config.toString());
        }
    }

    /** The inodes a new revision's tree takes: its directory, every directory in it and every file. */
    static int inodesNeeded(java.util.Set<String> wheelFiles) {
        TreeSet<String> all = new TreeSet<>(List.of("supervisor/supervisord.conf", "supervisor/conf.d/README.md",
                "supervisor/conf.d/web.ini"));
        all.addAll(wheelFiles);
        TreeSet<String> dirs = new TreeSet<>();
        for (String f : all) {
            for (int i = f.indexOf('/'); i > 0; i = f.indexOf('/', i + 1)) {
                dirs.add(f.substring(0, i));
            }
        }
        return 1 + dirs.size() + all.size();
    }

    /** Creates or removes filler files until exactly {@code free} inodes are left on {@code fs}. */
    static void fill(Path fs, Path filler, int free) throws Exception {
        int now = freeInodes(fs);
        int n = 0;
        try (var s = Files.list(filler)) {
            n = (int) s.count();
        }
        while (now > free) {
            Files.createFile(filler.resolve("f" + n++));
            now--;
        }
        assertEquals(free, freeInodes(fs), "filler set up");
    }

    static void clear(Path filler) throws Exception {
        try (var s = Files.list(filler)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
    }

    static int freeInodes(Path fs) throws Exception {
        return Integer.parseInt(run("stat", "-f", "-c", "%d", fs.toString()).strip());
    }

    static String run(String... cmd) throws Exception {
        Reference.Run r = Reference.run(List.of(cmd), Map.of(), Path.of("/"), 60);
        if (r.exit() != 0) {
            throw new AssertionError(String.join(" ", cmd) + ": " + r.stderr());
        }
        return r.stdout();
    }
}
