package dev.radial.spoke.logging;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * supervisord's main log: {@code 2026-01-01 12:00:00,123 INFO spawned: 'web' with pid 42}, to the log file
 * (rotated like child logs) and, in the foreground, to stdout. Thread-safe.
 */
public final class MainLog {
    /** supervisord's levels with their numbers and four-letter names. */
    public enum Level {
        CRIT(50), ERRO(40), WARN(30), INFO(20), DEBG(10), TRAC(5), BLAT(3);

        final int num;

        Level(int num) {
            this.num = num;
        }
    }

    private static final Map<String, Level> BY_DESCRIPTION = Map.of("critical", Level.CRIT, "error", Level.ERRO,
            "warn", Level.WARN, "info", Level.INFO, "debug", Level.DEBG, "trace", Level.TRAC, "blather", Level.BLAT);
    /** The time up to its milliseconds, formatted once per second (a spawn logs two lines). */
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,");

    private final Level threshold;
    private final RotatingFile file;
    private final PrintStream echo;
    /** The echo takes UTF-8: it gets the file's bytes, not the line encoded again through its writer. */
    private final boolean echoUtf8;
    /** {@link #SECOND} of {@link #cachedSecond} (epoch seconds) in the default zone; guarded by this. */
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedPrefix;

    public MainLog(Path path, long maxbytes, int backups, String level, PrintStream echo) throws IOException {
        this.threshold = BY_DESCRIPTION.getOrDefault(level, Level.INFO);
        this.file = path == null ? null : new RotatingFile(path, maxbytes, backups);
        this.echo = echo;
        this.echoUtf8 = echo != null && echo.charset().equals(StandardCharsets.UTF_8);
    }

    public Path path() {
        return file == null ? null : file.path();
    }

    public boolean enabled(Level level) {
        return level.num >= threshold.num;
    }

    public synchronized void log(Level level, String message) {
        if (!enabled(level)) {
            return;
        }
        String line = timestamp(System.currentTimeMillis()) + " " + level.name() + " " + message + "\n";
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        if (file != null) {
            try {
                file.write(ByteBuffer.wrap(bytes));
            } catch (IOException e) {
                // the main log failing must not stop supervision
            }
        }
        if (echo != null) {
            if (echoUtf8) {
                echo.write(bytes, 0, bytes.length);
            } else {
                echo.print(line);
            }
            echo.flush();
        }
    }

    /** {@code yyyy-MM-dd HH:mm:ss,SSS} in the default zone (an offset is fixed within a second). Under the lock. */
    private String timestamp(long millis) {
        long second = Math.floorDiv(millis, 1000);
        if (second != cachedSecond) {
            cachedPrefix = SECOND.format(LocalDateTime.ofInstant(Instant.ofEpochSecond(second), ZoneId.systemDefault()));
            cachedSecond = second;
        }
        int ms = (int) Math.floorMod(millis, 1000);
        return cachedPrefix + (ms < 10 ? "00" : ms < 100 ? "0" : "") + ms;
    }

    public void info(String m) {
        log(Level.INFO, m);
    }

    public void warn(String m) {
        log(Level.WARN, m);
    }

    public void debug(String m) {
        log(Level.DEBG, m);
    }

    public void error(String m) {
        log(Level.ERRO, m);
    }

    public void critical(String m) {
        log(Level.CRIT, m);
    }

    public synchronized void clear() throws IOException {
        if (file != null) {
            file.clear();
        }
    }

    public synchronized void reopen() throws IOException {
        if (file != null) {
            file.reopen();
        }
    }
}
