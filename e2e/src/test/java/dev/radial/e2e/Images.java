package dev.radial.e2e;

import dev.radial.common.testing.Reference;
import java.nio.file.Path;
import java.util.List;

/** The project's images, built (or found up to date) by compose/build-images.sh; and shell helpers. */
final class Images {
    static final Path TOP = Path.of("..").toAbsolutePath().normalize();
    /**
     * This run's image tag (and compose project name suffix): two runs on one Docker engine never share or
     * remove each other's images or containers.
     */
    static final String RUN = "e2e" + ProcessHandle.current().pid() + "x"
            + Long.toString(System.currentTimeMillis(), 36);
    private static final List<String> ROLES = List.of("spoke", "hub", "axle", "base", "example-app", "app-spoke",
            "single");
    private static boolean built;
    private static boolean appsBuilt;

    private Images() {
    }

    static synchronized void ensureBuilt() throws Exception {
        if (built) {
            return;
        }
        Reference.Run r = Reference.run(List.of("bash", TOP.resolve("compose/build-images.sh").toString()),
                java.util.Map.of("RADIAL_IMAGE_TAG", RUN), TOP, 900);
        if (r.exit() != 0) {
            throw new AssertionError("compose/build-images.sh failed (is a Docker engine running? .ci/run starts "
                    + "one):\n" + r.stdout() + r.stderr());
        }
        built = true;
        // this run's tags go when the test JVM ends (layers shared with other tags stay)
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            List<String> cmd = new java.util.ArrayList<>(List.of("docker", "rmi", "-f"));
            ROLES.forEach(role -> cmd.add(image(role)));
            try {
                new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start().waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                // best effort at exit
            }
        }, "e2e-images"));
    }

    /**
     * compose/build-app-images.sh, once per run: radial-example-app (nginx + busybox, no Java), radial-app-spoke
     * (examples/app-wheel) and radial-single (examples/single-container), this run's tag.
     */
    static synchronized void ensureAppsBuilt() throws Exception {
        ensureBuilt();
        if (appsBuilt) {
            return;
        }
        Reference.Run r = Reference.run(List.of("bash", TOP.resolve("compose/build-app-images.sh").toString()),
                java.util.Map.of("RADIAL_IMAGE_TAG", RUN), TOP, 900);
        if (r.exit() != 0) {
            throw new AssertionError("compose/build-app-images.sh failed:\n" + r.stdout() + r.stderr());
        }
        appsBuilt = true;
    }

    /** This run's image of one role: radial-spoke:&lt;RUN&gt;, ... */
    static String image(String role) {
        return "radial-" + role + ":" + RUN;
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
