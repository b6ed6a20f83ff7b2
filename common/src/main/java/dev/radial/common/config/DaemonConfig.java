package dev.radial.common.config;

import java.util.Map;

/**
 * The [supervisord] section with command-line overrides applied.
 *
 * @param forwardOutput our extension: default for programs' {@code forward_output}
 * @param logFormat our extension: default for programs' {@code log_format}
 */
public record DaemonConfig(String logfile, long logfileMaxbytes, int logfileBackups, String loglevel, String pidfile,
        int umask, boolean nodaemon, boolean silent, int minfds, int minprocs, boolean nocleanup, String childlogdir,
        String user, String directory, boolean stripAnsi, Map<String, String> environment, String identifier,
        boolean forwardOutput, LogFormat logFormat) {

    public DaemonConfig {
        environment = Map.copyOf(environment);
    }
}
