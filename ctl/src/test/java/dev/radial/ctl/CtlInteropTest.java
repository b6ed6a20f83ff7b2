package dev.radial.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.testing.Interrupts;
import dev.radial.common.testing.Reference;
import dev.radial.spoke.Daemons;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both clients (the real supervisorctl and our ctl) against both servers (the real supervisord and our spoke),
 * loaded with the same config: the four combinations must print the same thing (modulo pids and times) and exit
 * with the same codes, command after command, through config changes, auth and shutdown.
 */
class CtlInteropTest {
    private static final String PROGRAMS = """
            [program:run]
            command=/bin/sh -c 'echo out-line; echo err-line >&2; exec /bin/sleep 1000'
            startsecs=0
            [program:off]
            command=/bin/sleep 1000
            autostart=false
            [program:broken]
            command=/no/such/binary
            startretries=0
            [group:pair]
            programs=a,b
            [program:a]
            command=/bin/sleep 1001
            startsecs=0
            [program:b]
            command=/bin/sleep 1002
            startsecs=0
            [include]
            files=conf.d/*.ini
            """;

    /** A server to start on a config. */
    private interface Server {
        Daemons.Running start(Path config) throws IOException, InterruptedException;
    }

    private static final Server SUPERVISORD = Daemons::supervisord;
    private static final Server SPOKE = Daemons::spoke;

    @BeforeAll
    static void reference() {
        Reference.require();
    }

    static String normalize(Reference.Run r, Path dir) {
        String raw = (r.stdout() + r.stderr()).replace(dir.toString(), "DIR");
        String text = Daemons.withoutPidsAndTimes(raw);
        // group results come in completion order, which varies between runs of either server: compare as sorted
        return "exit " + r.exit() + "\n" + text.lines().sorted().collect(Collectors.joining("\n"));
    }

    private static void awaitSettled(Client client, Path conf) throws InterruptedException {
        Daemons.await(Duration.ofSeconds(30), () -> {
            try {
                String s = client.run(conf, "status").stdout();
                return s.contains("broken") && s.contains("FATAL") && s.matches("(?s).*run +RUNNING.*")
                        && s.matches("(?s).*pair:b +RUNNING.*") && s.matches("(?s).*extra +RUNNING.*");
            } catch (Exception e) {
                return false;
            }
        }, "all autostart programs to settle");
    }

    /** One scripted session; returns the transcript. */
    private static List<String> session(Client client, Server server, Path dir) throws Exception {
        Path confd = dir.resolve("conf.d");
        Files.createDirectories(confd);
        Files.writeString(confd.resolve("extra.ini"), "[program:extra]\ncommand=/bin/sleep 1003\nstartsecs=0\n");
        Files.writeString(confd.resolve("gone.ini"), "[program:gone]\ncommand=/bin/sleep 1004\nautostart=false\n");
        Path conf = Daemons.config(dir, PROGRAMS);
        List<String> out = new ArrayList<>();
        try (Daemons.Running d = server.start(conf)) {
            awaitSettled(client, conf);
            String[][] commands = {{"status"}, {"status", "run"}, {"status", "nosuch"}, {"status", "pair:*"},
                {"status", "nosuch:*"}, {"stop", "run"}, {"stop", "run"}, {"start", "run"}, {"start", "run"},
                {"start", "nosuch"}, {"start", "nosuch:*"}, {"start"}, {"stop", "off"}, {"restart", "run"},
                {"signal", "HUP", "run"}, {"signal", "HUP", "off"}, {"signal", "NOPE", "run"}, {"signal", "HUP"},
                {"pid", "run"}, {"pid", "off"}, {"pid", "nosuch"}, {"stop", "pair:*"}, {"start", "pair:*"},
                {"status"}, {"start", "broken"}, {"avail"}, {"tail", "run"}, {"tail", "run", "stderr"},
                {"tail", "-4", "run"}, {"tail", "nosuch"}, {"tail", "run", "bogus"}, {"tail"}, {"tail", "-x", "run"},
                {"maintail", "-x"}, {"maintail", "a", "b"}, {"clear", "run"}, {"clear", "nosuch"}, {"tail", "run"},
                {"version"}, {"version", "x"}, {"fg", "off"}, {"fg"}, {"help"}, {"help", "tail"}, {"help", "nosuch"},
                {"bogus"}, {"reread"}, {"add", "run"}, {"add", "nosuch"}, {"remove", "run"}, {"remove", "nosuch"}};
            for (String[] c : commands) {
                out.add("$ " + String.join(" ", c) + "\n" + normalize(client.run(conf, c), dir));
            }
            // a config change: one program added, one changed, one removed
            Files.writeString(confd.resolve("new.ini"), "[program:new]\ncommand=/bin/sleep 1005\nstartsecs=0\n");
            Files.writeString(confd.resolve("extra.ini"), "[program:extra]\ncommand=/bin/sleep 1006\nstartsecs=0\n");
            Files.delete(confd.resolve("gone.ini"));
            String[][] after = {{"reread"}, {"update", "nosuch"}, {"update"}, {"reread"}, {"update"}, {"status"},
                {"stop", "run"}, {"remove", "run"}, {"add", "run"}, {"status", "run"}, {"stop", "all"}, {"status"},
                {"shutdown", "x"}, {"shutdown"}};
            for (String[] c : after) {
                out.add("$ " + String.join(" ", c) + "\n" + normalize(client.run(conf, c), dir));
            }
            assertTrue(d.process().waitFor(30, TimeUnit.SECONDS), "server exits after shutdown");
            Reference.Run gone = client.run(conf, "status");
            out.add("$ status (after shutdown)\n" + normalize(gone, dir));
        }
        return out;
    }

