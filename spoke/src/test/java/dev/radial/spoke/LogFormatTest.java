package dev.radial.spoke;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.client.ServerUrl;
import dev.radial.common.client.SupervisorClient;
import dev.radial.common.testing.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * log_format= with a real child writing a line, invalid UTF-8, a 200 000-byte line and a last line without '\n':
 * the json file parsed back line by line by Python's json module, the timestamped file checked line by line,
 * forward_output in json, and plain byte-identical to the real supervisord's file for the same child.
 */
class LogFormatTest {
    static final String WRITER = """
            import sys
            out = sys.stdout.buffer
            out.write(b"hello\\n")
            out.write(b"bad \\xff\\xfe utf8\\n")
            out.write(b"x" * 200000 + b"\\n")
            out.write(b"tail without newline")
            out.flush()
            sys.stderr.write("err line\\n")
            sys.stderr.flush()
            """;

    /** Python checks the json file strictly and prints OK, or fails with what is wrong. */
    static final String CHECK = """
            import json, sys, datetime
            recs = []
            with open(sys.argv[1], "rb") as f:
                data = f.read()
            assert data.endswith(b"\\n"), "no final newline"
            for raw in data.split(b"\\n")[:-1]:
                r = json.loads(raw.decode("utf-8"))
                assert sorted(r) == ["line", "program", "stream", "time"], r
                assert r["program"] == "jsoner" and r["stream"] == sys.argv[2], r
                t = datetime.datetime.fromisoformat(r["time"].replace("Z", "+00:00"))
                age = abs((datetime.datetime.now(datetime.timezone.utc) - t).total_seconds())
                assert age < 3600, r["time"]
                recs.append(r["line"])
            if sys.argv[2] == "stderr":
                assert recs == ["err line"], recs
            else:
                assert recs[0] == "hello", recs[0]
                assert recs[1] == "bad \\ufffd\\ufffd utf8", repr(recs[1])
                pieces = recs[2:-1]
                assert all(len(p) <= 65536 for p in pieces), [len(p) for p in pieces]
                assert "".join(pieces) == "x" * 200000, [len(p) for p in pieces]
                assert recs[-1] == "tail without newline", recs[-1]
            print("OK", len(recs))
            """;

    static final Pattern STAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z ");

    @TempDir
    Path dir;

    private static String program(String name, String extra) {
        return "[program:" + name + "]\ncommand=/usr/bin/python3 %(here)s/writer.py\nautorestart=false\nstartsecs=0\n"
                + "stdout_logfile=%(here)s/" + name + ".out\nstderr_logfile=%(here)s/" + name + ".err\n" + extra;
    }

    private static String config(String programs) {
        return """
                [unix_http_server]
                file=%(here)s/supervisor.sock
                [supervisord]
                logfile=%(here)s/main.log
                pidfile=%(here)s/sd.pid
                childlogdir=%(here)s
                [rpcinterface:supervisor]
                supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
                [supervisorctl]
                serverurl=unix://%(here)s/supervisor.sock
                """ + programs;
    }

    private static void awaitExited(Path sock, List<String> names) throws Exception {
        try (SupervisorClient rpc = SupervisorClient.to(ServerUrl.unix(sock)).open()) {
            Daemons.await(Duration.ofSeconds(60), () -> {
                try {
                    for (String n : names) {
                        if (!"EXITED".equals(((Map<?, ?>) rpc.call("supervisor.getProcessInfo", n)).get("statename"))) {
                            return false;
                        }
                    }
                    return true;
                } catch (Exception e) {
                    return false;
                }
            }, names + " EXITED");
        }
    }

