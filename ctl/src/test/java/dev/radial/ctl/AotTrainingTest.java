package dev.radial.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
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
    void cacheHoldsCtlAndIsRefusedOnceTheJarChanges(@TempDir Path dir) throws Exception {
        String cp = classPathOfJars(dir);
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

        Path jar = dir.resolve("ctl.jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 10_000));
        Result stale = java(dir, cp, List.of("-XX:AOTMode=on", "-XX:AOTCache=" + cache), "-s",
                "unix://" + dir.resolve("none.sock"), "status");
        assertNotEquals(LsbExit.STATUS_UNKNOWN, stale.code(), "a stale cache must not be used: " + stale.output());
        assertTrue(stale.output().contains("AOT cache"), stale.output());
    }

    /** ctl's and common's classes as one jar (a cache takes classes from jars only), and the jar dependencies. */
    private static String classPathOfJars(Path dir) throws IOException {
        Path jar = dir.resolve("ctl.jar");
        List<String> cp = new ArrayList<>(List.of(jar.toString()));
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                Path p = Path.of(e);
                if (Files.isDirectory(p) && !p.endsWith("test-classes")) {
                    add(out, p);
                } else if (p.getFileName().toString().startsWith("ini4j")) {
                    cp.add(e);
                } else if (p.getFileName().toString().startsWith("radial-common") && !e.contains("tests")) {
                    cp.add(e);
                }
            }
        }
        return String.join(java.io.File.pathSeparator, cp);
    }

    private static void add(JarOutputStream out, Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(root.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }

    private record Result(int code, String output) {
    }

    private static Result java(Path dir, String cp, List<String> flags, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(JAVA));
        cmd.addAll(CTL_FLAGS);
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", cp, CtlMain.class.getName()));
        cmd.addAll(List.of(args));
        Path log = dir.resolve("java-" + System.nanoTime() + ".out");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("java did not finish in 120 s: " + cmd);
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
