package dev.radial.hub.git;

/** A sync step failed; the message says which source or file and why, and never holds a secret. */
public class SyncException extends Exception {
    public SyncException(String message) {
        super(message);
    }

    public SyncException(String message, Throwable cause) {
        super(message, cause);
    }
}
