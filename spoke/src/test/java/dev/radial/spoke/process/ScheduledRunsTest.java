package dev.radial.spoke.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.config.Cron;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** The timing of schedule= with both clocks injected: arming, firing, wake-ups that are not due, clock jumps. */
class ScheduledRunsTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = ZonedDateTime.of(2026, 12, 1, 16, 0, 30, 0, ZoneOffset.UTC).toInstant()
            .toEpochMilli();

    @Test
    void armsForTheNextMinuteFiresThenArmsAgain() {
        ScheduledRuns r = new ScheduledRuns(Cron.parse("* * * * *"), ZoneOffset.UTC);
        ScheduledRuns.Tick t = r.tick(T0, 5_000 * MS);
        assertFalse(t.due());
        assertEquals(5_000 * MS + 30_000 * MS, t.armNanos(), "30 s to 16:01:00");
        // another transition (a child exit, say) in between: not due, no new timer
        assertEquals(ScheduledRuns.Tick.NONE, r.tick(T0 + 10_000, 15_000 * MS));
        t = r.tick(T0 + 30_000, 35_000 * MS);
        assertTrue(t.due());
        assertEquals(T0 + 30_000, t.dueWallMillis());
        assertEquals(0, t.missed());
        assertEquals(35_000 * MS + 60_000 * MS, t.armNanos());
    }

    @Test
    void aWallClockThatWentBackIsFollowed() {
        ScheduledRuns r = new ScheduledRuns(Cron.parse("* * * * *"), ZoneOffset.UTC);
        r.tick(T0, 0);
        // our timer fired after 30 s of monotonic time, but the wall clock was set back 10 s meanwhile
        ScheduledRuns.Tick t = r.tick(T0 + 20_000, 30_000 * MS);
        assertFalse(t.due());
        assertEquals(30_000 * MS + 10_000 * MS, t.armNanos(), "re-armed for the 10 s still to go");
    }

    @Test
    void aJumpAheadCountsTheMissedRunsAndDoesNotCatchUp() {
        ScheduledRuns r = new ScheduledRuns(Cron.parse("*/5 * * * *"), ZoneOffset.UTC);
        r.tick(T0, 0); // next: 16:05
        long wall = T0 + 3_600_000; // 17:00:30, an hour later (suspended)
        ScheduledRuns.Tick t = r.tick(wall, 3_600_000 * MS);
        assertTrue(t.due());
        assertEquals(T0 + 270_000, t.dueWallMillis(), "16:05 is the run that fires");
        assertEquals(11, t.missed(), "16:10 ... 17:00");
        assertEquals(T0 + 3_600_000 + 270_000, r.nextWallMillis(), "then 17:05");
    }

    @Test
    void anExpressionThatStopsFiringStopsArming() {
        ScheduledRuns r = new ScheduledRuns(Cron.parse("0 0 1 1 *"), ZoneOffset.UTC);
        ScheduledRuns.Tick t = r.tick(T0, 0);
        assertTrue(t.armNanos() > 0);
        assertEquals(ZonedDateTime.of(2027, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).toInstant().toEpochMilli(),
                r.nextWallMillis());
    }
}
