package dev.radial.hub;

/**
 * How long the sync loop waits before the next sync: the poll period, doubled for each consecutive failure to
 * fetch (a remote that is down or refuses us), up to 5 minutes. Any other failure (an invalid revision, a
 * conflict between sources, an unexpected error) does not back off: the fix pushed after a bad commit is
 * published at the next poll. Used by the sync thread only.
 */
final class Backoff {
    static final long MAX_SECONDS = 300;

    private final long pollSeconds;
    private int remoteFailures;

    Backoff(long pollSeconds) {
        this.pollSeconds = Math.max(1, pollSeconds);
    }

    /** Records a sync's outcome; returns the seconds until the next sync. */
    long after(Hub.Outcome o) {
        remoteFailures = !o.ok() && o.remoteFailure() ? remoteFailures + 1 : 0;
        if (remoteFailures == 0) {
            return pollSeconds;
        }
        return Math.min(pollSeconds << Math.min(remoteFailures, 20), Math.max(MAX_SECONDS, pollSeconds));
    }
}
