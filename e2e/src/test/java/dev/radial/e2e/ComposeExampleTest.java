package dev.radial.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.testing.Reference;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compose/docker-compose.yml as a user runs it: up, healthy, ctl across the wheel, down. */
class ComposeExampleTest {
    static Reference.Run compose(Path dir, String... args) throws Exception {
        // a project name and image tag of this run's own: another run on the same engine is not disturbed
        List<String> cmd = new java.util.ArrayList<>(List.of("docker-compose", "-p", "radial" + Images.RUN, "-f",
                dir.resolve("docker-compose.yml").toString()));
        cmd.addAll(List.of(args));
        return Reference.run(cmd, Map.of("RADIAL_IMAGE_TAG", Images.RUN), dir, 300);
    }

    @Test
    void exampleWheelComesUpHealthyAndGoesDown(@TempDir Path dir) throws Exception {
        Images.ensureBuilt();
        // a copy of compose/ with its own wheel.git, so the test never touches the user's
        Images.sh(Images.TOP, "cp", Images.TOP.resolve("compose/docker-compose.yml").toString(), dir.toString());
        Images.sh(Images.TOP, "sh", "compose/make-wheel-repo.sh", "examples/wheel", dir.resolve("wheel.git").toString());
        try {
            Reference.Run up = compose(dir, "up", "-d");
            assertTrue(up.exit() == 0, up.stdout() + up.stderr());
            long deadline = System.nanoTime() + 180_000_000_000L;
            String ps = "";
            while (System.nanoTime() < deadline) {
                ps = compose(dir, "ps").stdout();
                if (ps.lines().filter(l -> l.contains("(healthy)")).count() == 3) {
                    break;
                }
                Thread.sleep(1000);
            }
            assertTrue(ps.lines().filter(l -> l.contains("(healthy)")).count() == 3, "hub, web, worker healthy:\n" + ps);
            Reference.Run status = compose(dir, "exec", "-T", "web", "ctl", "--all", "status");
            assertTrue(status.stdout().matches("(?s).*worker: worker-group:worker +RUNNING.*"), status.stdout());
            assertTrue(status.stdout().matches("(?s).*web: web +RUNNING.*"), status.stdout());
        } finally {
            Reference.Run down = compose(dir, "down", "-v", "-t", "30");
            assertTrue(down.exit() == 0, down.stdout() + down.stderr());
        }
    }
}
