package dev.radial.common.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Tests that press Ctrl-C (a SIGINT to a client, bin/wheel) start it as a terminal would: with SIGINT at its
 * default action. A test run started from a non-interactive shell's background job inherits SIGINT ignored, every
 * process it starts keeps it ignored across exec, and then neither supervisorctl (Python installs no handler for a
 * signal ignored at entry) nor bash's traps nor ctl can be interrupted, as in that shell's jobs.
 */
public final class Interrupts {
    private Interrupts() {
    }

    /** {@code cmd} run through coreutils' {@code env --default-signal=INT}, which execs it (the same pid). */
    public static List<String> withDefaultSigint(List<String> cmd) {
        List<String> all = new ArrayList<>(List.of("/usr/bin/env", "--default-signal=INT"));
        all.addAll(cmd);
        return all;
    }
}
