package dev.radial.spoke.process;

import dev.radial.common.config.ProcessConfig;
import java.time.Duration;

/**
 * How long a process waits in BACKOFF before its next start retry. supervisord's rule: the n-th retry after n
 * seconds (1 s, 2 s, 3 s ...), for at most {@code startretries} retries. With {@code startretries_unlimited=true}
 * (ours) the retries never end, so the growth is capped: at {@code restart_delay_max} (the longest wait of the
 * crash-loop brake, so one key bounds every automatic respawn), but never below {@code startretries} seconds
 * (the retries supervisord would make keep its delays exactly) nor below 1 s (never a spawn loop). Pure.
 */
public final class BackoffDelay {
    private BackoffDelay() {
    }

    /** The cap of the delays with unlimited retries (see the class comment). */
    public static Duration cap(ProcessConfig c) {
        Duration cap = Duration.ofSeconds(Math.max(1, c.startretries()));
        Duration max = c.restartDelay().max();
        return max.compareTo(cap) > 0 ? max : cap;
    }

    /** The wait before retry number {@code backoff} (1 for the first). */
    public static Duration of(int backoff, ProcessConfig c) {
        Duration linear = Duration.ofSeconds(Math.max(0, backoff));
        if (!c.startretriesUnlimited()) {
            return linear;
        }
        Duration cap = cap(c);
        return linear.compareTo(cap) > 0 ? cap : linear;
    }
}
