package dev.radial.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.testing.Reference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * examples/single-container: nginx + app in one container under the spoke as supervisord. Requests go through
 * nginx; when the app dies, fail_fast stops nginx too and the container exits 1 for the platform to restart it.
 * Also: the bundle /opt/radial still works moved elsewhere, and the application image it was added to has no Java.
 */
class SingleContainerTest {
    static Reference.Run docker(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        return Reference.run(cmd, Map.of(), Images.TOP, 180);
    }

    static String exec(String name, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("exec", name));
        cmd.addAll(List.of(args));
        return docker(cmd.toArray(String[]::new)).stdout();
    }

    static void awaitThroughNginx(String name) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline) {
            last = exec(name, "wget", "-qO-", "http://127.0.0.1:8080/");
            if (last.contains("Hello from one container")) {
                return;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("no answer through nginx; logs:\n" + docker("logs", name).stdout()
                + docker("logs", name).stderr());
    }

    @Test
    void whenTheAppDiesTheContainerExitsOneAndNginxIsStoppedFirst() throws Exception {
        Images.ensureAppsBuilt();
        String name = "radial-single-" + Images.RUN;
        Reference.Run run = docker("run", "-d", "--name", name, "--network", "none", Images.image("single"));
        assertEquals(0, run.exit(), run.stderr());
        try {
            awaitThroughNginx(name);
            // both RUNNING (past startsecs): a program that dies while STARTING is retried (startretries), as
            // under supervisord; fail_fast acts on an unexpected exit from RUNNING or on FATAL
            long deadline = System.nanoTime() + 60_000_000_000L;
            String ctl = "";
            while (System.nanoTime() < deadline && !(ctl.matches("(?s).*app +RUNNING.*")
                    && ctl.matches("(?s).*nginx +RUNNING.*"))) {
                Thread.sleep(200);
                ctl = exec(name, "ctl", "-c", "/etc/app/supervisord.conf", "status");
            }
            assertTrue(ctl.matches("(?s).*app +RUNNING.*") && ctl.matches("(?s).*nginx +RUNNING.*"), ctl);
            String pid = exec(name, "ctl", "-c", "/etc/app/supervisord.conf", "pid", "app").strip();
            assertTrue(pid.matches("[1-9]\\d*"), pid);
            exec(name, "kill", "-9", pid);
            Reference.Run wait = docker("wait", name);
            assertEquals("1", wait.stdout().strip(), "the container's exit code");
            String logs = docker("logs", name).stdout() + docker("logs", name).stderr();
            assertTrue(logs.contains("fail_fast: app exited unexpectedly; shutting down with exit code 1"), logs);
            assertTrue(logs.contains("stopped: nginx"), logs);
        } finally {
            docker("rm", "-f", name);
        }
    }

    @Test
    void theBundleRunsFromAnotherDirectoryAndTheAppImageHasNoJava() throws Exception {
        Images.ensureAppsBuilt();
        Reference.Run bare = docker("run", "--rm", "--network", "none", "--entrypoint", "/bin/sh",
                Images.image("example-app"), "-c", "ls /opt/radial || ls /opt/jre || command -v java || echo no-java");
        assertEquals("no-java", bare.stdout().strip(), bare.stdout() + bare.stderr());
        // moved, and reached through a symlink from elsewhere on PATH: the launchers find their JRE and jars
        String script = "set -e; mv /opt/radial /srv/moved; ln -s /srv/moved/bin/ctl /bin/supervisorctl; "
                + "/srv/moved/bin/supervisord -c /etc/app/supervisord.conf & "
                + "i=0; until wget -qO- http://127.0.0.1:8080/ 2>/dev/null; do i=$((i+1)); [ $i -lt 600 ]; sleep 0.2; done; "
                + "ps -o args | grep '^/srv/moved/jre/bin/java ' >/dev/null; echo java-from-moved; "
                + "supervisorctl -c /etc/app/supervisord.conf shutdown; wait";
        Reference.Run moved = docker("run", "--rm", "--network", "none", "--entrypoint", "/bin/sh",
                Images.image("single"), "-c", script);
        assertEquals(0, moved.exit(), moved.stdout() + moved.stderr());
        assertTrue(moved.stdout().contains("Hello from one container"), moved.stdout() + moved.stderr());
        assertTrue(moved.stdout().contains("java-from-moved"), moved.stdout() + moved.stderr());
        assertTrue(!(moved.stdout() + moved.stderr()).contains("ANSI_X3.4-1968"),
                "the image's C.UTF-8 locale is used:\n" + moved.stderr());
    }
}
