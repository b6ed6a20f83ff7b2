package dev.radial.common.config;

import java.time.Duration;

/**
 * {@code restart_limit=N/SECONDS} (our extension, on top of the crash-loop brake {@link RestartDelay}): at most
 * N automatic restarts (EXITED -> STARTING) within any SECONDS; the restart that would exceed it is not made and
 * the program goes FATAL instead, as systemd's StartLimitBurst/StartLimitIntervalSec. Absent: no limit.
 *
 * @param restarts N, at least 1
 * @param interval SECONDS, more than 0 and at most a day
 */
public record RestartLimit(int restarts, Duration interval) {
    public RestartLimit {
        if (restarts < 1) {
            throw new IllegalArgumentException("restart_limit allows at least 1 restart, not " + restarts);
        }
        if (interval.isZero() || interval.isNegative() || interval.compareTo(RestartDelay.LIMIT) > 0) {
            throw new IllegalArgumentException("the restart_limit interval must be more than 0 and at most a day");
        }
    }

    /** "5/60": five restarts in 60 s; the seconds as restart_delay takes them (decimals allowed). */
    public static RestartLimit parse(String v) {
        String s = v.strip();
        int slash = s.indexOf('/');
        if (slash < 0 || !s.substring(0, slash).strip().matches("[0-9]{1,6}")) {
            throw new IllegalArgumentException("'" + v + "' is not RESTARTS/SECONDS (such as 5/60)");
        }
        return new RestartLimit(Integer.parseInt(s.substring(0, slash).strip()),
                RestartDelay.seconds(s.substring(slash + 1)));
    }

    @Override
    public String toString() {
        return restarts + "/" + RestartDelay.seconds(interval);
    }
}
