package dev.radial.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;

/**
 * examples/app-wheel: real programs in spokes made from an application image plus /opt/radial. The web spoke
 * runs Debian's nginx in front of the app, the worker spoke two queue workers and a scheduled job; everything is
 * driven through nginx: requests, a job queued and done, the report, a pushed config change, a killed worker.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AppWheelTest {
    @TempDir
    static Path root;
    static Wheel wheel;
    static Path work;
    static GenericContainer<?> hub;
    static GenericContainer<?> web;
    static GenericContainer<?> worker;

    @BeforeAll
    static void wheel() throws Exception {
        Images.ensureAppsBuilt();
        wheel = new Wheel(root, "examples/app-wheel/config");
        work = wheel.work;
        hub = wheel.startHub(Map.of());
        web = wheel.startSpoke("app-spoke", "web");
        worker = wheel.startSpoke("app-spoke", "worker");
    }

    @AfterAll
    static void down() {
        Wheel.stop(worker, web, hub);
    }

    static String out(String... args) {
        return wheel.out(args);
    }

    /** A request through nginx, from inside the web container (its network is its own loopback). */
    static String nginx(String path, String... post) {
        List<String> cmd = new ArrayList<>(List.of("wget", "-qO-"));
        if (post.length > 0) {
            cmd.add("--post-data=" + post[0]);
        }
        cmd.add("http://127.0.0.1:8080" + path);
        try {
            return web.execInContainer(cmd.toArray(String[]::new)).getStdout();
        } catch (Exception e) {
            return "";
        }
    }

    static void await(Duration timeout, BooleanSupplier cond, String what) throws InterruptedException {
        Wheel.await(timeout, 250, cond, what, () -> "\nctl --all status:\n" + out("--all", "status") + "\nweb log:\n"
                + web.getLogs() + "\nworker log:\n" + worker.getLogs() + "\nhub log:\n" + hub.getLogs());
    }

    @Test
    @Order(1)
    void nginxAnswersForTheAppAndEveryProgramRuns() throws Exception {
        await(Duration.ofSeconds(90), () -> nginx("/").contains("Hello from the app wheel (served by web-1)"),
                "the app's answer through nginx");
        await(Duration.ofSeconds(60), () -> {
            String s = out("--all", "status");
            return s.matches("(?s).*web: web:nginx +RUNNING.*") && s.matches("(?s).*web: web:app +RUNNING.*")
                    && s.matches("(?s).*worker: worker:queue-worker_0 +RUNNING.*")
                    && s.matches("(?s).*worker: worker:queue-worker_1 +RUNNING.*")
                    && s.matches("(?s).*worker: worker:report +RUNNING.*");
        }, "all five programs RUNNING");
        for (GenericContainer<?> c : List.of(web, worker)) {
            await(Duration.ofSeconds(90), () -> "healthy".equals(c.getDockerClient().inspectContainerCmd(
                    c.getContainerId()).exec().getState().getHealth().getStatus()), "the spoke's HEALTHCHECK");
        }
        assertTrue(web.getLogs().contains("nginx | 127.0.0.1 - - "), "nginx's access log in docker logs:\n"
                + web.getLogs());
    }

    @Test
    @Order(2)
    void aJobQueuedThroughNginxIsDoneByAWorkerAndReported() throws Exception {
        String queued = nginx("/jobs", "resize-42");
        assertTrue(queued.startsWith("queued "), queued);
        await(Duration.ofSeconds(30), () -> nginx("/done").matches("(?s).*resize-42 by queue-worker_[01].*"),
                "the job done by a worker");
        await(Duration.ofSeconds(30), () -> nginx("/report").matches("jobs done: [1-9]\\d* at .*\\n"),
                "the scheduled report");
    }

    @Test
    @Order(3)
    void aPushedGreetingRestartsOnlyTheApp() throws Exception {
        String nginxPid = out("-w", "web", "pid", "web:nginx").strip();
        String appPid = out("-w", "web", "pid", "web:app").strip();
        String ini = "supervisor/conf.d/web.ini";
        wheel.push("new greeting", Map.of(ini, Files.readString(work.resolve(ini)).replace("Hello from the app wheel",
                "Version two says hi")));
        await(Duration.ofSeconds(60), () -> nginx("/").contains("Version two says hi (served by web-1)"),
                "the new greeting through nginx");
        assertNotEquals(appPid, out("-w", "web", "pid", "web:app").strip(), "the app restarted");
        assertEquals(nginxPid, out("-w", "web", "pid", "web:nginx").strip(), "nginx kept running");
    }

    @Test
    @Order(4)
    void aKilledWorkerIsRespawnedAndJobsKeepFlowing() throws Exception {
        String p = out("-w", "worker", "pid", "worker:queue-worker_0").strip();
        assertTrue(p.matches("[1-9]\\d*"), p);
        worker.execInContainer("kill", "-9", p);
        await(Duration.ofSeconds(30), () -> {
            String now = out("-w", "worker", "pid", "worker:queue-worker_0").strip();
            return now.matches("[1-9]\\d*") && !now.equals(p)
                    && out("-w", "worker", "status", "worker:queue-worker_0").contains("RUNNING");
        }, "queue-worker_0 respawned");
        for (int i = 0; i < 4; i++) {
            assertTrue(nginx("/jobs", "after-kill-" + i).startsWith("queued "));
        }
        await(Duration.ofSeconds(30), () -> {
            String done = nginx("/done");
            return List.of(0, 1, 2, 3).stream().allMatch(i -> done.contains("after-kill-" + i + " by queue-worker_"));
        }, "the jobs queued after the kill done");
    }
}
