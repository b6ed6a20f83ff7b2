package dev.radial.spoke.http;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Main-log lines for what the server refused and why, at most one per kind every {@link #INTERVAL_NANOS}, with a
 * count of the ones held back, so a flood of bad clients cannot flood the log. Selector thread only.
 */
final class RefusalLog {
    static final long INTERVAL_NANOS = 10_000_000_000L;

    private record Seen(long lastLogged, int suppressed) {
    }

    private final Consumer<String> sink;
    private final String server;
    private final Map<String, Seen> kinds = new HashMap<>();

    RefusalLog(Consumer<String> sink, String server) {
        this.sink = sink;
        this.server = server;
    }

    /** Logs {@code message} unless a line of the same {@code kind} was logged less than the interval ago. */
    void log(String kind, String message, long now) {
        Seen s = kinds.get(kind);
        if (s != null && now - s.lastLogged() < INTERVAL_NANOS) {
            kinds.put(kind, new Seen(s.lastLogged(), s.suppressed() + 1));
            return;
        }
        int held = s == null ? 0 : s.suppressed();
        kinds.put(kind, new Seen(now, 0));
        sink.accept(server + ": " + message + (held == 0 ? "" : " (and " + held + " more like it before)"));
    }
}
