package dev.radial.spoke.logging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * An append-only log file with supervisord's rotation (name becomes name.1, name.1 becomes name.2 ... up to
 * backups, and a new file is started), rotating only where a line ends, so that a reader that takes the
 * files line by line (a log shipper) never sees a line split between two of them:
 * <ul>
 * <li>a write that fits under maxbytes goes into the current file;</li>
 * <li>when the current file ends inside a line, the rest of that line (up to the write's first '\n') still
 * goes into it, then the file is rotated; a write with no '\n' at all stays in the current file;</li>
 * <li>otherwise the file is rotated before the write, and a write larger than maxbytes is split after its
 * last '\n' that fits (after the first one if its first line alone is larger).</li>
 * </ul>
 * One write of whole lines (a main-log record) is thus never split. The only exception: a line still
 * unfinished when the file has passed maxbytes by {@link #LONG_LINE} (output with no '\n' at all, such as a
 * '\r' progress bar) is cut at a write boundary, so the disk is bounded anyway. maxbytes 0 disables
 * rotation (required for /dev/stdout: a pipe cannot seek). Not thread-safe: one owner (the engine thread, or
 * {@link MainLog} under its lock).
 */
public final class RotatingFile implements AutoCloseable {
    /** How far past maxbytes an unfinished line may grow before it is cut at a write boundary. */
    public static final long LONG_LINE = 1024 * 1024;

    private final Path path;
    /** {@link FileChanges}' key for path, computed once: every write reports to it. */
    private final Path changeKey;
    private final long maxbytes;
    private final int backups;
    private FileChannel channel;
    private long size;
    /** The file does not end with '\n' (the last write stopped inside a line). */
    private boolean midLine;

    public RotatingFile(Path path, long maxbytes, int backups) throws IOException {
        this.path = path;
        this.changeKey = FileChanges.key(path);
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
        midLine = maxbytes > 0 && size > 0 && lastByte() != '\n';
    }

    private int lastByte() throws IOException {
        try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            return in.read(b, size - 1) == 1 ? b.get(0) : '\n';
        }
    }

    public Path path() {
        return path;
    }

    /** Bytes in the current file. */
    public long size() {
        return size;
    }

    /** Writes all of data (consuming it), rotating as the class comment says. */
    public void write(ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            int len = data.remaining();
            if (maxbytes <= 0 || size + len <= maxbytes) {
                writeThrough(data, len);
                return;
            }
            if (midLine) {
                int nl = indexOf(data, 0, len);
                if (nl < 0) {
                    if (size >= maxbytes + LONG_LINE) {
                        rotate(); // an endless line: cut it here rather than grow without bound
                    }
                    writeThrough(data, len);
                    return;
                }
                writeThrough(data, nl + 1); // finish the line where it began
                rotate();
                continue;
            }
            if (size > 0) {
                rotate();
                if (size > 0) {
                    writeThrough(data, len); // the file could not be moved away: keep the data anyway
                    return;
                }
                continue;
            }
            if (len <= maxbytes) {
                writeThrough(data, len);
                return;
            }
            int cut = lastIndexOf(data, (int) maxbytes);
            if (cut < 0) {
                cut = indexOf(data, 0, len); // a first line longer than maxbytes gets a file of its own
            }
            writeThrough(data, cut < 0 ? len : cut + 1);
        }
    }

    private static int indexOf(ByteBuffer data, int from, int to) {
        int base = data.position();
        for (int i = from; i < to; i++) {
            if (data.get(base + i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(ByteBuffer data, int within) {
        int base = data.position();
        for (int i = Math.min(within, data.remaining()) - 1; i >= 0; i--) {
            if (data.get(base + i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Writes the next n bytes of data into the current file. */
    private void writeThrough(ByteBuffer data, int n) throws IOException {
        if (n == 0) {
            return;
        }
        int limit = data.limit();
        int end = data.position() + n;
        data.limit(end);
        try {
            while (data.hasRemaining()) {
                size += channel.write(data);
            }
        } finally {
            data.limit(limit);
            FileChanges.changed(changeKey);
        }
        midLine = data.get(end - 1) != '\n';
    }

    /** Shifts the backups and starts a new file; the file is open again afterwards even if a rename failed. */
    public void rotate() throws IOException {
        channel.close();
        try {
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
        } finally {
            open();
            FileChanges.changed(changeKey);
        }
    }

    /** Truncate (clearProcessLogs / clearLog): the file and its backups are emptied as supervisord does. */
    public void clear() throws IOException {
        channel.close();
        try {
            for (int i = 1; i <= backups; i++) {
                Files.deleteIfExists(Path.of(path + "." + i));
            }
            FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING).close();
        } finally {
            open();
            FileChanges.changed(changeKey);
        }
    }

    /** Reopen after an external rotation (SIGUSR2). */
    public void reopen() throws IOException {
        channel.close();
        open();
        FileChanges.changed(changeKey);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
