package dev.radial.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.testing.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * A whole wheel in containers: the hub clones a bare repository mounted into it, two spokes start only their
 * own groups, ctl on the host reaches both through the bind-mounted /run, pushes reach the spokes live, a bad
 * commit changes nothing, a killed child is restarted, a restarted hub disturbs nobody, docker stop is clean.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WheelContainersTest {
    @TempDir
    static Path root;
    static Wheel wheel;
    static Path work;
    static GenericContainer<?> hub;
    static GenericContainer<?> web;
    static GenericContainer<?> worker;

    static GenericContainer<?> startHub() {
        return wheel.startHub(Map.of("HUB_HTTP_PORT", "8080"));
    }

    @BeforeAll
    static void wheel() throws Exception {
        Images.ensureBuilt();
        wheel = new Wheel(root, "examples/wheel");
        work = wheel.work;
        hub = startHub();
        web = wheel.startSpoke("spoke", "web");
        worker = wheel.startSpoke("spoke", "worker");
    }

    @AfterAll
    static void down() {
        Wheel.stop(worker, web, hub);
    }

    static Reference.Run ctl(String... args) throws Exception {
        return wheel.ctl(args);
    }

    static String out(String... args) {
        return wheel.out(args);
    }

    static void await(Duration timeout, BooleanSupplier cond, String what) throws InterruptedException {
        Wheel.await(timeout, 200, cond, what, () -> "\nctl --all status:\n" + out("--all", "status") + "\nhub log:\n"
                + hub.getLogs());
    }

    static void push(String message, Map<String, String> files) throws Exception {
        wheel.push(message, files);
    }

    static String pid(String spoke, String name) throws Exception {
        return ctl("-w", spoke, "pid", name).stdout().strip();
    }

    @Test
    @Order(1)
    void eachSpokeRunsOnlyItsOwnGroupAndCtlSeesBoth() throws Exception {
        await(Duration.ofSeconds(60), () -> out("--all", "status").matches("(?s).*web: web +RUNNING.*")
                && out("--all", "status").matches("(?s).*worker: worker-group:worker +RUNNING.*"), "both groups");
        String all = out("--all", "--all-groups", "status");
        assertTrue(all.matches("(?s).*worker: web +STOPPED.*"), all);
        assertTrue(all.matches("(?s).*web: worker-group:worker +STOPPED.*"), all);
        String html = web.execInContainer("wget", "-qO-", "http://127.0.0.1:8000/").getStdout();
        assertTrue(html.contains("Hello from the example wheel"), html);
        assertTrue(web.getLogs().contains("web | "), "child output in docker logs, prefixed:\n" + web.getLogs());
    }

    @Test
    @Order(2)
    void pushReachesBothSpokesWhileUnchangedProgramsKeepTheirPids() throws Exception {
        String webPid = pid("web", "web");
        String workerPid = pid("worker", "worker-group:worker");
        String ini = Files.readString(work.resolve("supervisor/conf.d/worker.ini"));
        push("add a reporter", Map.of("supervisor/conf.d/worker.ini", ini.replace("programs=worker",
                "programs=worker,reporter") + "\n[program:reporter]\ncommand=/bin/sh -c 'while true; do sleep 1; done'"
                + "\nautostart=false\nstartsecs=0\n"));
        long t0 = System.nanoTime();
        await(Duration.ofSeconds(60), () -> out("--all", "status").matches(
                "(?s).*worker: worker-group:reporter +RUNNING.*"), "the pushed program to run on its spoke");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        await(Duration.ofSeconds(30), () -> out("-w", "web", "avail").contains("worker-group:reporter"),
                "the web spoke to know the new program too");
        assertEquals(webPid, pid("web", "web"), "web's program kept its pid");
        assertEquals(workerPid, pid("worker", "worker-group:worker"), "the unchanged worker kept its pid");
        assertTrue(ms < 30_000, "push to RUNNING took " + ms + " ms");
    }

    @Test
    @Order(3)
    void badCommitIsRejectedAndNothingRestarts() throws Exception {
        String before = out("--all", "pid", "all");
        String ini = Files.readString(work.resolve("supervisor/conf.d/web.ini"));
        push("broken", Map.of("supervisor/conf.d/web.ini", ini.replace("startsecs=1", "startsecs=soon")));
        await(Duration.ofSeconds(30), () -> hub.getLogs().contains("startsecs: 'soon' is not an integer"),
                "the hub to reject the commit");
        assertTrue(Files.readString(root.resolve("config/supervisor/conf.d/web.ini")).contains("startsecs=1"),
                "the last good config stays published");
        Thread.sleep(2000);
        assertEquals(before, out("--all", "pid", "all"), "no process restarted");
        push("fixed", Map.of("supervisor/conf.d/web.ini", ini));
    }

    @Test
    @Order(4)
    void aKilledChildIsRestarted() throws Exception {
        String p = pid("web", "web:web-cron");
        web.execInContainer("kill", "-9", p);
        await(Duration.ofSeconds(30), () -> {
            String now = out("-w", "web", "pid", "web:web-cron").strip();
            return now.matches("[1-9]\\d*") && !now.equals(p);
        }, "web-cron to be respawned");
        assertNotEquals(p, pid("web", "web:web-cron"));
    }

    @Test
    @Order(5)
    void aRestartedHubDisturbsNoSpoke() throws Exception {
        String before = out("--all", "pid", "all");
        hub.stop();
        assertTrue(!Files.exists(root.resolve("run/hub.lock")), "the stopped hub left no lock");
        hub = startHub();
        await(Duration.ofSeconds(60), () -> hub.getLogs().contains("hub: sync "), "the new hub to sync");
        Thread.sleep(2000);
        assertEquals(before, out("--all", "pid", "all"), "spokes kept every process");
    }

    @Test
    @Order(6)
    void dockerStopOfASpokeIsCleanAndQuick() throws Exception {
        String id = worker.getContainerId();
        long t0 = System.nanoTime();
        worker.getDockerClient().stopContainerCmd(id).withTimeout(30).exec();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        var state = worker.getDockerClient().inspectContainerCmd(id).exec().getState();
        assertEquals(0L, state.getExitCodeLong(), "exit code of the spoke");
        assertTrue(ms < 20_000, "stopped in " + ms + " ms (stopwaitsecs is 10)");
        String log = worker.getLogs();
        assertTrue(log.contains("stopped: worker"), log);
        // the base image carries glibc's C.UTF-8: with no locale set the spoke's file names are UTF-8
        assertTrue(!log.contains("file-name encoding is"), log);
    }
}
