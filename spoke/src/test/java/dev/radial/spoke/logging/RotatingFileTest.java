package dev.radial.spoke.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rotation keeps every line in one file, whatever the chunking of the writes; nothing is lost. */
class RotatingFileTest {
    /** The rotated files oldest first, then the current one. */
    static List<Path> filesOldestFirst(Path log, int backups) {
        List<Path> files = new ArrayList<>();
        for (int i = backups; i >= 1; i--) {
            Path p = Path.of(log + "." + i);
            if (Files.exists(p)) {
                files.add(p);
            }
        }
        files.add(log);
        return files;
    }

    private static byte[] numberedLines(int n, Random random) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            // lines of varying length, so chunk borders fall anywhere
            sb.append(String.format("%07d ", i)).append("x".repeat(random.nextInt(120))).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 1, 2, 3})
    void randomlyChunkedWritesNeverSplitALine(long seed, @TempDir Path dir) throws IOException {
        Random random = new Random(seed);
        byte[] all = numberedLines(4000, random);
        Path log = dir.resolve("out.log");
        long maxbytes = 1000 + random.nextInt(3000);
        try (RotatingFile f = new RotatingFile(log, maxbytes, 600)) {
            int at = 0;
            while (at < all.length) {
                int n = Math.min(all.length - at, 1 + random.nextInt(random.nextBoolean() ? 300 : 9000));
                ByteBuffer chunk = ByteBuffer.allocateDirect(n).put(all, at, n).flip();
                f.write(chunk);
                assertFalse(chunk.hasRemaining(), "the write is consumed");
                at += n;
            }
        }
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        List<Path> files = filesOldestFirst(log, 600);
        assertTrue(files.size() > 20, "it rotated: " + files.size() + " files");
        for (Path p : files) {
            byte[] b = Files.readAllBytes(p);
            assertTrue(b.length > 0 && b[b.length - 1] == '\n', p + " ends inside a line");
            assertTrue(Character.isDigit(b[0]), p + " starts inside a line");
            // a file passes maxbytes only by the end of the line that crossed it (lines are < 130 bytes)
            assertTrue(b.length <= maxbytes + 130, p + " has " + b.length + " bytes, maxbytes " + maxbytes);
            joined.write(b);
        }
        assertEquals(new String(all, StandardCharsets.US_ASCII), joined.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void aWriteOfWholeLinesStaysInOneFile(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("main.log");
        String record = "2026-01-01 00:00:00,000 INFO first line\n  second line\n  third line\n";
        try (RotatingFile f = new RotatingFile(log, 500, 100)) {
            for (int i = 0; i < 100; i++) {
                f.write(ByteBuffer.wrap(record.getBytes(StandardCharsets.US_ASCII)));
            }
        }
        List<Path> files = filesOldestFirst(log, 100);
        assertTrue(files.size() > 10, "it rotated");
        int records = 0;
        for (Path p : files) {
            String text = Files.readString(p);
            assertTrue(text.length() <= 500, p + " passed maxbytes with whole records: " + text.length());
            assertEquals("", text.replace(record, ""), p + " holds a partial record");
            records += text.length() / record.length();
        }
        assertEquals(100, records);
    }

    @Test
    void aWriteLargerThanMaxbytesIsSplitAtLineEnds(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("big.log");
        byte[] all = numberedLines(3000, new Random(5));
        try (RotatingFile f = new RotatingFile(log, 2048, 1000)) {
            f.write(ByteBuffer.wrap(all)); // one 200 KB read of a pipe
        }
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (Path p : filesOldestFirst(log, 1000)) {
            byte[] b = Files.readAllBytes(p);
            assertTrue(b.length <= 2048 && b[b.length - 1] == '\n', p + ": " + b.length + " bytes");
            joined.write(b);
        }
        assertTrue(filesOldestFirst(log, 1000).size() > 50);
        assertTrue(java.util.Arrays.equals(all, joined.toByteArray()));
    }

    @Test
    void anEndlessLineIsCutOnceTheFileIsFarPastMaxbytes(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("progress.log");
        byte[] chunk = ("\r 42% " + "#".repeat(4090)).getBytes(StandardCharsets.US_ASCII); // no '\n', ever
        long written = 0;
        try (RotatingFile f = new RotatingFile(log, 1000, 50)) {
            for (int i = 0; i < 1200; i++) { // ~4.9 MB
                f.write(ByteBuffer.wrap(chunk));
                written += chunk.length;
            }
        }
        long total = 0;
        List<Path> files = filesOldestFirst(log, 50);
        assertTrue(files.size() >= 4, "the endless line was cut: " + files.size() + " files");
        for (Path p : files) {
            long s = Files.size(p);
            assertTrue(s <= 1000 + RotatingFile.LONG_LINE + chunk.length, p + " grew to " + s);
            total += s;
        }
        assertEquals(written, total, "no byte lost");
    }

    @Test
    void aFileThatEndsInsideALineIsFinishedBeforeItRotates(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("reopened.log");
        Files.writeString(log, "a".repeat(90) + "\n" + "half of a li");
        try (RotatingFile f = new RotatingFile(log, 100, 5)) {
            f.write(ByteBuffer.wrap("ne\nnext line\n".getBytes(StandardCharsets.US_ASCII)));
        }
        assertEquals("a".repeat(90) + "\nhalf of a line\n", Files.readString(Path.of(log + ".1")));
        assertEquals("next line\n", Files.readString(log));
    }

    @Test
    void maxbytesZeroNeverRotates(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("forever.log");
        try (RotatingFile f = new RotatingFile(log, 0, 5)) {
            for (int i = 0; i < 1000; i++) {
                f.write(ByteBuffer.wrap("0123456789\n".getBytes(StandardCharsets.US_ASCII)));
            }
        }
        assertEquals(11_000, Files.size(log));
        assertFalse(Files.exists(Path.of(log + ".1")));
    }

    @Test
    void clearEmptiesTheFileAndItsBackupsAndWritingGoesOn(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("c.log");
        try (RotatingFile f = new RotatingFile(log, 20, 3)) {
            for (int i = 0; i < 10; i++) {
                f.write(ByteBuffer.wrap("0123456789\n".getBytes(StandardCharsets.US_ASCII)));
            }
            f.write(ByteBuffer.wrap("unfinished".getBytes(StandardCharsets.US_ASCII)));
            f.clear();
            assertEquals(0, f.size());
            f.write(ByteBuffer.wrap("0123456789\n".getBytes(StandardCharsets.US_ASCII)));
        }
        assertFalse(Files.exists(Path.of(log + ".1")));
        assertEquals("0123456789\n", Files.readString(log));
    }
}
