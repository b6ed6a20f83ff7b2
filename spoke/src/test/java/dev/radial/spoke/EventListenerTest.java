package dev.radial.spoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.testing.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Python listener written with supervisor.childutils runs under the real supervisord and under our spoke
 * through the same scenario (start, log lines, capture mode, crash, backoff, fatal, expected exit, remote
 * event with one rejection, stop); the events each records must be the same, process by process.
 */
class EventListenerTest {
    static final Path RESOURCES = Path.of("src/test/resources/events").toAbsolutePath();

    @BeforeAll
    static void reference() {
        Reference.require();
    }

    /**
     * The crasher's startsecs is 10, not 1: supervisord checks startsecs on its tick before it reaps an exit, so on a
     * loaded machine a child that exited at once but was reaped after 1 s was first RUNNING (then EXITED), and the
     * reference's events were not the same from run to run.
     */
    static String config(Path dir) {
        return """
                [eventlistener:recorder]
                command=%s -u %s %s
                events=PROCESS_STATE,PROCESS_LOG,PROCESS_COMMUNICATION,REMOTE_COMMUNICATION,SUPERVISOR_STATE_CHANGE,PROCESS_GROUP
                buffer_size=100
                [program:talker]
                command=/bin/sh -c 'sleep 1; echo hello-log; sleep 0.2; printf "<!--XSUPERVISOR:BEGIN-->captured-data<!--XSUPERVISOR:END-->"; exec /bin/sleep 1000'
                startsecs=0
                priority=10
                stdout_events_enabled=true
                stdout_capture_maxbytes=1MB
                [program:crasher]
                command=/bin/sh -c 'exit 3'
                startsecs=10
                startretries=1
                priority=20
                [program:exiter]
                command=/bin/sh -c 'sleep 0.5; exit 0'
                startsecs=0
                autorestart=false
                priority=30
                """.formatted(Reference.PYTHON, RESOURCES.resolve("recorder.py"), dir.resolve("events.txt"));
    }

    static Map<String, List<String>> scenario(Daemons.Running d, Path dir) throws Exception {
        Path events = dir.resolve("events.txt");
        Daemons.await(Duration.ofSeconds(30), () -> {
            String s = Daemons.read(events);
            return s.contains("crasher PROCESS_STATE_FATAL") && s.contains("exiter PROCESS_STATE_EXITED")
                    && s.contains("PROCESS_COMMUNICATION_STDOUT");
        }, "the start-up events; so far:\n" + Daemons.read(events));
        Reference.Run r = Reference.run(List.of(Reference.PYTHON.toString(), RESOURCES.resolve("remote.py").toString(),
                dir.resolve("supervisor.sock").toString(), "deploy", "v42"), null, dir, 30);
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(0, d.ctl("stop", "talker").exit());
        Daemons.await(Duration.ofSeconds(30), () -> Daemons.read(events).contains("talker PROCESS_STATE_STOPPED")
                && Daemons.read(events).contains("type=deploy 'v42'\n"), "the stop and the remote event");
        // group by source: the order within one process is fixed, across processes it is a race
        Map<String, List<String>> by = new TreeMap<>();
        for (String line : Files.readAllLines(events)) {
            by.computeIfAbsent(line.substring(0, line.indexOf(' ')), k -> new java.util.ArrayList<>()).add(line);
        }
        return by;
    }

    @Test
    void sameEventsAsSupervisord(@TempDir Path dir) throws Exception {
        Map<String, List<String>> ref;
        Path refDir = dir.resolve("ref");
        try (Daemons.Running d = Daemons.supervisord(Daemons.config(refDir, config(refDir)))) {
            ref = scenario(d, refDir);
        }
        Map<String, List<String>> ours;
        Path ourDir = dir.resolve("ours");
        try (Daemons.Running d = Daemons.spoke(Daemons.config(ourDir, config(ourDir)))) {
            ours = scenario(d, ourDir);
        }
        String refText = ref.toString();
        assertTrue(refText.contains("talker PROCESS_LOG_STDOUT 'hello-log\\n'"), refText);
        assertTrue(refText.contains("crasher PROCESS_STATE_BACKOFF from_state=STARTING tries=2"), refText);
        assertTrue(refText.contains("remote REMOTE_COMMUNICATION rejected-once"), refText);
        assertEquals(ref.keySet(), ours.keySet());
        for (String k : ref.keySet()) {
            assertEquals(ref.get(k).stream().collect(Collectors.joining("\n")),
                    ours.get(k).stream().collect(Collectors.joining("\n")), "events of " + k);
        }
    }

    @Test
    void protocolViolationsAndOverflowAreReportedAsSupervisordDoes(@TempDir Path dir) throws Exception {
        Path conf = Daemons.config(dir, """
                [eventlistener:chatty]
                command=/bin/sh -c 'echo not-the-protocol; exec /bin/sleep 1000'
                events=PROCESS_STATE
                [eventlistener:deaf]
                command=/bin/sleep 1000
                events=PROCESS_STATE
                buffer_size=2
                [program:flapper]
                command=/bin/sh -c 'sleep 0.2; exit 1'
                startsecs=0
                autorestart=true
                """);
        try (Daemons.Running d = Daemons.spoke(conf)) {
            Path log = dir.resolve("supervisord.log");
            Daemons.await(Duration.ofSeconds(30), () -> Daemons.read(log).contains("chatty: has entered the UNKNOWN "
                    + "state and will no longer receive events, this usually indicates the process violated the "
                    + "eventlistener protocol"), "the UNKNOWN warning");
            Daemons.await(Duration.ofSeconds(30), () -> Daemons.read(log).matches(
                    "(?s).*ERRO pool deaf event buffer overflowed, discarding event \\d+.*"), "the overflow error");
            assertTrue(d.ctl("status", "flapper").stdout().contains("flapper"), "supervision goes on");
        }
    }

    @Test
    void failFastShutsTheSpokeDownWithExitCode1(@TempDir Path dir) throws Exception {
        Path conf = Daemons.config(dir, """
                [program:essential]
                command=/bin/sh -c 'sleep 4; exit 4'
                startsecs=0
                autorestart=false
                fail_fast=true
                [program:bystander]
                command=/bin/sleep 1050
                startsecs=0
                """);
        Daemons.Running d = Daemons.spoke(conf);
        try {
            assertTrue(d.process().waitFor(30, TimeUnit.SECONDS), "the spoke shut itself down");
            assertEquals(1, d.process().exitValue());
            String log = Files.readString(dir.resolve("supervisord.log"));
            assertTrue(log.contains("fail_fast: essential exited unexpectedly"), log);
            assertTrue(log.contains("stopped: bystander"), "an orderly shutdown: " + log);
        } finally {
            d.close();
        }
    }
}
