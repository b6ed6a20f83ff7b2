package dev.radial.e2e;

import dev.radial.common.testing.Reference;
import dev.radial.ctl.CtlMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A wheel in containers, as the wheel tests (WheelContainersTest, AppWheelTest) set it up: the shared host
 * directories bind-mounted into every container (/config, /log, /run, /data), a bare config repository made
 * from an example's config with compose/make-wheel-repo.sh plus a clone of it to push from, a hub that polls
 * the repository, spokes, and our ctl on the host through the bind-mounted /run. Containers have no network.
 */
final class Wheel {
    private static final List<String> VOLUMES = List.of("config", "log", "run", "data");
    final Path root;
    /** The clone of the config repository that pushes are made from. */
    final Path work;

    /** Creates the directories under root and the config repository from {@code config} (relative to the top). */
    Wheel(Path root, String config) throws Exception {
        this.root = root;
        for (String v : VOLUMES) {
            Files.createDirectories(root.resolve(v));
        }
        Images.sh(Images.TOP, "sh", "compose/make-wheel-repo.sh", config, root.resolve("wheel.git").toString());
        work = root.resolve("work");
        Images.sh(root, "git", "clone", "-q", "-b", "config", root.resolve("wheel.git").toString(), work.toString());
    }

    /** A container of one of this run's images (not started) with the shared directories mounted. */
    GenericContainer<?> container(String image) {
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(Images.image(image)))
                .withImagePullPolicy(name -> false).withNetworkMode("none");
        for (String v : VOLUMES) {
            c.withFileSystemBind(root.resolve(v).toString(), "/" + v, BindMode.READ_WRITE);
        }
        return c;
    }

    /** Starts the hub on the mounted repository, polling each second, once it has synced. */
    GenericContainer<?> startHub(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(Map.of("WHEEL_REPO", "/srv/wheel.git", "HUB_POLL_SECONDS", "1"));
        all.putAll(env);
        GenericContainer<?> h = container("hub")
                .withFileSystemBind(root.resolve("wheel.git").toString(), "/srv/wheel.git", BindMode.READ_ONLY)
                .withEnv(all)
                .waitingFor(Wait.forLogMessage(".*hub: sync .*\\n", 1).withStartupTimeout(Duration.ofSeconds(120)));
        h.start();
        return h;
    }

    /** Starts a spoke named {@code name} (host name {@code name-1}) from an image, once it starts its group. */
    GenericContainer<?> startSpoke(String image, String name) {
        GenericContainer<?> s = container(image).withEnv("SPOKE_NAME", name)
                .withCreateContainerCmdModifier(cmd -> cmd.withHostName(name + "-1"))
                .waitingFor(Wait.forLogMessage(".*starting group .*\\n", 1).withStartupTimeout(Duration.ofSeconds(120)));
        s.start();
        return s;
    }

    /** Our ctl on the host, through the bind-mounted run directory. */
    Reference.Run ctl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CtlMain.class.getName()));
        cmd.addAll(List.of(args));
        return Reference.run(cmd, Map.of("RADIAL_RUN_ROOT", root.resolve("run").toString()), root, 60);
    }

    /** ctl's stdout, or "" when it could not run (for conditions polled until they hold). */
    String out(String... args) {
        try {
            return ctl(args).stdout();
        } catch (Exception e) {
            return "";
        }
    }

    /** Writes the files (paths relative to the clone), commits them and pushes to the config branch. */
    void push(String message, Map<String, String> files) throws Exception {
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(work.resolve(f.getKey()), f.getValue());
        }
        Images.sh(work, "git", "add", "-A");
        Images.sh(work, "git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", "commit",
                "-q", "-m", message);
        Images.sh(work, "git", "push", "-q", "origin", "config");
    }

    /** Polls cond every pollMillis until it holds; else fails with what it waited for and the diagnostics. */
    static void await(Duration timeout, long pollMillis, BooleanSupplier cond, String what,
            Supplier<String> diagnostics) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (cond.getAsBoolean()) {
                return;
            }
            Thread.sleep(pollMillis);
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                + diagnostics.get());
    }

    /** Stops the containers that were started (null for one that never was). */
    static void stop(GenericContainer<?>... containers) {
        for (GenericContainer<?> c : containers) {
            if (c != null) {
                c.stop();
            }
        }
    }
}
