package dev.radial.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.client.ServerUrl;
import dev.radial.common.client.SupervisorClient;
import dev.radial.common.testing.Interrupts;
import dev.radial.spoke.Daemons;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code fg} ends on Ctrl-C as supervisorctl's does: "Exiting foreground", exit 0, the program still running.
 * A real client process gets a real SIGINT while its standard input (a pipe) stays open; supervisorctl against
 * the same spoke is the reference. In the shell, the line typed after Ctrl-C goes to the shell, not the program.
 */
class CtlFgTest {
    private static final String PROGRAM = """
            [program:echoer]
            command=/bin/sh -c 'while read l; do echo "got $l"; done'
            startsecs=0
            """;

    /** A client process with its stdin kept open and its stdout collected as it comes. */
    record Session(Process process, OutputStream stdin, ByteArrayOutputStream stdout) implements AutoCloseable {
        static Session start(List<String> cmd, Path dir) throws IOException {
            Process p = new ProcessBuilder(Interrupts.withDefaultSigint(cmd)).directory(dir.toFile()).redirectErrorStream(true).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread t = new Thread(() -> copy(p.getInputStream(), out), "session-out");
            t.setDaemon(true);
            t.start();
            return new Session(p, p.getOutputStream(), out);
        }

        private static void copy(InputStream in, ByteArrayOutputStream out) {
            byte[] b = new byte[4096];
            try {
                for (int n; (n = in.read(b)) > 0; ) {
                    synchronized (out) {
                        out.write(b, 0, n);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }

        String output() {
            synchronized (stdout) {
                return stdout.toString(StandardCharsets.UTF_8);
            }
        }

        void type(String line) throws IOException {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }

        void awaitOutput(String text) throws InterruptedException {
            Daemons.await(Duration.ofSeconds(30), () -> output().contains(text), "'" + text + "' in:\n" + output());
        }

        void interrupt() throws Exception {
            assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor());
        }

        int awaitExit() throws InterruptedException {
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "client still running 30 s after SIGINT:\n" + output());
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void ctrlCEndsFgWithExitZero(Client client, @TempDir Path dir) throws Exception {
        Path conf = Daemons.config(dir, PROGRAM);
        try (Daemons.Running d = Daemons.spoke(conf);
                Session s = Session.start(client.command("-c", conf.toString(), "fg", "echoer"), dir)) {
            Daemons.await(Duration.ofSeconds(30), () -> status(d).contains("RUNNING"), "echoer to run");
            s.awaitOutput("==> Press Ctrl-C to exit <==");
            s.type("hello");
            Daemons.await(Duration.ofSeconds(30), () -> Daemons.read(dir.resolve(stdoutLog(dir))).contains("got hello"),
                    "the typed line to reach the program");
            s.interrupt();
            if (client == Client.SUPERVISORCTL) {
                // supervisorctl's fg thread notices Ctrl-C only when output arrives: it sleeps in asyncore's
                // 30 s select, and the process waits for it. So the reference gets a line to wake it once it has
                // said it is exiting (with pollers late to deliver "got hello", the line used to come by chance)
                s.awaitOutput("Exiting foreground");
                try (SupervisorClient c = SupervisorClient.to(ServerUrl.unix(dir.resolve("supervisor.sock")))
                        .timeout(Duration.ofSeconds(30)).open()) {
                    c.call("supervisor.sendProcessStdin", "echoer", "wake up\n");
                }
            }
            assertEquals(0, s.awaitExit(), s.output());
            assertTrue(s.output().endsWith("Exiting foreground\n"), s.output());
            assertTrue(status(d).contains("RUNNING"), "the program keeps running: " + status(d));
        }
    }

    @Test
    void inTheShellTheLineAfterCtrlCGoesToTheShell(@TempDir Path dir) throws Exception {
        Path conf = Daemons.config(dir, PROGRAM);
        try (Daemons.Running d = Daemons.spoke(conf);
                Session s = Session.start(Client.CTL.command("-c", conf.toString()), dir)) {
            Daemons.await(Duration.ofSeconds(30), () -> status(d).contains("RUNNING"), "echoer to run");
            s.awaitOutput("supervisor> ");
            s.type("fg echoer");
            s.awaitOutput("==> Press Ctrl-C to exit <==");
            s.interrupt();
            s.awaitOutput("Exiting foreground\n");
            s.type("pid echoer");
            Daemons.await(Duration.ofSeconds(30), () -> s.output().matches("(?s).*Exiting foreground\n"
                    + "(supervisor> )?\\d+\n.*"), "the shell to answer pid:\n" + s.output());
            s.type("quit");
            assertEquals(0, s.awaitExit(), s.output());
            assertFalse(Daemons.read(dir.resolve(stdoutLog(dir))).contains("got pid"), "the program got the shell's line");
        }
    }

    private static String status(Daemons.Running d) {
        try {
            return d.ctl("status").stdout();
        } catch (Exception e) {
            return "";
        }
    }

    /** The auto stdout log of echoer under childlogdir (the spoke names it echoer-stdout---supervisor.log). */
    private static String stdoutLog(Path dir) {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("echoer-stdout")).findFirst()
                    .orElse("none");
        } catch (IOException e) {
            return "none";
        }
    }
}
