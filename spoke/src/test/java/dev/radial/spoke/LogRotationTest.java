package dev.radial.spoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real child writes numbered 100-byte lines through stdio (4 KiB blocks, so pipe reads end inside lines)
 * into a log that rotates every 64 KiB: every file holds whole lines only, and none is lost.
 */
class LogRotationTest {
    @Test
    void aBlockBufferedChildsLinesStayWholeAcrossRotations(@TempDir Path dir) throws Exception {
        int lines = 60_000;
        int backups = 200;
        long maxbytes = 64 * 1024;
        Path log = dir.resolve("numbers.log");
        Path conf = Daemons.config(dir, "[program:numbers]\ncommand=/usr/bin/awk 'BEGIN { for (i = 1; i <= " + lines
                + "; i++) printf \"%%08d %%090d\\n\", i, 0 }'\nstartsecs=0\nautorestart=false\nstdout_logfile=" + log
                + "\nstdout_logfile_maxbytes=64KB\nstdout_logfile_backups=" + backups + "\n");
        try (Daemons.Running d = Daemons.spoke(conf)) {
            Daemons.await(Duration.ofSeconds(120), () -> {
                try {
                    return d.ctl("status", "numbers").stdout().contains("EXITED");
                } catch (Exception e) {
                    return false;
                }
            }, "the writer to finish");
        }
        List<String> all = new ArrayList<>();
        int files = 0;
        for (int i = backups; i >= 0; i--) {
            Path p = i == 0 ? log : Path.of(log + "." + i);
            if (!Files.exists(p)) {
                continue;
            }
            files++;
            byte[] b = Files.readAllBytes(p);
            assertTrue(b.length > 0 && b[b.length - 1] == '\n', p + " ends inside a line");
            assertTrue(b.length <= maxbytes + 100, p + " passed maxbytes by more than one line: " + b.length);
            for (String line : new String(b, StandardCharsets.US_ASCII).split("\n")) {
                assertEquals(99, line.length(), p + " holds a torn line: '" + line + "'");
                all.add(line);
            }
        }
        assertTrue(files > 50, "it rotated: " + files + " files");
        assertEquals(lines, all.size(), "lines lost or torn");
        for (int i = 0; i < lines; i++) {
            assertEquals(String.format("%08d", i + 1), all.get(i).substring(0, 8), "line " + (i + 1) + " in order");
        }
    }
}
