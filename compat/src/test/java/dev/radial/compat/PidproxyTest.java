package dev.radial.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.testing.Reference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our pidproxy (pidproxy/pidproxy.c) side by side with Debian's ({@code /usr/bin/pidproxy}, supervisor 4.2.5):
 * each scenario runs once with each and must give the same signals delivered, output and exit status.
 */
class PidproxyTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Path REAL = Path.of("/usr/bin/pidproxy");
    private static Path ours;

    /**
     * A server that records every signal it gets ("genN SIG") in a file and keeps its pid in the pidfile
     * (written aside and renamed); on HUP it starts its successor generation, which takes over the pidfile, and
     * exits, as daemons that re-exec on reload do. TERM, INT and QUIT end it.
     */
    private static final String SERVER = """
            import os, signal, subprocess, sys, time
            gen, pidfile, record = int(sys.argv[1]), sys.argv[2], sys.argv[3]
            def read_pid():
                with open(pidfile) as f:
                    return int(f.read())
            def note(text):
                with open(record, 'a') as f:
                    f.write('gen%d %s\\n' % (gen, text))
            def on(sig, frame):
                note(signal.Signals(sig).name)
                if sig == signal.SIGHUP:
                    subprocess.Popen([sys.executable, sys.argv[0], str(gen + 1), pidfile, record],
                                     start_new_session=True)
                    while read_pid() == os.getpid():  # until the successor holds the pidfile
                        time.sleep(0.02)
                    sys.exit(0)
                if sig in (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT):
                    sys.exit(0)
            for s in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
                signal.signal(s, on)
            with open(pidfile + '.tmp', 'w') as f:
                f.write('%d\\n' % os.getpid())
            os.rename(pidfile + '.tmp', pidfile)
            note('ready')
            while True:
                time.sleep(3600)
            """;

    /**
     * mysqld_safe's shape: starts the server in the background, ignores every signal itself, and stays until the
     * server named in the pidfile is gone.
     */
    private static final String WRAPPER = """
            #!/bin/sh
            trap '' HUP INT QUIT TERM USR1 USR2
            /usr/bin/python3 "$(dirname "$0")/server.py" 1 "$1" "$2" &
            while [ ! -s "$1" ]; do sleep 0.1; done
            while kill -0 "$(cat "$1")" 2>/dev/null; do sleep 0.1; done
            """;

    @TempDir
    Path dir;

    @BeforeAll
    static void build() throws Exception {
        Reference.require();
        assertTrue(Files.isExecutable(REAL), REAL + " is missing (Debian's supervisor package ships it)");
        ours = Tools.pidproxy();
    }

    private record Outcome(int exit, String stdout, List<String> record) {
    }

    @Test
    void forwardsToThePidInThePidfileRereadAtEverySignalAndExitsZeroAfterTerm() throws Exception {
        Outcome real = forkingDaemon(REAL, "real");
        Outcome mine = forkingDaemon(ours, "ours");
        assertEquals(List.of("gen1 ready", "gen1 SIGUSR1", "gen1 SIGHUP", "gen2 ready", "gen2 SIGUSR2", "gen2 SIGTERM"),
                real.record(), "the reference's behaviour changed: " + real);
        assertEquals(real, mine);
    }

    private Outcome forkingDaemon(Path proxy, String name) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.writeString(d.resolve("server.py"), SERVER);
        Path wrapper = d.resolve("wrapper.sh");
        Files.writeString(wrapper, WRAPPER);
        wrapper.toFile().setExecutable(true);
        Path pidfile = d.resolve("server.pid");
        Path record = d.resolve("record");
        Files.writeString(record, "");
        Path out = d.resolve("out");
        Process p = new ProcessBuilder(proxy.toString(), pidfile.toString(), wrapper.toString(), pidfile.toString(),
                record.toString()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        long[] serverPids = new long[2];
        try {
            await(() -> lines(record).contains("gen1 ready"));
            serverPids[0] = pid(pidfile);
            signal(p, "USR1");
            await(() -> lines(record).contains("gen1 SIGUSR1"));
            signal(p, "HUP");
            await(() -> lines(record).contains("gen2 ready"));
            serverPids[1] = pid(pidfile);
            signal(p, "USR2");
            await(() -> lines(record).contains("gen2 SIGUSR2"));
            signal(p, "TERM");
            assertTrue(p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), name + ": still running after TERM");
            await(() -> lines(record).contains("gen2 SIGTERM"));
            return new Outcome(p.exitValue(), Files.readString(out), lines(record));
        } finally {
            Tools.destroyTree(p);
            for (long pid : serverPids) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void anUnreadablePidfileIsReportedAndTheSignalDroppedEvenTerm() throws Exception {
        List<String> outcomes = new ArrayList<>();
        for (Path proxy : List.of(REAL, ours)) {
            Path pidfile = dir.resolve("absent-" + outcomes.size() + ".pid");
            Path out = dir.resolve("absent-" + outcomes.size() + ".out");
            ProcessBuilder pb = new ProcessBuilder(proxy.toString(), pidfile.toString(), "/bin/sleep", "1000")
                    .redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().put("PYTHONUNBUFFERED", "1"); // Debian's entry script lacks pidproxy.py's "-u"
            Process p = pb.start();
            try {
                await(() -> p.descendants().findAny().isPresent());
                ProcessHandle sleep = p.descendants().findFirst().orElseThrow();
                String expect = "Can't read child pidfile " + pidfile + "!\n";
                signal(p, "TERM");
                await(() -> read(out).equals(expect));
                assertTrue(p.isAlive(), proxy + " exited on TERM with an unreadable pidfile");
                signal(p, "HUP");
                await(() -> read(out).equals(expect + expect));
                sleep.destroyForcibly(); // the command ends: pidproxy follows (Debian's within its 5 s poll)
                assertTrue(p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), proxy + " outlived its command");
                outcomes.add("exit " + p.exitValue() + "\n" + read(out).replace(pidfile.toString(), "PIDFILE"));
            } finally {
                Tools.destroyTree(p);
            }
        }
        assertEquals(outcomes.get(0), outcomes.get(1));
    }

    @Test
    void aPidThatCannotBeSignalledEndsTheProxyWithStatusOne() throws Exception {
        Process gone = new ProcessBuilder("/bin/true").start();
        gone.waitFor();
        List<Integer> exits = new ArrayList<>();
        for (Path proxy : List.of(REAL, ours)) {
            Path pidfile = dir.resolve("stale-" + exits.size() + ".pid");
            Files.writeString(pidfile, "  " + gone.pid() + "\n");
            Process p = new ProcessBuilder(proxy.toString(), pidfile.toString(), "/bin/sleep", "1000")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stale.out").toFile()).start();
            try {
                await(() -> p.descendants().findAny().isPresent());
                signal(p, "USR1");
                assertTrue(p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), proxy + " survived a failed kill");
                exits.add(p.exitValue());
            } finally {
                Tools.destroyTree(p);
            }
        }
        assertEquals(List.of(1, 1), exits);
    }

    @Test
    void runsTheCommandWithItsArgumentsAndExitsZeroWhateverItsStatus() throws Exception {
        for (List<String> command : List.of(List.of("/bin/echo", "1", "2"), List.of("/bin/echo"),
                List.of("/bin/sh", "-c", "echo out; exit 3"), List.of("/no/such/command"),
                List.of("../../../../../../bin/echo", "relative"))) {
            List<String> results = new ArrayList<>();
            for (Path proxy : List.of(REAL, ours)) {
                List<String> cmd = new ArrayList<>(List.of(proxy.toString(), "nonexistent-pidfile"));
                cmd.addAll(command);
                Reference.Run r = Reference.run(cmd, null, dir, 60);
                results.add("exit " + r.exit() + "\n" + r.stdout());
            }
            assertEquals(results.get(0), results.get(1), command.toString());
        }
    }

    @Test
    void usageOnStdoutAndStatusOneWithoutACommand() throws Exception {
        for (List<String> args : List.of(List.<String>of(), List.of("only-a-pidfile"))) {
            List<String> results = new ArrayList<>();
            for (Path proxy : List.of(REAL, ours)) {
                List<String> cmd = new ArrayList<>(List.of(proxy.toString()));
                cmd.addAll(args);
                Reference.Run r = Reference.run(cmd, null, dir, 60);
                // supervisor's prints its module's path as the program name, ours argv[0]
                results.add("exit " + r.exit() + "\n" + r.stdout().replaceAll("Usage: \\S+", "Usage: PROG"));
            }
            assertEquals(results.get(0), results.get(1), args.toString());
            assertTrue(results.get(1).contains("Usage: PROG <pidfile name> <command> [<cmdarg1> ...]"));
        }
    }

    /**
     * It runs where the images run it: in a root with no C library at all (only it and a static busybox), so
     * the images need nothing but the file.
     */
    @Test
    void runsInARootWithoutAnyLibrary() throws Exception {
        Path busybox = Path.of("/bin/busybox");
        assertTrue(Files.isExecutable(busybox), "busybox-static is needed (.ci/run installs it)");
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.copy(ours, root.resolve("pidproxy"));
        Files.copy(busybox, root.resolve("busybox"));
        Reference.Run r = Reference.run(List.of("chroot", root.toString(), "/pidproxy", "nonexistent-pidfile",
                "/busybox", "echo", "in", "the", "root"), null, null, 60);
        assertEquals("exit 0\nin the root\n", "exit " + r.exit() + "\n" + r.stdout(), r.stderr());
    }

    /** Light enough for one beside every program: resident memory well under 5 MiB (a JVM takes 40). */
    @Test
    void residentMemoryIsWellUnderFiveMebibytes() throws Exception {
        Process p = new ProcessBuilder(ours.toString(), "nonexistent-pidfile", "/bin/sleep", "1000").start();
        try {
            await(() -> p.descendants().findAny().isPresent());
            Matcher m = Pattern.compile("VmRSS:\\s+(\\d+) kB")
                    .matcher(Files.readString(Path.of("/proc/" + p.pid() + "/status")));
            assertTrue(m.find());
            long kib = Long.parseLong(m.group(1));
            System.out.println("pidproxy RSS: " + kib + " KiB");
            assertTrue(kib < 2048, "pidproxy uses " + kib + " KiB resident");
        } finally {
            Tools.destroyTree(p);
        }
    }

    private static void signal(Process p, String sig) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).start();
        assertEquals(0, k.waitFor(), "kill -" + sig + " " + p.pid());
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static List<String> lines(Path f) {
        try {
            return Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static long pid(Path pidfile) throws IOException {
        return Long.parseLong(Files.readString(pidfile).trim());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + DEADLINE);
            }
            Thread.sleep(20);
        }
    }
}
