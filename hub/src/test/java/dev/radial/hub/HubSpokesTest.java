package dev.radial.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.testing.Reference;
import dev.radial.spoke.Daemons;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spokes that misbehave cost only themselves: a socket answering every call with an int, one that never answers
 * and one that closes at once are each that spoke's failed outcome while the hub keeps running and a real spoke
 * applies the push; a SIGSTOPped spoke does not delay a live one (updates run in parallel).
 */
class HubSpokesTest {
    static final String V1 = "[group:web]\nprograms=app\n[program:app]\ncommand=/bin/sleep 1030\nautostart=false\n"
            + "startsecs=0\n";
    static final String V2 = V1.replace("programs=app", "programs=app,worker")
            + "[program:worker]\ncommand=/bin/sleep 1031\nautostart=false\nstartsecs=0\n";

    static Settings settings(Path root, GitRepo wheel, int spokeTimeoutSeconds) throws Exception {
        Settings s = HubTest.settings(root, Map.of("WHEEL_REPO", wheel.dir.toString()), 0, HubDaemonTest.SECRET);
        return new Settings(s.configRoot(), s.runRoot(), s.dataRoot(), s.sources(), s.pollSeconds(),
                s.timeoutSeconds(), s.httpPort(), s.webhookSecret(), s.permissions(), s.env(), spokeTimeoutSeconds,
                null);
    }

    static Map<String, String> spokeEnv(Path root, Settings s, String host) {
        Map<String, String> env = new HashMap<>();
        env.put("SPOKE_NAME", "web");
        env.put("HOSTNAME", host);
        env.put("RADIAL_CONFIG_ROOT", s.configRoot().toString());
        env.put("RADIAL_RUN_ROOT", s.runRoot().toString());
        env.put("RADIAL_LOG_ROOT", root.resolve("log").toString());
        env.put("RADIAL_DATA_ROOT", s.dataRoot().toString());
        return env;
    }

    /** The last recorded outcome of the spoke on {@code host}, as "result@revision", or "" if none yet. */
    @SuppressWarnings("unchecked")
    static String outcome(Hub hub, String host) {
        for (Object o : (List<Object>) hub.state().toMap(true).get("spokes")) {
            Map<String, Object> m = (Map<String, Object>) o;
            if (m.get("host").equals(host)) {
                return m.get("result") + "@" + m.get("revision");
            }
        }
        return "";
    }

    @Test
    void hostileSpokeSocketsAreTheirOwnFailureAndARealSpokeStillApplies(@TempDir Path root) throws Exception {
        Reference.require();
        GitRepo wheel = new GitRepo(root.resolve("wheel"), "config");
        wheel.commit("web", Map.of("supervisor/conf.d/web.ini", V1));
        Settings s = settings(root, wheel, 3);
        try (FakeSpoke ints = new FakeSpoke(s.runRoot(), "a-int", FakeSpoke.Behaviour.ANSWERS_INT);
                FakeSpoke silent = new FakeSpoke(s.runRoot(), "b-silent", FakeSpoke.Behaviour.NEVER_ANSWERS);
                FakeSpoke closes = new FakeSpoke(s.runRoot(), "c-closes", FakeSpoke.Behaviour.CLOSES_AT_ONCE);
                HubDaemonTest.Running r = HubDaemonTest.start(s)) {
            Daemons.await(Duration.ofSeconds(30), () -> r.hub().state().ready(), "the first publish");
            String v1 = (String) r.hub().state().toMap().get("revision");
            Daemons.await(Duration.ofSeconds(30), () -> outcome(r.hub(), "a-int").startsWith("failed@")
                    && outcome(r.hub(), "b-silent").startsWith("timed_out@")
                    && outcome(r.hub(), "c-closes").startsWith("unreachable@"),
                    "each fake's outcome; hub log:\n" + r.log());
            assertTrue(r.thread().isAlive(), "the hub survived the int-answering socket");
            String status = r.hub().state().toMap().toString();
            assertTrue(status.contains("unexpected answer, not supervisord's API (ClassCastException)"), status);

            try (Daemons.Running spoke = Daemons.radialSpoke(spokeEnv(root, s, "z-real"), s.runRoot())) {
                Daemons.await(Duration.ofSeconds(30), () -> outcome(r.hub(), "z-real").equals("applied@" + v1),
                        "the catch-up scan to reach the real spoke; hub log:\n" + r.log());
                wheel.commit("add worker", Map.of("supervisor/conf.d/web.ini", V2));
                r.hub().trigger("test");
                Daemons.await(Duration.ofSeconds(30), () -> HubDaemonTest.status(spoke)
                        .matches("(?s).*web:worker +RUNNING.*"), "the pushed program to run; hub log:\n" + r.log());
                String v2 = (String) r.hub().state().toMap().get("revision");
                Daemons.await(Duration.ofSeconds(30), () -> outcome(r.hub(), "a-int").equals("failed@" + v2)
                        && outcome(r.hub(), "b-silent").equals("timed_out@" + v2)
                        && outcome(r.hub(), "z-real").equals("applied@" + v2), "every spoke tried at " + v2);
                assertTrue(r.thread().isAlive(), "the hub is still running; log:\n" + r.log());
                assertEquals(200, HubDaemonTest.get(r.url("/healthz")).statusCode());
            }
        }
    }

