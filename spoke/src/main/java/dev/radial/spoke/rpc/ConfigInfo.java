package dev.radial.spoke.rpc;

import dev.radial.common.config.LogConfig;
import java.nio.file.Path;

/** How supervisord's getAllConfigInfo shows values it holds as None or Automatic. Stateless. */
final class ConfigInfo {
    private ConfigInfo() {
    }

    /** supervisord marshals None as the string "none": an AUTO serverurl is None in its config. */
    static String serverurl(String configured) {
        return configured == null ? "none" : configured;
    }

    /**
     * A log file: the chosen file for AUTO when the process exists (supervisord picks it when the group is
     * added); "auto" for a group not in use, whose AUTO file is not chosen yet; "none" for NONE.
     */
    static String logfile(LogConfig l, Path chosen) {
        if (l.auto()) {
            return chosen != null ? chosen.toString() : "auto";
        }
        return l.logfile() == null ? "none" : l.logfile();
    }
}
