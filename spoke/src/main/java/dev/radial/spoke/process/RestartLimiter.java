package dev.radial.spoke.process;

import dev.radial.common.config.RestartDelay;
import dev.radial.common.config.RestartLimit;
import java.util.ArrayDeque;

/**
 * The bookkeeping of {@code restart_limit=N/S} for one {@link Subprocess}: when its latest automatic respawns
 * happened (monotonic nanoseconds, at most N of them). Pure: the time is passed in; the state machine decides
 * which respawns count and makes the process FATAL. Engine thread only.
 */
final class RestartLimiter {
    private final ArrayDeque<Long> times = new ArrayDeque<>();

    /**
     * Why not (the restart-limit message) when a respawn now would be the N+1-th within S, forgetting the earlier
     * ones; otherwise records it and returns null. No limit (null): always null.
     */
    String reached(RestartLimit limit, long nowNanos) {
        if (limit == null) {
            return null;
        }
        long interval = limit.interval().toNanos();
        while (!times.isEmpty() && nowNanos - times.peekFirst() >= interval) {
            times.pollFirst();
        }
        if (times.size() < limit.restarts()) {
            times.addLast(nowNanos);
            return null;
        }
        times.clear();
        return "restart limit reached: " + limit.restarts() + " restarts in " + RestartDelay.seconds(
                limit.interval()) + " s (restart_limit)";
    }
}
