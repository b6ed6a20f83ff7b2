package dev.radial.spoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.client.ServerUrl;
import dev.radial.common.client.SupervisorClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spoke in Radial mode on the project's own skeleton (config-skeleton/), as a hub publishes it: it starts only its
 * own group, at boot and after a publish, whatever autostart= the other programs have (a standalone
 * {@code [program:x]} in a {@code conf.d/*.conf} included); and a program of its group fixed by a push runs again
 * (FATAL, BACKOFF, RUNNING before the change), while one stopped on purpose stays stopped.
 */
class RadialSpokeTest {
    private static final Path SKELETON = Path.of("..", "config-skeleton", "supervisor", "supervisord.conf");

    private static Map<String, String> env(Path root, String spoke, String host) {
        Map<String, String> env = new HashMap<>();
        env.put("SPOKE_NAME", spoke);
        env.put("HOSTNAME", host);
        for (String r : List.of("config", "log", "run", "data")) {
            env.put("RADIAL_" + r.toUpperCase(java.util.Locale.ROOT) + "_ROOT", root.resolve(r).toString());
        }
        return env;
    }

    /** A published /config: the skeleton plus conf.d files; returns conf.d. */
    private static Path publish(Path root, Map<String, String> confd) throws Exception {
        Path dir = root.resolve("config/supervisor/conf.d");
        Files.createDirectories(dir);
        Files.copy(SKELETON, root.resolve("config/supervisor/supervisord.conf"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        for (String r : List.of("log", "run", "data")) {
            Files.createDirectories(root.resolve(r));
        }
        for (Map.Entry<String, String> f : confd.entrySet()) {
            Files.writeString(dir.resolve(f.getKey()), f.getValue());
        }
        return dir;
    }

    private static String status(Daemons.Running d) {
        try {
            return d.ctl("status").stdout();
        } catch (Exception e) {
            return "";
        }
    }

    private static boolean has(String status, String name, String state) {
        return Pattern.compile("(?m)^" + Pattern.quote(name) + " +" + state + "\\b").matcher(status).find();
    }

    private static void awaitState(Daemons.Running d, String name, String state) throws InterruptedException {
        Daemons.await(Duration.ofSeconds(30), () -> has(status(d), name, state), name + " to be " + state
                + "; status:\n" + status(d));
    }

    /** What the hub does after a publish (hub/live/SpokeUpdater): reloadConfig, add, update program by program. */
    @SuppressWarnings("unchecked")
    private static void applyAsTheHub(Path socket) throws Exception {
        try (SupervisorClient c = SupervisorClient.to(ServerUrl.unix(socket)).timeout(Duration.ofSeconds(30)).open()) {
            List<Object> triple = (List<Object>) ((List<Object>) c.call("supervisor.reloadConfig")).get(0);
            for (Object g : (List<Object>) triple.get(0)) {
                c.call("supervisor.addProcessGroup", g);
            }
            for (Object g : (List<Object>) triple.get(1)) {
                c.call("radial.updateProcessGroup", g);
            }
        }
    }

    private static final String WEB = """
            [group:web]
            programs=app
            [program:app]
            command=/bin/sleep 2101
            autostart=false
            startsecs=0
            """;

    @Test
    void onlyTheOwnGroupStartsAtBootAndAfterAPublish(@TempDir Path root) throws Exception {
        Path confd = publish(root, Map.of("web.ini", WEB,
                // supervisord's default autostart=true, in a *.conf as Debian's layout has them
                "loose.conf", "[program:loose]\ncommand=/bin/sleep 2102\nstartsecs=0\n",
                "worker.ini", "[group:worker-group]\nprograms=job\n[program:job]\ncommand=/bin/sleep 2103\n"
                        + "autostart=true\nstartsecs=0\n"));
        try (Daemons.Running d = Daemons.radialSpoke(env(root, "web", "w1"), root.resolve("run"))) {
            awaitState(d, "web:app", "RUNNING");
            // at boot every process is transitioned in the same pass: had they been started, they would be by now
            String s = status(d);
            assertTrue(has(s, "loose", "STOPPED +Not started"), "a .conf program is loaded, not started:\n" + s);
            assertTrue(has(s, "worker-group:job", "STOPPED +Not started"), s);
            assertEquals(0, Daemons.processesRunning("/bin/sleep 2102"));
            assertEquals(0, Daemons.processesRunning("/bin/sleep 2103"));

            // a publish: a new standalone program (autostart=true) and a new program in the own group
            Files.writeString(confd.resolve("more.conf"), "[program:loose2]\ncommand=/bin/sleep 2104\nstartsecs=0\n");
            Files.writeString(confd.resolve("web.ini"), WEB.replace("programs=app", "programs=app,app2")
                    + "[program:app2]\ncommand=/bin/sleep 2105\nautostart=false\nstartsecs=0\n");
            applyAsTheHub(root.resolve("run/supervisor/w1/supervisor.sock"));
            // loose2 was added before web was updated: it would have been spawned before app2
            awaitState(d, "web:app2", "RUNNING");
            s = status(d);
            assertTrue(has(s, "loose2", "STOPPED +Not started"), s);
            assertTrue(has(s, "web:app", "RUNNING"), s);
            assertEquals(0, Daemons.processesRunning("/bin/sleep 2104"));

            // supervisorctl's own update (stop, remove, re-add) follows the same rule
            Files.writeString(confd.resolve("third.conf"), "[program:loose3]\ncommand=/bin/sleep 2106\nstartsecs=0\n");
            Files.writeString(confd.resolve("web.ini"), WEB.replace("2101", "2107"));
            assertEquals(0, d.ctl("update").exit());
            awaitState(d, "web:app", "RUNNING");
            s = status(d);
            assertTrue(has(s, "loose3", "STOPPED +Not started"), s);
            assertEquals(0, Daemons.processesRunning("/bin/sleep 2106"));
        }
    }

    private static final String BROKEN = """
            [group:web]
            programs=fixme,flappy,steady,parked
            [program:fixme]
            command=/nonexistent/bin/app
            autostart=false
            startretries=0
            startsecs=0
            [program:flappy]
            command=/bin/sh -c 'exit 3'
            autostart=false
            startsecs=30
            startretries=1000
            [program:steady]
            command=/bin/sleep 2111
            autostart=false
            startsecs=0
            [program:parked]
            command=/bin/sleep 2112
            autostart=false
            startsecs=0
            """;

    private static final String FIXED = BROKEN.replace("/nonexistent/bin/app", "/bin/sleep 2113")
            .replace("/bin/sh -c 'exit 3'", "/bin/sleep 2114").replace("2111", "2115").replace("2112", "2116");

    @Test
    void aPushFixingTheOwnGroupBringsBackWhatWasMeantToRun(@TempDir Path root) throws Exception {
        Path confd = publish(root, Map.of("web.ini", BROKEN));
        try (Daemons.Running d = Daemons.radialSpoke(env(root, "web", "w2"), root.resolve("run"))) {
            awaitState(d, "web:fixme", "FATAL");
            awaitState(d, "web:flappy", "(BACKOFF|STARTING)");
            awaitState(d, "web:parked", "RUNNING");
            assertEquals(0, d.ctl("stop", "web:parked").exit());
            Files.writeString(confd.resolve("web.ini"), FIXED);
            applyAsTheHub(root.resolve("run/supervisor/w2/supervisor.sock"));
            awaitState(d, "web:fixme", "RUNNING");
            awaitState(d, "web:steady", "RUNNING");
            Daemons.await(Duration.ofSeconds(30), () -> Daemons.processesRunning("/bin/sleep 2114") == 1,
                    "flappy to run its new command; status:\n" + status(d));
            String s = status(d);
            // stopped on purpose before the change: stays stopped
            assertTrue(has(s, "web:parked", "STOPPED"), s);
            assertEquals(0, Daemons.processesRunning("/bin/sleep 2116"), s);
        }
    }

    @Test
    void updateProcessGroupRestartsAFatalProgramOutsideRadialModeToo(@TempDir Path dir) throws Exception {
        Path conf = Daemons.config(dir, """
                [program:fixme]
                command=/bin/sh -c 'exit 3'
                autostart=false
                startretries=0
                startsecs=1
                [program:steady]
                command=/bin/sleep 2118
                autostart=false
                """);
        try (Daemons.Running d = Daemons.spoke(conf)) {
            // autostart=false: started by hand, it exits at once and goes FATAL
            assertEquals(7, d.ctl("start", "fixme").exit());
            awaitState(d, "fixme", "FATAL");
            Files.writeString(conf, Files.readString(conf).replace("/bin/sh -c 'exit 3'", "/bin/sleep 2117"));
            try (SupervisorClient c = SupervisorClient.to(ServerUrl.unix(dir.resolve("supervisor.sock")))
                    .timeout(Duration.ofSeconds(30)).open()) {
                c.call("supervisor.reloadConfig");
                c.call("radial.updateProcessGroup", "fixme");
            }
            awaitState(d, "fixme", "RUNNING");
            // autostart=false programs that were never started stay so
            assertTrue(has(status(d), "steady", "STOPPED +Not started"), status(d));
        }
    }
}
