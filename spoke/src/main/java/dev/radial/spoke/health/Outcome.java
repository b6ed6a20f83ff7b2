package dev.radial.spoke.health;

/**
 * The result of one probe attempt.
 *
 * @param ok     a success
 * @param detail what happened, in a few words ("HTTP 503", "connection refused", "exit status 1: ...")
 */
public record Outcome(boolean ok, String detail) {
    static Outcome success(String detail) {
        return new Outcome(true, detail);
    }

    static Outcome failure(String detail) {
        return new Outcome(false, detail);
    }
}
