package dev.radial.common.config;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * The crash-loop brake of a {@code [program:x]} (our extension; supervisord ignores the keys): how long an
 * autorestart waits after an exit. A program that ran for at least {@code reset} is respawned at once; each
 * further exit that comes sooner waits {@code initial}, then twice the previous wait, up to {@code max}.
 * So a program that crashes now and then is back in milliseconds, and one that exits as soon as it starts
 * settles at about one spawn per {@code max}.
 *
 * @param initial {@code restart_delay}: the wait after the first quick exit; zero turns the brake off
 * @param max     {@code restart_delay_max}: the cap of the doubling
 * @param reset   {@code restart_delay_reset}: a run at least this long forgets earlier quick exits
 */
public record RestartDelay(Duration initial, Duration max, Duration reset) {
    /** The largest value a key accepts: one day. */
    static final Duration LIMIT = Duration.ofDays(1);

    /** restart_delay=0.01, restart_delay_max=1, restart_delay_reset=10 (seconds). */
    public static final RestartDelay DEFAULT = new RestartDelay(Duration.ofMillis(10), Duration.ofSeconds(1),
            Duration.ofSeconds(10));

    public RestartDelay {
        check("restart_delay", initial);
        check("restart_delay_max", max);
        check("restart_delay_reset", reset);
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("restart_delay_max (" + seconds(max)
                    + ") must not be less than restart_delay (" + seconds(initial) + ")");
        }
    }

    private static void check(String key, Duration d) {
        if (d.isNegative() || d.compareTo(LIMIT) > 0) {
            throw new IllegalArgumentException(key + " must be between 0 and " + LIMIT.toSeconds() + " seconds, is "
                    + seconds(d));
        }
    }

    /**
     * The wait before the next automatic restart.
     *
     * @param previous the wait before the run that just ended (zero if it started without one)
     * @param ranFor   how long that run lasted
     */
    public Duration next(Duration previous, Duration ranFor) {
        if (ranFor.compareTo(reset) >= 0 || initial.isZero()) {
            return Duration.ZERO;
        }
        if (previous.isZero()) {
            return initial;
        }
        Duration doubled = previous.multipliedBy(2);
        if (doubled.compareTo(initial) < 0) {
            doubled = initial;
        }
        return doubled.compareTo(max) > 0 ? max : doubled;
    }

    /**
     * Seconds as the keys take them: a non-negative decimal number such as {@code 1}, {@code 0.05} or
     * {@code .5}, at most a day, precise to the microsecond.
     */
    public static Duration seconds(String v) {
        String s = v.strip();
        if (!s.matches("[0-9]*(\\.[0-9]*)?") || s.isEmpty() || s.equals(".")) {
            throw new IllegalArgumentException("'" + v + "' is not a number of seconds (such as 1, 0.05 or .5)");
        }
        BigDecimal secs = new BigDecimal(s.startsWith(".") ? "0" + s : s);
        if (secs.compareTo(BigDecimal.valueOf(LIMIT.toSeconds())) > 0) {
            throw new IllegalArgumentException("'" + v + "' is more than a day (" + LIMIT.toSeconds() + " seconds)");
        }
        long micros = secs.movePointRight(6).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
        return Duration.ofNanos(micros * 1000);
    }

    /** A duration written the way the keys take it ("0.01"). */
    public static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString();
    }
}
