package dev.radial.spoke.logging;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
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
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    private final Level threshold;
    private final RotatingFile file;
    private final PrintStream echo;

    public MainLog(Path path, long maxbytes, int backups, String level, PrintStream echo) throws IOException {
        this.threshold = BY_DESCRIPTION.getOrDefault(level, Level.INFO);
        this.file = path == null ? null : new RotatingFile(path, maxbytes, backups);
        this.echo = echo;
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
        String line = TIME.format(LocalDateTime.now()) + " " + level.name() + " " + message + "\n";
        if (file != null) {
            try {
                file.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                // the main log failing must not stop supervision
            }
        }
        if (echo != null) {
            echo.print(line);
            echo.flush();
        }
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