    @Test
    void sameTranscriptForEveryClientAndServer(@TempDir Path dir) throws Exception {
        List<String> reference = session(Client.SUPERVISORCTL, SUPERVISORD, dir.resolve("sctl-supervisord"));
        String all = String.join("\n", reference);
        for (String expected : List.of("run: stopped", "run: started", "extra: updated process group",
                "gone: removed process group", "new: added process group", "out-line", "err-line", "Shut down")) {
            assertTrue(all.contains(expected), "the reference session did what it should: " + expected + "\n" + all);
        }
        record Combo(String name, List<String> transcript) {
        }
        List<Combo> others = List.of(
                new Combo("supervisorctl -> spoke", session(Client.SUPERVISORCTL, SPOKE, dir.resolve("sctl-spoke"))),
                new Combo("ctl -> supervisord", session(Client.CTL, SUPERVISORD, dir.resolve("ctl-supervisord"))),
                new Combo("ctl -> spoke", session(Client.CTL, SPOKE, dir.resolve("ctl-spoke"))));
        for (Combo c : others) {
            assertEquals(reference.size(), c.transcript().size());
            for (int i = 0; i < reference.size(); i++) {
                assertEquals(reference.get(i), c.transcript().get(i), c.name());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void authenticationOnBothServers(Client client, @TempDir Path dir) throws Exception {
        List<String> transcripts = new ArrayList<>();
        for (Server server : List.of(SUPERVISORD, SPOKE)) {
            Path sub = dir.resolve(server == SPOKE ? "spoke" : "supervisord");
            Path conf = Daemons.config(sub, "[program:run]\ncommand=/bin/sleep 1000\nstartsecs=0\n");
            String text = Files.readString(conf).replace("file=%(here)s/supervisor.sock\n",
                    "file=%(here)s/supervisor.sock\nusername=admin\npassword={SHA}"
                            + "d033e22ae348aeb5660fc2140aec35850c4da997\n")
                    .replace("serverurl=unix://%(here)s/supervisor.sock\n",
                            "serverurl=unix://%(here)s/supervisor.sock\nusername=admin\npassword=admin\n");
            Files.writeString(conf, text);
            try (Daemons.Running d = server.start(conf)) {
                StringBuilder t = new StringBuilder();
                t.append(normalize(client.run(conf, "status"), sub)).append('\n');
                t.append(normalize(client.run(conf, "-p", "wrong", "status"), sub)).append('\n');
                t.append(normalize(client.run(conf, "-u", "nobody", "-p", "admin", "stop", "run"), sub)).append('\n');
                t.append(normalize(client.run(conf, "stop", "run"), sub)).append('\n');
                transcripts.add(t.toString());
            }
        }
        assertTrue(transcripts.get(0).contains("Server requires authentication"), transcripts.get(0));
        assertEquals(transcripts.get(0), transcripts.get(1));
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void tailFollowStreamsUntilInterrupted(Client client, @TempDir Path dir) throws Exception {
        for (Server server : List.of(SUPERVISORD, SPOKE)) {
            Path sub = dir.resolve(server == SPOKE ? "spoke" : "supervisord");
            Path conf = Daemons.config(sub, """
                    [program:ticker]
                    command=/bin/sh -c 'i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.1; done'
                    startsecs=0
                    """);
            try (Daemons.Running d = server.start(conf)) {
                for (String[] args : List.of(new String[] {"tail", "-f", "ticker"}, new String[] {"maintail", "-f"})) {
                    Path out = sub.resolve("follow.out");
                    List<String> cmd = client.command("-c", conf.toString());
                    cmd = new ArrayList<>(cmd);
                    cmd.addAll(List.of(args));
                    Process p = new ProcessBuilder(Interrupts.withDefaultSigint(cmd)).redirectErrorStream(true)
                            .redirectOutput(out.toFile()).start();
                    String expect = args[0].equals("tail") ? "tick-" : "spawned: 'ticker'";
                    try {
                        Daemons.await(Duration.ofSeconds(30), () -> read(out).lines().count() >= 3
                                && read(out).contains(expect), client + " " + String.join(" ", args) + " to stream");
                        long before = read(out).lines().filter(l -> l.startsWith("tick-")).count();
                        if (args[0].equals("tail")) {
                            Daemons.await(Duration.ofSeconds(30), () -> read(out).lines()
                                    .filter(l -> l.startsWith("tick-")).count() > before + 3, "more lines to follow");
                        }
                        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
                        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "Ctrl-C ends " + client);
                        assertEquals(0, p.exitValue(), read(out));
                        assertTrue(read(out).startsWith("==> Press Ctrl-C to exit <==\n"), read(out));
                    } finally {
                        p.destroyForcibly();
                    }
                }
            }
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
