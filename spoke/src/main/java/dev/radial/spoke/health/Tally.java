package dev.radial.spoke.health;

/**
 * The threshold state machine of one probe, a pure value (Kubernetes' semantics): {@code successThreshold}
 * consecutive successes make it HEALTHY, {@code failureThreshold} consecutive failures UNHEALTHY; a result
 * against the current verdict that has not yet reached its threshold leaves the verdict as it is. Every run of
 * the process starts from {@link #INITIAL}.
 *
 * @param health    the verdict
 * @param successes consecutive successes so far (0 after a failure)
 * @param failures  consecutive failures so far (0 after a success)
 */
public record Tally(Health health, int successes, int failures) {
    public static final Tally INITIAL = new Tally(Health.UNKNOWN, 0, 0);

    /** The tally after one more attempt's result. */
    public Tally after(boolean ok, int successThreshold, int failureThreshold) {
        if (ok) {
            int s = saturated(successes);
            return new Tally(s >= successThreshold ? Health.HEALTHY : health, s, 0);
        }
        int f = saturated(failures);
        return new Tally(f >= failureThreshold ? Health.UNHEALTHY : health, 0, f);
    }

    private static int saturated(int n) {
        return n == Integer.MAX_VALUE ? n : n + 1;
    }
}
