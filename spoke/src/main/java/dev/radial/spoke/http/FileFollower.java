package dev.radial.spoke.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * supervisord's tail_f_producer: the last {@code backlog} bytes of a file, then whatever is appended, announcing
 * truncation and re-opening the file when it is replaced (rotation). Reads at most one bounded chunk per call, so
 * the selector thread that drives it never reads much at once. Not thread-safe: one owner thread.
 */
final class FileFollower implements AutoCloseable {
    static final byte[] TRUNCATED = "==> File truncated <==\n".getBytes(StandardCharsets.UTF_8);

    private final Path file;
    private FileChannel channel;
    private Object key;
    private long pos;

    FileFollower(Path file, long backlog) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.key = key(file);
        this.pos = Math.max(0, channel.size() - backlog);
    }

    /** Fills {@code into} with what is new (at most its remaining space); returns false when nothing is. */
    boolean poll(ByteBuffer into) throws IOException {
        long size = channel.size();
        if (size < pos) {
            pos = 0;
            into.put(TRUNCATED, 0, Math.min(TRUNCATED.length, into.remaining()));
            return true;
        }
        if (size > pos) {
            int n = channel.read(into, pos);
            if (n > 0) {
                pos += n;
                return true;
            }
        }
        Object now;
        try {
            now = key(file);
        } catch (NoSuchFileException e) {
            return false; // between a rotation's rename and the new file
        }
        if (!now.equals(key)) {
            FileChannel replacement;
            try {
                replacement = FileChannel.open(file, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return false; // renamed away again before we opened it: keep the old file, look again next time
            }
            channel.close();
            channel = replacement;
            key = now;
            pos = 0;
            return poll(into);
        }
        return false;
    }

    private static Object key(Path file) throws IOException {
        Object k = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        return k == null ? file.toString() : k;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
