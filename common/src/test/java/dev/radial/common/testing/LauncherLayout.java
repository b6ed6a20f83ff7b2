package dev.radial.common.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * What the AOT cache tests of ctl and the spoke need to run bin/_launch and the JVM as a user does: the module's
 * classes as a jar (a cache takes classes from jars only), a copy of the repository's launcher layout with no
 * sources (so bin/_launch builds nothing), and a command run to its end with its output.
 */
public final class LauncherLayout {
    /** A finished command: its exit code and its output (stdout and stderr together). */
    public record Result(int code, String output) {
    }

    private LauncherLayout() {
    }

    /**
     * The test's module classes and common's (class directories of the test's class path, not test classes) as one
     * jar at {@code jar}, followed by the radial-common jar when the class path has it as a jar.
     */
    public static String classPathOfJars(Path jar) throws IOException {
        List<String> cp = new ArrayList<>(List.of(jar.toString()));
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path p = Path.of(e);
                if (Files.isDirectory(p) && !p.endsWith("test-classes")) {
                    add(out, p);
                } else if (p.getFileName().toString().startsWith("radial-common") && !e.contains("tests")) {
                    cp.add(e);
                }
            }
        }
        return String.join(File.pathSeparator, cp);
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

    /**
     * bin/_launch, what it sources, and {@code module}'s jars under {@code top} as in the repository
     * ({@code <module>/target/radial-<module>-0.1.0-SNAPSHOT.jar} and {@code target/lib/}); the module's target/.
     */
    public static Path copy(Path top, String module) throws IOException {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        for (String f : List.of("bin/_launch", "bin/_jdk", "compose/images/radial-env.sh")) {
            Files.createDirectories(top.resolve(f).getParent());
            Files.copy(repo.resolve(f), top.resolve(f));
        }
        Path target = top.resolve(module).resolve("target");
        Files.createDirectories(target.resolve("lib"));
        String cp = classPathOfJars(target.resolve("radial-" + module + "-0.1.0-SNAPSHOT.jar"));
        for (String e : cp.split(File.pathSeparator)) {
            if (!e.startsWith(target.toString())) {
                Files.copy(Path.of(e), target.resolve("lib").resolve(Path.of(e).getFileName()));
            }
        }
        return target;
    }

    /**
     * Runs {@code cmd} in {@code dir} with {@code env} added to the environment, output to a file there; fails
     * the test if it has not finished within {@code limit} (it and its descendants are then killed).
     */
    public static Result run(Path dir, List<String> cmd, Map<String, String> env, Duration limit) throws Exception {
        Path log = dir.resolve("java-" + System.nanoTime() + ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            throw new AssertionError("did not finish in " + limit.toSeconds() + " s: " + cmd);
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
