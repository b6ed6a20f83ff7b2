package dev.radial.common.util;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The frame of an ahead-of-time cache's training run (ctl's and the spoke's {@code --aot-training}): a throwaway
 * directory, and System.out and System.err silenced while the body runs (a training prints nothing); afterwards
 * both are restored and the directory is removed, whatever the body did.
 *
 * <p>Threading: runs the body on the calling thread. System.out and System.err are the process's, so nothing else
 * of the process may print meanwhile (a training run is the whole JVM).
 */
public final class TrainingRun {
    /** What the training does in its directory: 0 when everything was answered as expected. */
    public interface Body {
        int run(Path dir) throws Exception;
    }

    private TrainingRun() {
    }

    /** The body's result, or 1 if it threw (a training that fails makes no cache: bin/_launch runs without one). */
    public static int inQuietTempDir(String prefix, Body body) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        Path dir = null;
        try {
            dir = Files.createTempDirectory(prefix);
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
            System.setOut(quiet);
            System.setErr(quiet);
            return body.run(dir);
        } catch (Exception e) {
            return 1;
        } finally {
            System.setOut(out);
            System.setErr(err);
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
