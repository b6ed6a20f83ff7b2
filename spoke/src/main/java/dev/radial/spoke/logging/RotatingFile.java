package dev.radial.spoke.logging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * An append-only log file with supervisord's rotation: when a write would pass maxbytes the file becomes
 * name.1 (name.1 becomes name.2 ... up to backups) and a new file is started. Rotation happens between
 * writes, so no byte is lost or split across files by us. maxbytes 0 disables rotation (required for
 * /dev/stdout: a pipe cannot seek).
 */
public final class RotatingFile implements AutoCloseable {
    private final Path path;
    private final long maxbytes;
    private final int backups;
    private FileChannel channel;
    private long size;

    public RotatingFile(Path path, long maxbytes, int backups) throws IOException {
        this.path = path;
        this.maxbytes = maxbytes;
        this.backups = backups;
        open();
    }

    private void open() throws IOException {
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        try {
            size = channel.size();
        } catch (IOException e) {
            size = 0; // a pipe or tty (e.g. /dev/stdout)
        }
    }

    public Path path() {
        return path;
    }

    public void write(ByteBuffer data) throws IOException {
        if (maxbytes > 0 && size > 0 && size + data.remaining() > maxbytes) {
            rotate();
        }
        while (data.hasRemaining()) {
            size += channel.write(data);
        }
    }

    public void rotate() throws IOException {
        channel.close();
        if (backups > 0) {
            for (int i = backups - 1; i >= 1; i--) {
                Path from = Path.of(path + "." + i);
                if (Files.exists(from)) {
                    Files.move(from, Path.of(path + "." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (Files.exists(path)) {
                Files.move(path, Path.of(path + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
        } else {
            Files.deleteIfExists(path);
        }
        open();
    }

    /** Truncate (clearProcessLogs / clearLog): the file and its backups are emptied as supervisord does. */
    public void clear() throws IOException {
        channel.close();
        for (int i = 1; i <= backups; i++) {
            Files.deleteIfExists(Path.of(path + "." + i));
        }
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        channel.close();
        open();
    }

    /** Reopen after an external rotation (SIGUSR2). */
    public void reopen() throws IOException {
        channel.close();
        open();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
