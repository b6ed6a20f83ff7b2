package dev.radial.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** schedule=, restart_limit= and startretries_unlimited= as config keys: parsed into the ProcessConfig, errors naming section and key. */
class ExtensionKeysConfigTest {
    @TempDir
    Path dir;

    private ProcessConfig load(String keys) throws Exception {
        Path conf = dir.resolve("supervisord.conf");
        Files.writeString(conf, "[supervisord]\n[program:job]\ncommand=/bin/true\n" + keys);
        return ConfigLoader.create().load(conf).groups().get(0).processes().get(0);
    }

    @Test
    void parsedOrAbsent() throws Exception {
        ProcessConfig pc = load("schedule=@hourly\nrestart_limit=5/60\n");
        assertEquals("@hourly", pc.schedule().text());
        assertEquals(new RestartLimit(5, Duration.ofSeconds(60)), pc.restartLimit());
        ProcessConfig none = load("");
        assertNull(none.schedule());
        assertNull(none.restartLimit());
        assertEquals(false, none.startretriesUnlimited());
        assertEquals(true, load("startretries_unlimited=yes\n").startretriesUnlimited());
        assertEquals(false, load("startretries_unlimited=false\n").startretriesUnlimited());
    }

    @Test
    void errorsNameSectionAndKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("schedule=61 * * * *\n"));
        assertTrue(e.getMessage().contains("[program:job] schedule: minute 61 is outside 0-59"), e.getMessage());
        assertEquals(4, e.line());
        e = assertThrows(ConfigException.class, () -> load("restart_limit=lots\n"));
        assertTrue(e.getMessage().contains("[program:job] restart_limit: 'lots' is not RESTARTS/SECONDS"),
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> load("startretries_unlimited=forever\n"));
        assertTrue(e.getMessage().contains("[program:job] startretries_unlimited: "), e.getMessage());
        assertTrue(e.getMessage().contains("forever"), e.getMessage());
        assertEquals(4, e.line());
        // supervisord's own key stays an integer, as there: "unlimited" is refused, with a pointer to ours
        e = assertThrows(ConfigException.class, () -> load("startretries=unlimited\n"));
        assertTrue(e.getMessage().contains("[program:job] startretries: 'unlimited' is not an integer (for retries "
                + "without end, write startretries_unlimited=true)"), e.getMessage());
    }
}
