package dev.radial.common.config;

/**
 * One output channel's logging settings ({@code stdout_*} or {@code stderr_*}).
 *
 * @param logfile the path; null when NONE (or when auto: the path is chosen at spawn time in childlogdir)
 * @param auto    {@code AUTO}: a file in childlogdir named after the process
 */
public record LogConfig(String logfile, boolean auto, long maxbytes, int backups, long captureMaxbytes,
        boolean eventsEnabled, boolean syslog) {

    public boolean none() {
        return logfile == null && !auto;
    }
}
