package dev.radial.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** log_format= in [program:x] and as [supervisord]'s default: plain unless said, errors naming file, section, key. */
class LogFormatConfigTest {
    @TempDir
    Path dir;

    private SupervisorConfig load(String daemon, String program) throws Exception {
        Path conf = dir.resolve("supervisord.conf");
        Files.writeString(conf, "[supervisord]\n" + daemon + "[program:job]\ncommand=/bin/true\n" + program
                + "[program:other]\ncommand=/bin/true\n");
        return ConfigLoader.create().load(conf);
    }

    private static LogFormat format(SupervisorConfig c, String name) {
        return c.groups().stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow().processes().get(0)
                .logFormat();
    }

    @Test
    void plainByDefaultProgramOverridesDaemon() throws Exception {
        SupervisorConfig none = load("", "");
        assertEquals(LogFormat.PLAIN, format(none, "job"));
        assertEquals(LogFormat.PLAIN, none.daemon().logFormat());
        SupervisorConfig c = load("log_format=json\n", "log_format=Timestamped\n");
        assertEquals(LogFormat.TIMESTAMPED, format(c, "job"));
        assertEquals(LogFormat.JSON, format(c, "other"));
    }

    @Test
    void errorsNameFileSectionAndKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("", "log_format=xml\n"));
        assertTrue(e.getMessage().contains("[program:job] log_format: log_format must be plain, timestamped or json,"
                + " not 'xml'"), e.getMessage());
        assertTrue(e.getMessage().contains("supervisord.conf"), e.getMessage());
        assertEquals(4, e.line());
        e = assertThrows(ConfigException.class, () -> load("log_format=\n", ""));
        assertTrue(e.getMessage().contains("[supervisord] log_format"), e.getMessage());
    }
}
