package dev.radial.spoke.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The threshold state machine: consecutive results, verdicts held until the other threshold is reached. */
class TallyTest {
    private static Tally run(Tally t, int success, int failure, boolean... results) {
        for (boolean ok : results) {
            t = t.after(ok, success, failure);
        }
        return t;
    }

    @Test
    void unknownUntilAThresholdIsReached() {
        assertEquals(new Tally(Health.UNKNOWN, 1, 0), run(Tally.INITIAL, 2, 3, true));
        assertEquals(new Tally(Health.HEALTHY, 2, 0), run(Tally.INITIAL, 2, 3, true, true));
        assertEquals(new Tally(Health.UNKNOWN, 0, 2), run(Tally.INITIAL, 1, 3, false, false));
        assertEquals(new Tally(Health.UNHEALTHY, 0, 3), run(Tally.INITIAL, 1, 3, false, false, false));
    }

    @Test
    void aVerdictHoldsUntilTheOtherThreshold() {
        Tally healthy = run(Tally.INITIAL, 1, 3, true);
        assertEquals(Health.HEALTHY, run(healthy, 1, 3, false, false).health());
        assertEquals(Health.UNHEALTHY, run(healthy, 1, 3, false, false, false).health());
        // a success in between starts the count of failures again
        assertEquals(new Tally(Health.HEALTHY, 0, 2), run(healthy, 1, 3, false, false, true, false, false));
        Tally unhealthy = run(Tally.INITIAL, 2, 1, false);
        assertEquals(new Tally(Health.UNHEALTHY, 1, 0), run(unhealthy, 2, 1, true));
        assertEquals(Health.HEALTHY, run(unhealthy, 2, 1, true, true).health());
        assertEquals(new Tally(Health.UNHEALTHY, 0, 1), run(unhealthy, 2, 1, true, false));
    }

    @Test
    void countsSaturate() {
        Tally t = new Tally(Health.UNHEALTHY, 0, Integer.MAX_VALUE);
        assertEquals(t, t.after(false, 1, 3));
    }

    @Test
    void combinedVerdict() {
        assertEquals(Health.HEALTHY, HealthMonitor.combined(Health.HEALTHY, Health.UNKNOWN));
        assertEquals(Health.UNHEALTHY, HealthMonitor.combined(Health.HEALTHY, Health.UNHEALTHY));
        assertEquals(Health.UNKNOWN, HealthMonitor.combined(Health.UNKNOWN, Health.HEALTHY));
        assertEquals(Health.HEALTHY, HealthMonitor.combined(null, Health.HEALTHY));
        assertEquals(Health.UNKNOWN, HealthMonitor.combined(null, null));
    }
}
