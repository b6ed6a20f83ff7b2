package dev.radial.spoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.testing.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** environment_file= in a real spoke: the child sees the file's variables, and `update` re-reads the file. */
class EnvironmentFileTest {
    private static String pid(Daemons.Running d) throws Exception {
        Reference.Run r = d.ctl("pid", "app");
        return r.stdout().strip();
    }

    @Test
    void updateReReadsTheFileAndRestartsOnlyWhatChanged(@TempDir Path dir) throws Exception {
        Path env = dir.resolve("app.env");
        Files.writeString(env, "GREETING=hello\nSECRET='s3cr3t value'\n");
        Path out = dir.resolve("app.out");
        Path conf = Daemons.config(dir, "[program:app]\ncommand=/bin/sh -c 'echo \"$GREETING/$SECRET/$FIXED\";"
                + " exec sleep 100000'\nenvironment_file=app.env\nenvironment=FIXED=yes\nstdout_logfile=" + out
                + "\nstartsecs=0\n[program:other]\ncommand=/bin/sleep 100000\nstartsecs=0\n");
        try (Daemons.Running d = Daemons.spoke(conf)) {
            Daemons.await(Duration.ofSeconds(30), () -> Daemons.read(out).contains("hello/s3cr3t value/yes\n"),
                    "the first greeting; log: " + Daemons.read(out));
            String first = pid(d);
            String other = d.ctl("pid", "other").stdout().strip();
            Reference.Run nothing = d.ctl("update");
            assertEquals("", nothing.stdout().strip(), "an unchanged file changes nothing");
            assertEquals(first, pid(d));

            Files.writeString(env, "GREETING=bonjour\nSECRET='s3cr3t value'\n");
            Reference.Run r = d.ctl("update");
            assertTrue(r.stdout().contains("app: stopped") && r.stdout().contains("app: updated process group"),
                    r.stdout());
            Daemons.await(Duration.ofSeconds(30), () -> Daemons.read(out).contains("bonjour/s3cr3t value/yes\n"),
                    "the second greeting; log: " + Daemons.read(out));
            assertNotEquals(first, pid(d));
            assertEquals(other, d.ctl("pid", "other").stdout().strip(), "other was not touched");

            Files.writeString(env, "BROKEN LINE\n");
            Reference.Run bad = d.ctl("update");
            String said = bad.stdout() + bad.stderr();
            assertTrue(said.contains("app.env line 1: expected KEY=VALUE"), said);
            assertTrue(d.ctl("status", "app").stdout().contains("RUNNING"), "the last good config stays");
        }
        String mainLog = Daemons.read(dir.resolve("supervisord.log"));
        assertTrue(!mainLog.contains("s3cr3t"), "no secret in the main log:\n" + mainLog);
    }
}
