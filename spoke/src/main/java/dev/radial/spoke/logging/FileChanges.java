package dev.radial.spoke.logging;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * In-process notification that a log file this JVM writes has changed (appended, rotated, cleared, reopened), so
 * a reader that follows it (an HTTP {@code tail -f}) wakes when there is something to read instead of polling
 * for it. The files are written by {@link RotatingFile} only, so the writer is the event source; like inotify,
 * the registry is per process and keyed by the file's absolute, normalised path.
 *
 * <p>Threading: any thread may watch, unwatch or report a change. {@link #changed} runs the watchers on the
 * writer's thread (the engine thread for child logs), so a watcher must only flag work for its own thread and
 * return: no I/O, no locks held for long. With no watcher at all, {@link #changed} is one volatile read.
 */
public final class FileChanges {
    private static final Map<Path, List<Runnable>> WATCHERS = new ConcurrentHashMap<>();
    private static volatile int watched;

    private FileChanges() {
    }

    /** A subscription; closing it twice is harmless. */
    public interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    /** The key a path is watched and reported under. */
    public static Path key(Path file) {
        return file.toAbsolutePath().normalize();
    }

    /** Runs {@code onChange} after each change of {@code file} until the returned handle is closed. */
    public static Watch watch(Path file, Runnable onChange) {
        Path key = key(file);
        synchronized (WATCHERS) {
            WATCHERS.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(onChange);
            watched++;
        }
        return () -> {
            synchronized (WATCHERS) {
                List<Runnable> list = WATCHERS.get(key);
                if (list != null && list.remove(onChange)) {
                    watched--;
                    if (list.isEmpty()) {
                        WATCHERS.remove(key);
                    }
                }
            }
        };
    }

    /** How many watchers the file has now (any thread; for tests and diagnostics). */
    public static int watchers(Path file) {
        List<Runnable> list = WATCHERS.get(key(file));
        return list == null ? 0 : list.size();
    }

    /** Reports a change of the file under {@code key} (from {@link #key}) to its watchers, if any. */
    static void changed(Path key) {
        if (watched == 0) {
            return;
        }
        List<Runnable> list = WATCHERS.get(key);
        if (list != null) {
            for (Runnable r : list) {
                r.run();
            }
        }
    }
}
