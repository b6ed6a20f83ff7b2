package dev.radial.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.testing.LauncherLayout;
import dev.radial.common.testing.LauncherLayout.Result;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ctl's ahead-of-time cache as bin/_launch and the spoke image make it: the training run is a real status that
 * succeeds, the cache it yields holds ctl's classes and is used by a later run, and a changed jar makes the JVM
 * refuse it (bin/_launch then makes a new one).
 */
class AotTrainingTest {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final List<String> CTL_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-XX:-UsePerfData", "-Xss512k");

    @Test
    void trainingRunsARealStatusQuietly() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        assertEquals(0, AotTraining.run(), "status against the training server must succeed");
        assertSame(out, System.out, "System.out restored");
        assertSame(err, System.err, "System.err restored");
    }

    @Test
    void cacheHoldsCtlsClasses(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("ctl.jar");
        String cp = LauncherLayout.classPathOfJars(jar);
        Path cache = dir.resolve("ctl.aot");
        Result train = java(dir, cp, List.of("-XX:AOTCacheOutput=" + cache), AotTraining.FLAG);
        assertEquals(0, train.code(), train.output());
        assertTrue(Files.size(cache) > 0, train.output());

        // AOTMode=on: fail rather than run without the cache; class+load says where each class came from
        Result run = java(dir, cp, List.of("-XX:AOTMode=on", "-XX:AOTCache=" + cache, "-Xlog:class+load"),
                "-s", "unix://" + dir.resolve("none.sock"), "status");
        assertEquals(LsbExit.STATUS_UNKNOWN, run.code(), run.output());
        assertTrue(run.output().lines().anyMatch(l -> l.contains(" dev.radial.ctl.Controller source: shared objects file")),
                run.output());
    }

    /**
     * bin/_launch in a copy of the repository's layout (no sources, so it builds nothing): the first run makes
     * the cache and its stamp, the next reuses it, and a jar that changed, even to an older time, makes it
     * remake the cache (the JVM itself does not notice changed jars).
     */
    @Test
    void launcherRemakesTheCacheWhenAJarChanges(@TempDir Path top) throws Exception {
        Path target = LauncherLayout.copy(top, "ctl");
        Path cache = target.resolve("ctl.aot");
        Path stamp = target.resolve("ctl.aot.stamp");

        Result first = launch(top);
        assertEquals(LsbExit.STATUS_UNKNOWN, first.code(), first.output());
        assertTrue(Files.size(cache) > 0 && Files.exists(stamp), first.output());
        Object made = Files.readAttributes(cache, "unix:ino").get("ino");

        Result second = launch(top);
        assertEquals(LsbExit.STATUS_UNKNOWN, second.code(), second.output());
        assertEquals(made, Files.readAttributes(cache, "unix:ino").get("ino"), "an unchanged jar keeps the cache");

        // common/ changed after the jar was made but before the last successful build (Maven left ctl's jar as
        // it was): no rebuild. This copy has no pom, so a rebuild would fail.
        Path common = top.resolve("common/src/main/Changed.java");
        Files.createDirectories(common.getParent());
        Files.writeString(common, "// newer than the jar\n");
        Path built = target.resolve(".radial-built");
        Files.writeString(built, "");
        Files.setLastModifiedTime(common, FileTime.fromMillis(System.currentTimeMillis() + 60_000L));
        Files.setLastModifiedTime(built, FileTime.fromMillis(System.currentTimeMillis() + 120_000L));
        Result afterCommon = launch(top);
        assertEquals(LsbExit.STATUS_UNKNOWN, afterCommon.code(), "no rebuild when the last build is newer than the "
                + "sources, whatever the jar's time: " + afterCommon.output());
        Files.delete(common);

        String before = Files.readString(stamp);
        Path jar = target.resolve("radial-ctl-0.1.0-SNAPSHOT.jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 86_400_000L));
        Result third = launch(top);
        assertEquals(LsbExit.STATUS_UNKNOWN, third.code(), third.output());
        assertNotEquals(before, Files.readString(stamp), "the stamp follows the jar");
        assertNotEquals(made, Files.readAttributes(cache, "unix:ino").get("ino"), "a changed jar remakes the cache");
        try (Stream<Path> left = Files.list(target)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().matches("ctl\\.aot\\..*[0-9]+.*")).toList(),
                    "no temporary files left");
        }
    }

    private static Result launch(Path top) throws Exception {
        return run(top, List.of("bash", top.resolve("bin/_launch").toString(), "ctl", CtlMain.class.getName(), "-s",
                "unix://" + top.resolve("none.sock"), "status"));
    }

    private static Result java(Path dir, String cp, List<String> flags, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(JAVA));
        cmd.addAll(CTL_FLAGS);
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", cp, CtlMain.class.getName()));
        cmd.addAll(List.of(args));
        return run(dir, cmd);
    }

    private static Result run(Path dir, List<String> cmd) throws Exception {
        return LauncherLayout.run(dir, cmd, Map.of(), Duration.ofSeconds(120));
    }
}
