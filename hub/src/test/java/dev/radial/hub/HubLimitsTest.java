package dev.radial.hub;

import static dev.radial.hub.Hostile.assertWhole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.spoke.Daemons;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: big blobs are streamed to disk, never loaded whole, and the per-file and per-revision limits give a
 * clear error; a real hub with {@code -Xmx128m} stays up through three 45 MB blobs over file:// and keeps
 * syncing afterwards.
 */
class HubLimitsTest {
    static final long BLOB = 45L << 20;

    static void writeRandom(Path p, long size, long seed) throws Exception {
        Files.createDirectories(p.getParent());
        Random r = new Random(seed);
        byte[] buf = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(p)) {
            for (long n = 0; n < size; n += buf.length) {
                r.nextBytes(buf);
                out.write(buf, 0, (int) Math.min(buf.length, size - n));
            }
        }
    }

    @Test
    void threeBigBlobsInASmallHeap(@TempDir Path root) throws Exception {
        GitRepo wheel = new GitRepo(root.resolve("wheel"), "config");
        wheel.commit("web", Map.of("supervisor/conf.d/web.ini", HubTest.WEB, "web/v", "1\n"));
        Map<String, String> env = Map.of("WHEEL_REPO", "file://" + wheel.dir, "HUB_MAX_FILE_BYTES", "64M",
                "HUB_MAX_REVISION_BYTES", "100M");
        try (HubProcess hub = HubProcess.start(root, env, "128m", "blobs")) {
            Daemons.await(Duration.ofSeconds(60), () -> hub.output().contains("published"), "the first publish:\n"
                    + hub.output());
            // two fit the limits: streamed into /config within a 128 MB heap
            writeRandom(wheel.dir.resolve("web/big1"), BLOB, 1);
            writeRandom(wheel.dir.resolve("web/big2"), BLOB, 2);
            String two = wheel.commit("two big blobs", Map.of("web/v", "2\n")).substring(0, 12);
            Daemons.await(Duration.ofSeconds(120), () -> hub.statusJson().contains("wheel@" + two)
                    || !hub.process.isAlive(), "the two blobs to be published:\n" + hub.output());
            assertTrue(hub.process.isAlive(), hub.output());
            assertEquals(BLOB, Files.size(root.resolve("config/web/big2")));
            assertEquals(-1L, Files.mismatch(wheel.dir.resolve("web/big1"), root.resolve("config/web/big1")));

            // the third passes the revision limit: a clear error, the hub stays, /config keeps the last good
            writeRandom(wheel.dir.resolve("web/big3"), BLOB, 3);
            wheel.commit("a third", Map.of("web/v", "3\n"));
            Daemons.await(Duration.ofSeconds(120), () -> hub.statusJson().contains("HUB_MAX_REVISION_BYTES")
                    || !hub.process.isAlive(), "the limit to be reported:\n" + hub.output());
            assertTrue(hub.process.isAlive(), hub.output());
            assertTrue(hub.statusJson().contains("over the limit of 104857600 bytes"), hub.statusJson());
            assertWhole(root.resolve("config"), Map.of("web/v", "2\n"));

            // and later syncs still work
            Files.delete(wheel.dir.resolve("web/big3"));
            Files.delete(wheel.dir.resolve("web/big2"));
            String fixed = wheel.commit("fixed", Map.of("web/v", "4\n")).substring(0, 12);
            Daemons.await(Duration.ofSeconds(120), () -> hub.statusJson().contains("wheel@" + fixed)
                    || !hub.process.isAlive(), "the fix to be published:\n" + hub.output());
            assertTrue(hub.process.isAlive(), hub.output());
            assertWhole(root.resolve("config"), Map.of("web/v", "4\n"));
            assertFalse(hub.output().contains("OutOfMemoryError"), hub.output());
        }
    }

    @Test
    void theFileLimitNamesTheFileAndTheVariable(@TempDir Path root) throws Exception {
        GitRepo wheel = new GitRepo(root.resolve("wheel"), "config");
        wheel.commit("web", Map.of("supervisor/conf.d/web.ini", HubTest.WEB, "web/v", "1\n"));
        Settings s = Hostile.settings(root, Map.of("WHEEL_REPO", "file://" + wheel.dir), Map.of(
                "HUB_MAX_FILE_BYTES", "4K", "HUB_MAX_FILES", "20"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Hub hub = HubTest.hub(s, log);
        assertTrue(hub.syncOnce(false).published(), log.toString());
        wheel.commit("big", Map.of("web/big", "x".repeat(5000)));
        Hub.Outcome o = hub.syncOnce(false);
        assertFalse(o.ok());
        assertTrue(o.error().contains("web/big in wheel") && o.error().contains("5000 bytes, over the limit of 4096 "
                + "per file (HUB_MAX_FILE_BYTES)"), o.error());
        Map<String, String> many = new java.util.HashMap<>();
        many.put("web/big", null);
        for (int i = 0; i < 25; i++) {
            many.put("many/f" + i, "x\n");
        }
        wheel.commit("many", many);
        Hub.Outcome o2 = hub.syncOnce(false);
        assertTrue(!o2.ok() && o2.error().contains("HUB_MAX_FILES"), o2.error());
        assertWhole(s.configRoot(), Map.of("web/v", "1\n"));
    }
}
