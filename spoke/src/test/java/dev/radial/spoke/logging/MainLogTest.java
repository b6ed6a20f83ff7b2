package dev.radial.spoke.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main log's lines: supervisord's timestamp (date formatted once a second), the same bytes in file and echo. */
class MainLogTest {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    @Test
    void linesCarrySupervisordsTimestampAndTheEchoGetsTheFilesBytes(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        Path file = dir.resolve("main.log");
        MainLog log = new MainLog(file, 0, 0, "info", new PrintStream(echoed, true, StandardCharsets.UTF_8));
        LocalDateTime before = LocalDateTime.now().withNano(0);
        for (int i = 0; i < 2000; i++) {
            log.info("spawned: 'caf\u00e9 " + i + "' with pid " + i); // crosses second boundaries on a slow machine too
        }
        log.debug("not at info");
        LocalDateTime after = LocalDateTime.now();
        String text = Files.readString(file);
        assertEquals(text, echoed.toString(StandardCharsets.UTF_8));
        String[] lines = text.split("\n");
        assertEquals(2000, lines.length);
        LocalDateTime previous = before;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            assertTrue(l.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} INFO spawned: 'caf\u00e9 " + i
                    + "' with pid " + i), l);
            LocalDateTime t = LocalDateTime.parse(l.substring(0, 23), TIME);
            assertTrue(!t.isBefore(previous) && !t.isAfter(after), t + " between " + previous + " and " + after);
            previous = t;
        }
        assertTrue(Duration.between(before, previous).toHours() < 1);
    }

    @Test
    void anEchoInAnotherCharsetGetsTheLineEncodedForIt(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        MainLog log = new MainLog(dir.resolve("main.log"), 0, 0, "info",
                new PrintStream(echoed, true, StandardCharsets.US_ASCII));
        log.warn("caf\u00e9");
        assertTrue(echoed.toString(StandardCharsets.US_ASCII).endsWith(" WARN caf?\n"), echoed.toString());
        assertTrue(Files.readString(dir.resolve("main.log")).endsWith(" WARN caf\u00e9\n"));
    }
}
