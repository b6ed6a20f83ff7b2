package dev.radial.hub.live;

/** What applying a revision did on one spoke: APPLIED (with what changed), FAILED (why) or UNREACHABLE. */
public record SpokeOutcome(String spoke, String host, Result result, String detail) {
    public enum Result {
        APPLIED, FAILED, UNREACHABLE
    }

    @Override
    public String toString() {
        return spoke + "@" + host + ": " + result.name().toLowerCase() + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
