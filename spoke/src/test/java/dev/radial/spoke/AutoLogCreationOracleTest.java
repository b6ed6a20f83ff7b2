package dev.radial.spoke;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When AUTO child logs are created, side by side with the real supervisord: when a process is added (start-up,
 * and a group added by update), never-started programs included, none for stderr with redirect_stderr, as
 * supervisord's create_autochildlogs does; a spawn then only opens them (bin/bench row 1 no longer pays for 600
 * file creations inside startAllProcesses).
 */
class AutoLogCreationOracleTest {
    private static final Pattern AUTO = Pattern.compile("(.+)---supervisor-[a-z0-9_]{8}\\.log");
    private static final String PROGRAMS = """
            [program:idle]
            command=/bin/sleep 1000
            autostart=false
            [program:merged]
            command=/bin/sleep 1000
            autostart=false
            redirect_stderr=true
            [program:own]
            command=/bin/sleep 1000
            autostart=false
            stdout_logfile=%(here)s/own.log
            """;
    private static final String LATER = """
            [program:later]
            command=/bin/sleep 1000
            autostart=false
            """;

    @TempDir
    Path dir;

    @Test
    void autoLogsExistOnceTheProcessIsAddedAsInSupervisord() throws Exception {
        Set<String> atStart = null;
        Set<String> afterUpdate = null;
        for (String who : new String[] {"supervisord", "spoke"}) {
            Path d = dir.resolve(who);
            Path conf = Daemons.config(d, PROGRAMS);
            try (Daemons.Running r = who.equals("spoke") ? Daemons.spoke(conf) : Daemons.supervisord(conf)) {
                Set<String> start = autoLogs(d);
                Files.writeString(conf, Files.readString(conf) + LATER);
                assertEquals(0, r.ctl("update").exit(), who + ": supervisorctl update");
                Set<String> update = autoLogs(d);
                if (atStart == null) {
                    atStart = start;
                    afterUpdate = update;
                    assertEquals(Set.of("idle-stderr", "idle-stdout", "later-stderr", "later-stdout", "merged-stdout",
                            "own-stderr"), update, "supervisord after update added [program:later]");
                    // what the oracle does: every AUTO channel of every added process, none started
                    assertEquals(Set.of("idle-stderr", "idle-stdout", "merged-stdout", "own-stderr"),
                            start, "supervisord at start-up");
                } else {
                    assertEquals(atStart, start, "the spoke at start-up");
                    assertEquals(afterUpdate, update, "the spoke after update added [program:later]");
                }
            }
        }
    }

    /** The AUTO logs in the directory, as name-channel. */
    private static Set<String> autoLogs(Path d) throws IOException {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.list(d)) {
            files.forEach(f -> {
                Matcher m = AUTO.matcher(f.getFileName().toString());
                if (m.matches()) {
                    out.add(m.group(1));
                }
            });
        }
        return out;
    }
}
