package dev.radial.spoke.process;

import dev.radial.common.config.AutoLogNames;
import dev.radial.common.config.DaemonConfig;
import dev.radial.common.config.LogConfig;
import dev.radial.common.config.ProcessConfig;
import dev.radial.spoke.logging.RotatingFile;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The stdout and stderr log files of one {@link Subprocess}: where they are (AUTO files in childlogdir, named
 * and created once per process config when its group is added, as supervisord's create_autochildlogs does, unique
 * among daemons sharing the directory), opened at the first spawn and kept across respawns, reopened on SIGUSR2,
 * closed when the program is removed.
 * Engine thread only.
 */
final class ProcessLogs {
    private final ProcessHost host;
    private RotatingFile stdout;
    private RotatingFile stderr;
    /** The AUTO files chosen for this process config, null until first needed. */
    private Path autoStdout;
    private Path autoStderr;

    ProcessLogs(ProcessHost host) {
        this.host = host;
    }

    RotatingFile stdout() {
        return stdout;
    }

    RotatingFile stderr() {
        return stderr;
    }

    /** The channel's log file, or null when there is none or its name cannot be a path here. */
    Path path(ProcessConfig config, boolean ofStderr) {
        RotatingFile open = ofStderr ? stderr : stdout;
        if (open != null) {
            return open.path();
        }
        try {
            return configured(config, ofStderr);
        } catch (InvalidPathException e) {
            return null; // the spawn reports it (spawnerr); a status call must still answer
        }
    }

    private Path configured(ProcessConfig config, boolean ofStderr) {
        LogConfig lc = ofStderr ? config.stderr() : config.stdout();
        if (lc.auto()) {
            Path chosen = ofStderr ? autoStderr : autoStdout;
            if (chosen == null) {
                chosen = chooseAuto(config.name(), ofStderr ? "stderr" : "stdout");
                if (ofStderr) {
                    autoStderr = chosen;
                } else {
                    autoStdout = chosen;
                }
            }
            return chosen;
        }
        return lc.logfile() == null ? null : Path.of(lc.logfile());
    }

    /** supervisord's get_autochildlog_name: {@code name-channel---identifier-XXXXXXXX.log}, created empty. */
    private Path chooseAuto(String name, String channel) {
        DaemonConfig daemon = host.daemon(); // the current one: a reload may move childlogdir
        try {
            return AutoLogNames.create(daemon.childlogdir(), name, channel, daemon.identifier());
        } catch (IOException e) {
            // childlogdir unusable: opening this (never created) name at spawn fails and says why
            return Path.of(daemon.childlogdir(), name + "-" + channel + "---" + daemon.identifier() + ".log");
        }
    }

    /**
     * supervisord's create_autochildlogs, run when a process is added (daemon start, a group added, a program
     * replaced by an update): each AUTO channel gets its file now, started or not (stderr has none with
     * redirect_stderr, as in supervisord). A spawn then only opens them. A name the JVM cannot encode is left for
     * the spawn to report (its spawnerr).
     */
    void createAuto(ProcessConfig config) {
        try {
            if (config.stdout().auto()) {
                configured(config, false);
            }
            if (config.stderr().auto() && !config.redirectStderr()) {
                configured(config, true);
            }
        } catch (InvalidPathException e) {
            // the spawn fails on it and says why
        }
    }

    /** A new config for the process: its AUTO logs get new files when next needed. */
    void reconfigured() {
        autoStdout = null;
        autoStderr = null;
    }

    /**
     * Opens what is not open yet.
     *
     * @throws InvalidPathException for a name the JVM cannot encode (the C locale and a non-ASCII name)
     */
    void open(ProcessConfig config) throws IOException {
        if (stdout == null) {
            stdout = open(config.stdout(), configured(config, false));
        }
        if (stderr == null && !config.redirectStderr()) {
            stderr = open(config.stderr(), configured(config, true));
        }
    }

    private static RotatingFile open(LogConfig lc, Path p) throws IOException {
        return p == null ? null : new RotatingFile(p, lc.maxbytes(), lc.backups());
    }

    /** Closes both files (removal from the config). */
    void close() {
        try {
            if (stdout != null) {
                stdout.close();
            }
            if (stderr != null) {
                stderr.close();
            }
        } catch (IOException e) {
            // nothing to keep
        }
        stdout = null;
        stderr = null;
    }

    /** Reopens both files after an external rotation (SIGUSR2). */
    void reopen() throws IOException {
        if (stdout != null) {
            stdout.reopen();
        }
        if (stderr != null) {
            stderr.reopen();
        }
    }
}