    /** The file as ISO-8859-1 (any bytes), "" while it does not exist. */
    private static String bytes(Path f) {
        try {
            return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void formatsParsedBackAndPlainIdenticalToSupervisord() throws Exception {
        Reference.require();
        Path ours = Files.createDirectories(dir.resolve("ours"));
        Path theirs = Files.createDirectories(dir.resolve("theirs"));
        for (Path d : List.of(ours, theirs)) {
            Files.writeString(d.resolve("writer.py"), WRITER);
        }
        Files.writeString(ours.resolve("supervisord.conf"), config(program("plainer", "")
                + program("jsoner", "log_format=json\nforward_output=true\n")
                + program("stamper", "log_format=timestamped\n")));
        Files.writeString(theirs.resolve("supervisord.conf"), config(program("plainer", "")));
        try (Daemons.Running spoke = Daemons.spoke(ours.resolve("supervisord.conf"));
                Daemons.Running sd = Daemons.supervisord(theirs.resolve("supervisord.conf"))) {
            awaitExited(ours.resolve("supervisor.sock"), List.of("plainer", "jsoner", "stamper"));
            awaitExited(theirs.resolve("supervisor.sock"), List.of("plainer"));
            // the exit may be reaped before the pipes are drained: wait for each file's last line
            for (Path f : List.of(ours.resolve("plainer.out"), ours.resolve("jsoner.out"), ours.resolve("stamper.out"),
                    theirs.resolve("plainer.out"))) {
                Daemons.await(Duration.ofSeconds(30), () -> bytes(f).contains("tail without newline"),
                        f + " complete");
            }
            for (Path f : List.of(ours.resolve("plainer.err"), ours.resolve("jsoner.err"),
                    theirs.resolve("plainer.err"))) {
                Daemons.await(Duration.ofSeconds(30), () -> bytes(f).contains("err line"), f + " complete");
            }

            byte[] plain = Files.readAllBytes(ours.resolve("plainer.out"));
            assertArrayEquals(Files.readAllBytes(theirs.resolve("plainer.out")), plain, "plain differs from supervisord");
            assertArrayEquals(Files.readAllBytes(theirs.resolve("plainer.err")),
                    Files.readAllBytes(ours.resolve("plainer.err")));

            Path check = dir.resolve("check.py");
            Files.writeString(check, CHECK);
            for (String stream : List.of("stdout", "stderr")) {
                Path file = ours.resolve(stream.equals("stdout") ? "jsoner.out" : "jsoner.err");
                Reference.Run r = Reference.run(List.of(Reference.PYTHON.toString(), check.toString(), file.toString(),
                        stream), null, dir, 60);
                assertEquals(0, r.exit(), r.stderr());
                assertTrue(r.stdout().startsWith("OK " + (stream.equals("stdout") ? 7 : 1)), r.stdout());
            }

            // timestamped: every line starts with the time; without it the bytes are the plain file's, with the
            // long line cut into 64 KiB pieces and the last line ended
            byte[] stamped = Files.readAllBytes(ours.resolve("stamper.out"));
            String latin = new String(stamped, StandardCharsets.ISO_8859_1);
            assertTrue(latin.endsWith("\n"));
            List<String> lines = List.of(latin.substring(0, latin.length() - 1).split("\n", -1));
            assertEquals(7, lines.size());
            StringBuilder stripped = new StringBuilder();
            for (String l : lines) {
                Matcher m = STAMP.matcher(l);
                assertTrue(m.lookingAt(), l.substring(0, Math.min(60, l.length())));
                stripped.append(l, m.end(), l.length());
            }
            assertEquals(new String(plain, StandardCharsets.ISO_8859_1).replace("\n", ""), stripped.toString());

            // forward_output=true with json: the spoke's own stdout carries the same JSON lines
            List<String> forwarded = new ArrayList<>();
            try (Stream<Path> s = Files.list(ours)) {
                for (Path p : s.filter(p -> p.getFileName().toString().startsWith("daemon-")).toList()) {
                    forwarded.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
                }
            }
            assertTrue(forwarded.stream().anyMatch(l -> l.startsWith("{\"time\":\"") && l.endsWith(
                    "\"program\":\"jsoner\",\"stream\":\"stdout\",\"line\":\"hello\"}")), String.join("\n", forwarded
                            .stream().filter(l -> l.length() < 300).toList()));
            assertTrue(forwarded.stream().anyMatch(l -> l.endsWith("\"stream\":\"stderr\",\"line\":\"err line\"}")));
            assertTrue(forwarded.stream().anyMatch(l -> l.endsWith("\"line\":\"tail without newline\"}")));
        }
    }
}
