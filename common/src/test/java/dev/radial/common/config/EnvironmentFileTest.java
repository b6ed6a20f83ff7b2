package dev.radial.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** environment_file=: the dotenv syntax, the merge order, and errors that name the place but not the value. */
class EnvironmentFileTest {
    @Test
    void dotenvSyntax() {
        Map<String, String> env = DotEnv.parse("""
                # a comment
                PLAIN=value
                export EXPORTED = spaced value   # trailing comment
                EMPTY=
                HASH=a#b
                SINGLE='literal $X \\n # not a comment'
                DOUBLE="line1\\nline2 \\"q\\" \\\\ \\$HOME"
                MULTI="first
                second"
                PLAIN=later wins
                export=a key named export
                """, "test");
        Map<String, String> want = new LinkedHashMap<>();
        want.put("PLAIN", "later wins");
        want.put("EXPORTED", "spaced value");
        want.put("EMPTY", "");
        want.put("HASH", "a#b");
        want.put("SINGLE", "literal $X \\n # not a comment");
        want.put("DOUBLE", "line1\nline2 \"q\" \\ $HOME");
        want.put("MULTI", "first\nsecond");
        want.put("export", "a key named export");
        assertEquals(want, env);
        assertEquals(Map.of("A", "1", "B", "2"), DotEnv.parse("\uFEFFA=1\r\nB=2\r\n", "crlf"));
    }

    @Test
    void errorsNameTheLineNeverTheValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> DotEnv.parse("A=1\n\nSECRET hunter2\n", "f.env"));
        assertEquals("f.env line 3: expected KEY=VALUE", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DotEnv.parse("OK=1\nPW=\"hunter2\n", "f.env"));
        assertEquals("f.env line 2: the double quote is never closed", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DotEnv.parse("PW='hunter2' x\n", "f.env"));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DotEnv.parse("1A=x\n", "f.env"));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DotEnv.parse("A=\"x\\u0000\"\nB=\0\n", "f.env"));
        assertTrue(e.getMessage().contains("NUL"), e.getMessage());
    }

    @Test
    void mergedBetweenDaemonAndProgramEnvironment(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("app.env"), "FROM_FILE=file\nOVERRIDDEN=file\nDAEMON=file\n");
        Path conf = write(dir, "[supervisord]\nenvironment=DAEMON=daemon,ONLY_DAEMON=d\n"
                + "[program:app]\ncommand=/bin/true\nenvironment_file=app.env\nenvironment=OVERRIDDEN=program\n");
        ProcessConfig pc = ConfigLoader.create().load(conf).groups().get(0).processes().get(0);
        assertEquals(Map.of("FROM_FILE", "file", "OVERRIDDEN", "program", "DAEMON", "file", "ONLY_DAEMON", "d"),
                pc.environment());
    }

    @Test
    void relativeToTheIncludedFileAndExpanded(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("conf.d/env"));
        Files.writeString(dir.resolve("conf.d/env/web.env"), "PORT=8080\n");
        Files.writeString(dir.resolve("conf.d/web.ini"),
                "[program:web]\ncommand=/bin/true\nenvironment_file=env/%(program_name)s.env\n");
        Path conf = write(dir, "[supervisord]\n[include]\nfiles=conf.d/*.ini\n");
        ProcessConfig pc = ConfigLoader.create().load(conf).groups().get(0).processes().get(0);
        assertEquals("8080", pc.environment().get("PORT"));
    }

    @Test
    void aMissingOrBadFileIsAConfigErrorAtTheKey(@TempDir Path dir) throws Exception {
        Path conf = write(dir, "[supervisord]\n[program:app]\ncommand=/bin/true\nenvironment_file=nope.env\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.create().load(conf));
        assertTrue(e.getMessage().contains("[program:app] environment_file: ") && e.getMessage().contains(
                "nope.env does not exist"), e.getMessage());
        Files.write(dir.resolve("bad.env"), new byte[] {'A', '=', (byte) 0xff});
        Path conf2 = write(dir, "[supervisord]\n[program:app]\ncommand=/bin/true\nenvironment_file=bad.env\n");
        e = assertThrows(ConfigException.class, () -> ConfigLoader.create().load(conf2));
        assertTrue(e.getMessage().contains("is not UTF-8"), e.getMessage());
        Files.write(dir.resolve("huge.env"), new byte[DotEnv.MAX_BYTES + 1]);
        Path conf3 = write(dir, "[supervisord]\n[program:app]\ncommand=/bin/true\nenvironment_file=huge.env\n");
        e = assertThrows(ConfigException.class, () -> ConfigLoader.create().load(conf3));
        assertTrue(e.getMessage().contains("larger than"), e.getMessage());
        Files.createDirectory(dir.resolve("adir"));
        Path conf4 = write(dir, "[supervisord]\n[program:app]\ncommand=/bin/true\nenvironment_file=adir\n");
        e = assertThrows(ConfigException.class, () -> ConfigLoader.create().load(conf4));
        assertTrue(e.getMessage().contains("environment_file"), e.getMessage());
    }

    private static Path write(Path dir, String text) throws Exception {
        Path conf = dir.resolve("supervisord.conf");
        Files.writeString(conf, text);
        return conf;
    }

    @Test
    void theHubReadsItInsideTheRevisionOnly(@TempDir Path root) throws Exception {
        // as the hub validates: /config is the staged revision, nothing outside it is read
        Path rev = root.resolve("rev");
        Files.createDirectories(rev.resolve("supervisor/env"));
        Files.writeString(rev.resolve("supervisor/env/app.env"), "FROM=revision\n");
        Files.createDirectories(root.resolve("outside"));
        Files.writeString(root.resolve("outside/secret.env"), "PW=SECRET-0815\n");
        Path conf = rev.resolve("supervisor/supervisord.conf");
        ConfigLoader hub = ConfigLoader.create().environment(Map.of()).rebase(Path.of("/config"), rev).confineTo(rev)
                .checkPaths(false);
        Files.writeString(conf, "[supervisord]\n[program:a]\ncommand=/bin/true\n"
                + "environment_file=/config/supervisor/env/app.env\n[program:b]\ncommand=/bin/true\n"
                + "environment_file=env/app.env\n[program:c]\ncommand=/bin/true\n"
                + "environment_file=/run/secrets/app.env\n");
        SupervisorConfig c = hub.load(conf);
        assertEquals("revision", c.groups().get(0).processes().get(0).environment().get("FROM"));
        assertEquals("revision", c.groups().get(1).processes().get(0).environment().get("FROM"));
        assertEquals(Map.of(), c.groups().get(2).processes().get(0).environment(),
                "a spoke-side file (a mounted secret) is the spoke's to read");
        Files.createSymbolicLink(rev.resolve("supervisor/env/evil.env"), root.resolve("outside/secret.env"));
        Files.writeString(conf, "[supervisord]\n[program:a]\ncommand=/bin/true\nenvironment_file=env/evil.env\n");
        ConfigException e = assertThrows(ConfigException.class, () -> hub.load(conf));
        assertTrue(e.getMessage().contains("[program:a] environment_file: ") && e.getMessage().contains(
                "outside the configuration"), e.getMessage());
        assertFalse(e.getMessage().contains("SECRET-0815"), e.getMessage());
    }
}
