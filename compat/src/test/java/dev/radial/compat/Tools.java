package dev.radial.compat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the compat tests run: launchers for our spoke and ctl on the test classpath, and the built pidproxy. */
final class Tools {
    /** The repository root (the compat module's parent directory). */
    static final Path TOP = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();

    private Tools() {
    }

    /**
     * An executable script that runs {@code mainClass} with this JVM on the test classpath (the modules just
     * built), as bin/spoke and bin/ctl do from the jars, without their build-if-stale step.
     */
    static Path launcher(Path dir, String name, String mainClass) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String script = "#!/bin/sh\nexec '" + java + "' -XX:+UseSerialGC -Xmx64m -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED "
                + "-XX:-UsePerfData -cp '" + System.getProperty("java.class.path") + "' " + mainClass + " \"$@\"\n";
        Path p = dir.resolve(name);
        Files.writeString(p, script, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    /** pidproxy/target/pidproxy, built (gcc) by pidproxy/build.sh if it is missing or stale. */
    static Path pidproxy() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", TOP.resolve("pidproxy/build.sh").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("pidproxy/build.sh failed (gcc and libc6-dev are needed; .ci/run installs "
                    + "them)");
        }
        Path bin = Path.of(out);
        if (!Files.isExecutable(bin)) {
            throw new AssertionError("pidproxy/build.sh printed " + out + ", which is not executable");
        }
        return bin;
    }

    /** Destroys a process and everything below it, by pid. */
    static void destroyTree(Process p) {
        List<ProcessHandle> tree = p.descendants().toList();
        p.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
    }
}
