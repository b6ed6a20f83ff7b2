package dev.radial.e2e;

import dev.radial.common.testing.Reference;
import java.nio.file.Path;
import java.util.List;

/** The project's images, built (or found up to date) by compose/build-images.sh; and shell helpers. */
final class Images {
    static final Path TOP = Path.of("..").toAbsolutePath().normalize();
    private static boolean built;

    private Images() {
    }

    static synchronized void ensureBuilt() throws Exception {
        if (built) {
            return;
        }
        Reference.Run r = Reference.run(List.of("bash", TOP.resolve("compose/build-images.sh").toString()), null, TOP,
                600);
        if (r.exit() != 0) {
            throw new AssertionError("compose/build-images.sh failed (is a Docker engine running? .ci/run starts "
                    + "one):\n" + r.stdout() + r.stderr());
        }
        built = true;
    }

    /** Runs a command to completion; fails the test when it fails. */
    static String sh(Path dir, String... cmd) throws Exception {
        Reference.Run r = Reference.run(List.of(cmd), java.util.Map.of("GIT_CONFIG_NOSYSTEM", "1"), dir, 300);
        if (r.exit() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed (" + r.exit() + "):\n" + r.stdout() + r.stderr());
        }
        return r.stdout();
    }
}