    @Test
    void groupsAnotherClientAddedOrRemovedMeanwhileAreApplied(@TempDir Path root) throws Exception {
        GitRepo wheel = new GitRepo(root.resolve("wheel"), "config");
        wheel.commit("web", Map.of("supervisor/conf.d/web.ini", V1));
        Settings s = settings(root, wheel, 10);
        try (FakeSpoke raced = new FakeSpoke(s.runRoot(), "r-raced", "web",
                FakeSpoke.Behaviour.RACED_BY_ANOTHER_CLIENT);
                HubDaemonTest.Running r = HubDaemonTest.start(s)) {
            Daemons.await(Duration.ofSeconds(30), () -> r.hub().state().ready(), "the first publish");
            String v1 = (String) r.hub().state().toMap().get("revision");
            Daemons.await(Duration.ofSeconds(30), () -> outcome(r.hub(), "r-raced").equals("applied@" + v1),
                    "the raced spoke applied (ALREADY_ADDED is the state the hub wanted); hub log:\n" + r.log());
            assertEquals(List.of("supervisor.reloadConfig", "supervisor.stopProcessGroup", "supervisor.addProcessGroup",
                    "supervisor.startProcessGroup"), raced.calls, "the spoke's own group is still started");
            assertTrue(r.log().toString().contains("-old(already removed) +web(already added)"), r.log().toString());
        }
    }

    @Test
    void aStoppedSpokeDoesNotDelayALiveOne(@TempDir Path root) throws Exception {
        Reference.require();
        GitRepo wheel = new GitRepo(root.resolve("wheel"), "config");
        wheel.commit("web", Map.of("supervisor/conf.d/web.ini", V1));
        Settings s = settings(root, wheel, 10);
        try (HubDaemonTest.Running r = HubDaemonTest.start(s)) {
            Daemons.await(Duration.ofSeconds(30), () -> r.hub().state().ready(), "the first publish");
            // "a-" sorts first: updated one after another, the live spoke would wait for the stopped one
            try (Daemons.Running stopped = Daemons.radialSpoke(spokeEnv(root, s, "a-stopped"), s.runRoot());
                    Daemons.Running live = Daemons.radialSpoke(spokeEnv(root, s, "b-live"), s.runRoot())) {
                String v1 = (String) r.hub().state().toMap().get("revision");
                Daemons.await(Duration.ofSeconds(30), () -> outcome(r.hub(), "a-stopped").equals("applied@" + v1)
                        && outcome(r.hub(), "b-live").equals("applied@" + v1), "both spokes caught up");
                signal("STOP", stopped.process().pid());
                try {
                    wheel.commit("add worker", Map.of("supervisor/conf.d/web.ini", V2));
                    long t0 = System.nanoTime();
                    r.hub().trigger("test");
                    Daemons.await(Duration.ofSeconds(30), () -> !r.hub().state().toMap().get("revision").equals(v1),
                            "the publish");
                    String v2 = (String) r.hub().state().toMap().get("revision");
                    Daemons.await(Duration.ofSeconds(5), () -> outcome(r.hub(), "b-live").equals("applied@" + v2),
                            "the live spoke to apply the push within 5 s while the other is stopped; log:\n"
                                    + r.log());
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    assertEquals("updating@" + v2, outcome(r.hub(), "a-stopped"), "the stopped one is still pending");
                    System.out.println("live spoke applied " + ms + " ms after the trigger, beside a stopped spoke");
                    Daemons.await(Duration.ofSeconds(30), () -> HubDaemonTest.status(live)
                            .matches("(?s).*web:worker +RUNNING.*"), "the pushed program to run in the live spoke");
                    Daemons.await(Duration.ofSeconds(60), () -> outcome(r.hub(), "a-stopped")
                            .equals("timed_out@" + v2), "the stopped spoke reported timed out; log:\n" + r.log());
                } finally {
                    signal("CONT", stopped.process().pid());
                }
                String published = (String) r.hub().state().toMap().get("revision");
                Daemons.await(Duration.ofSeconds(60), () -> outcome(r.hub(), "a-stopped")
                        .equals("applied@" + published)
                        && HubDaemonTest.status(stopped).matches("(?s).*web:worker +RUNNING.*"),
                        "the continued spoke to be retried and catch up; log:\n" + r.log());
            }
        }
    }

    static void signal(String sig, long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start().waitFor());
    }
}
