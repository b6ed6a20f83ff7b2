package dev.radial.common.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The reference peer: Debian's supervisor 4.2.5 (supervisord, supervisorctl and its Python package).
 * Tests that use it fail, never skip, when it is missing: .ci/run installs it.
 */
public final class Reference {
    public static final Path PYTHON = Path.of("/usr/bin/python3");
    public static final Path SUPERVISORD = Path.of("/usr/bin/supervisord");
    public static final Path SUPERVISORCTL = Path.of("/usr/bin/supervisorctl");

    private Reference() {
    }

    /** Fails with a clear message when the reference is not installed. */
    public static void require() {
        if (!Files.isExecutable(SUPERVISORD) || !Files.isExecutable(SUPERVISORCTL) || !Files.isExecutable(PYTHON)) {
            throw new AssertionError("the reference supervisor is not installed: apt-get install -y supervisor "
                    + "(.ci/run does this)");
        }
    }

    /** Result of running a command to completion. */
    public record Run(int exit, String stdout, String stderr) {
    }

    public static Run run(List<String> cmd, Map<String, String> env, Path dir, long timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (env != null) {
            pb.environment().putAll(env);
        }
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Path out = Files.createTempFile("ref-out", ".txt");
        Path err = Files.createTempFile("ref-err", ".txt");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
                throw new AssertionError("timed out after " + timeoutSeconds + " s: " + cmd);
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
