package dev.radial.ctl;

/** supervisorctl's exit codes (LSB init-script conventions); scripts and HEALTHCHECKs test these. */
public final class LsbExit {
    public static final int SUCCESS = 0;
    public static final int GENERIC = 1;
    public static final int INVALID_ARGS = 2;
    public static final int UNIMPLEMENTED_FEATURE = 3;
    public static final int INSUFFICIENT_PRIVILEGES = 4;
    public static final int NOT_INSTALLED = 5;
    public static final int NOT_RUNNING = 7;
    /** For {@code status} only (LSBStatusExitStatuses). */
    public static final int STATUS_NOT_RUNNING = 3;
    public static final int STATUS_UNKNOWN = 4;

    private LsbExit() {
    }
}
