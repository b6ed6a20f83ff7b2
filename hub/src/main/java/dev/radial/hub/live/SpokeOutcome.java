package dev.radial.hub.live;

/**
 * What applying a revision did on one spoke: APPLIED (with what changed), FAILED (why: a fault, an HTTP error or
 * an answer that is not what supervisord's API returns), UNREACHABLE (no connection, or closed at once),
 * TIMED_OUT (connected but no complete answer in time: a stopped or hung spoke) or, while the update runs,
 * UPDATING.
 */
public record SpokeOutcome(String spoke, String host, Result result, String detail) {
    public enum Result {
        APPLIED, FAILED, UNREACHABLE, TIMED_OUT, UPDATING
    }

    @Override
    public String toString() {
        return spoke + "@" + host + ": " + result.name().toLowerCase() + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
