package dev.radial.spoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.util.GetOpt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** supervisord's command line as the spoke parses it (getopt, without picocli): options, errors, exit codes. */
class SpokeMainTest {
    @Test
    void supervisordsOptionsLandInSupervisordSection() throws Exception {
        SpokeMain m = SpokeMain.parse(new String[] {"-c", "/etc/s.conf", "-n", "-eDEBUG", "--logfile=/tmp/l", "-j",
            "/tmp/p", "-kts", "--minprocs", "300", "--childlog", "/tmp/c", "-u", "nobody", "-m", "002", "-y", "1MB",
            "-z", "3", "-i", "me", "-d", "/tmp", "-a", "100", "--profile_options", "cumulative"});
        assertEquals(Path.of("/etc/s.conf"), m.configuration);
        assertFalse(m.help);
        assertEquals(Map.ofEntries(Map.entry("user", "nobody"), Map.entry("umask", "002"), Map.entry("directory", "/tmp"),
                Map.entry("logfile", "/tmp/l"), Map.entry("logfile_maxbytes", "1MB"), Map.entry("logfile_backups", "3"),
                Map.entry("loglevel", "DEBUG"), Map.entry("pidfile", "/tmp/p"), Map.entry("identifier", "me"),
                Map.entry("childlogdir", "/tmp/c"), Map.entry("minfds", "100"), Map.entry("minprocs", "300"),
                Map.entry("nocleanup", "true"), Map.entry("strip_ansi", "true"), Map.entry("silent", "true")),
                m.overrides());
        assertTrue(m.command.isEmpty());
    }

    @Test
    void lastValueWinsAndHelpVersionAreRecognised() throws Exception {
        SpokeMain m = SpokeMain.parse(new String[] {"-e", "info", "--loglevel", "warn", "-?", "--vers"});
        assertEquals("warn", m.overrides().get("loglevel"));
        assertTrue(m.help);
        assertTrue(m.version);
        assertNull(m.configuration);
    }

    @Test
    void radialModeCommandComesAfterTheOptions() throws Exception {
        assertEquals(List.of("sh", "-c", "echo hi"), SpokeMain.parse(new String[] {"--", "sh", "-c", "echo hi"}).command);
        assertEquals(List.of("sleep", "-x"), SpokeMain.parse(new String[] {"-n", "sleep", "-x"}).command);
    }

    @Test
    void badCommandLinesAreGetoptErrorsAndExitTwo() {
        assertEquals("option -x not recognized",
                assertThrows(GetOpt.Error.class, () -> SpokeMain.parse(new String[] {"-x"})).getMessage());
        assertEquals("option --user requires argument",
                assertThrows(GetOpt.Error.class, () -> SpokeMain.parse(new String[] {"--user"})).getMessage());
        assertEquals("option --nodaemon must not have an argument",
                assertThrows(GetOpt.Error.class, () -> SpokeMain.parse(new String[] {"--nodaemon=1"})).getMessage());
        assertEquals(2, SpokeMain.run(new String[] {"-x"}));
        assertEquals(2, SpokeMain.run(new String[] {"-c", "/nonexistent.conf", "extra"}));
        assertEquals(2, SpokeMain.run(new String[] {"config", "--dump"}));
        assertEquals(2, SpokeMain.run(new String[] {"config", "--bogus"}));
    }

    @Test
    void configSubcommandChecksAFile(@TempDir Path dir) throws Exception {
        Path ok = dir.resolve("ok.conf");
        Files.writeString(ok, "[supervisord]\n[program:a]\ncommand=/bin/true\n");
        assertEquals(0, SpokeMain.run(new String[] {"config", "-c", ok.toString(), "--dump"}));
        assertEquals(0, SpokeMain.run(new String[] {"config", "--configuration=" + ok}));
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "[supervisord]\n[program:a]\n");
        assertEquals(2, SpokeMain.run(new String[] {"config", "-c", bad.toString()}));
        assertEquals(0, SpokeMain.run(new String[] {"-v"}));
    }
}
