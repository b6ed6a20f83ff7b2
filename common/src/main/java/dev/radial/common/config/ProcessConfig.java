package dev.radial.common.config;

import java.util.List;
import java.util.Map;

/**
 * One process as supervisord understands a [program:x] section after numprocs expansion. Immutable; two
 * configs are equal when a running process would not need a restart to adopt the other.
 *
 * @param environment the merged environment additions: [supervisord] environment, then the program's own
 * @param uid         the user to run as, or null to stay as the daemon's user
 * @param failFast our extension ({@code fail_fast=true}): when this program goes FATAL or exits unexpectedly,
 *     the spoke shuts down with a non-zero exit code so the orchestrator restarts the container
 * @param forwardOutput our extension: copy the child's lines to the daemon's stdout/stderr, prefixed
 * @param restartDelay our extension ({@code restart_delay*} keys): the crash-loop brake of autorestarts
 * @param dependsOn our extension ({@code depends_on=}): what must hold before this process starts
 * @param schedule our extension ({@code schedule=}): when to start it (unless it still runs), or null
 * @param restartLimit our extension ({@code restart_limit=}): at most so many autorestarts per interval, or null
 * @param logFormat our extension ({@code log_format=}): how output lines are written to log files and forwarded
 * @param startretriesUnlimited our extension ({@code startretries_unlimited=true}): a process that keeps failing
 *     to stay up for startsecs is retried forever (BACKOFF never gives up to FATAL); the delays still grow, capped
 * @param readiness our extension ({@code readiness_*}): whether it is ready (health, depends_on=x:healthy), or null
 * @param liveness our extension ({@code liveness_*}): whether it still works (failing restarts it), or null
 */
public record ProcessConfig(String name, String programName, String command, String directory, Integer umask,
        int priority, boolean autostart, AutoRestart autorestart, int startsecs, int startretries, Integer uid,
        String user, LogConfig stdout, LogConfig stderr, int stopsignal, int stopwaitsecs, boolean stopasgroup,
        boolean killasgroup, List<Integer> exitcodes, boolean redirectStderr, Map<String, String> environment,
        String serverurl, boolean forwardOutput, boolean failFast, RestartDelay restartDelay,
        List<Dependency> dependsOn, Cron schedule, RestartLimit restartLimit, LogFormat logFormat,
        boolean startretriesUnlimited, Probe readiness, Probe liveness) {

    public ProcessConfig {
        exitcodes = List.copyOf(exitcodes);
        environment = Map.copyOf(environment);
        dependsOn = List.copyOf(dependsOn);
    }

    /** Whether a readiness or a liveness probe is configured. */
    public boolean probed() {
        return readiness != null || liveness != null;
    }
}
