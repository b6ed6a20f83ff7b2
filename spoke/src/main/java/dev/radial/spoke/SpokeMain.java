package dev.radial.spoke;

import dev.radial.common.config.ConfigDump;
import dev.radial.common.config.ConfigException;
import dev.radial.common.config.ConfigLoader;
import dev.radial.common.config.SupervisorConfig;
import dev.radial.common.util.Json;
import dev.radial.spoke.engine.AutostartPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spoke}: supervisord's command line, plus Radial mode when no {@code -c} is given, plus
 * {@code spoke config --dump}. Exit codes follow supervisord: 2 for a bad config or usage.
 */
@Command(name = "spoke", mixinStandardHelpOptions = false, subcommands = SpokeMain.ConfigCommand.class,
        description = "Radial spoke: a supervisord-compatible process supervisor.")
public final class SpokeMain implements Callable<Integer> {
    @Option(names = {"-c", "--configuration"}, description = "configuration file path") Path configuration;
    @Option(names = {"-n", "--nodaemon"}, description = "run in the foreground (always: the spoke never forks)") boolean nodaemon;
    @Option(names = {"-s", "--silent"}, description = "no logs to stdout") boolean silent;
    @Option(names = {"-h", "--help", "-?"}, description = "print this usage message and exit") boolean help;
    @Option(names = {"-v", "--version"}, versionHelp = true, description = "print supervisord version number and exit") boolean version;
    @Option(names = {"-u", "--user"}, description = "run supervisord as this user") String user;
    @Option(names = {"-m", "--umask"}, description = "use this umask for daemon subprocess (default is 022)") String umask;
    @Option(names = {"-d", "--directory"}, description = "directory to chdir to when daemonized") String directory;
    @Option(names = {"-l", "--logfile"}, description = "use FILENAME as logfile path") String logfile;
    @Option(names = {"-y", "--logfile_maxbytes"}, description = "use BYTES to limit the max size of logfile") String logfileMaxbytes;
    @Option(names = {"-z", "--logfile_backups"}, description = "number of backups to keep when max bytes reached") String logfileBackups;
    @Option(names = {"-e", "--loglevel"}, description = "use LEVEL as log level (debug,info,warn,error,critical)") String loglevel;
    @Option(names = {"-j", "--pidfile"}, description = "write a pid file for the daemon process to FILENAME") String pidfile;
    @Option(names = {"-i", "--identifier"}, description = "identifier used for this instance of supervisord") String identifier;
    @Option(names = {"-q", "--childlogdir"}, description = "the log directory for child process logs") String childlogdir;
    @Option(names = {"-k", "--nocleanup"}, description = "prevent the process from performing cleanup") boolean nocleanup;
    @Option(names = {"-a", "--minfds"}, description = "the minimum number of file descriptors for start success") String minfds;
    @Option(names = {"-t", "--strip_ansi"}, description = "strip ansi escape codes from process output") boolean stripAnsi;
    @Option(names = "--minprocs", description = "the minimum number of processes available for start success") String minprocs;
    @Option(names = "--profile_options", hidden = true) String profileOptions;
    @Parameters(hidden = true, description = "in Radial mode: a command to exec instead (after --)") List<String> command = new ArrayList<>();

    /** The [supervisord] values given on the command line; they win over the file, as in supervisord. */
    Map<String, String> overrides() {
        Map<String, String> o = new LinkedHashMap<>();
        put(o, "user", user);
        put(o, "umask", umask);
        put(o, "directory", directory);
        put(o, "logfile", logfile);
        put(o, "logfile_maxbytes", logfileMaxbytes);
        put(o, "logfile_backups", logfileBackups);
        put(o, "loglevel", loglevel);
        put(o, "pidfile", pidfile);
        put(o, "identifier", identifier);
        put(o, "childlogdir", childlogdir);
        put(o, "minfds", minfds);
        put(o, "minprocs", minprocs);
        if (nocleanup) {
            o.put("nocleanup", "true");
        }
        if (stripAnsi) {
            o.put("strip_ansi", "true");
        }
        if (silent) {
            o.put("silent", "true");
        }
        return o;
    }

    private static void put(Map<String, String> o, String k, String v) {
        if (v != null) {
            o.put(k, v);
        }
    }

    /** supervisord's help text (its module docstring), then what the spoke adds; -h, --help and -? print it. */
    static final String USAGE = """
            supervisord -- run a set of applications as daemons.

            Usage: spoke [options]

            Options:
            -c/--configuration FILENAME -- configuration file path (Radial mode if not given)
            -n/--nodaemon -- run in the foreground (the spoke always does)
            -s/--silent -- no logs to stdout (maps to 'silent=true' in config file)
            -h/--help -- print this usage message and exit
            -v/--version -- print supervisord version number and exit
            -u/--user USER -- run supervisord as this user (or numeric uid)
            -m/--umask UMASK -- use this umask for daemon subprocess (default is 022)
            -d/--directory DIRECTORY -- directory to chdir to when daemonized
            -l/--logfile FILENAME -- use FILENAME as logfile path
            -y/--logfile_maxbytes BYTES -- use BYTES to limit the max size of logfile
            -z/--logfile_backups NUM -- number of backups to keep when max bytes reached
            -e/--loglevel LEVEL -- use LEVEL as log level (debug,info,warn,error,critical)
            -j/--pidfile FILENAME -- write a pid file for the daemon process to FILENAME
            -i/--identifier STR -- identifier used for this instance of supervisord
            -q/--childlogdir DIRECTORY -- the log directory for child process logs
            -k/--nocleanup --  prevent the process from performing cleanup (removal of
                               old automatic child log files) at startup.
            -a/--minfds NUM -- the minimum number of file descriptors for start success
            -t/--strip_ansi -- strip ansi escape codes from process output
            --minprocs NUM  -- the minimum number of processes available for start success
            --profile_options OPTIONS -- accepted and ignored (supervisord runs under a profiler)

            Radial mode (no -c): SPOKE_NAME names the group to run; see README.md.
            spoke config -c FILENAME [--dump] -- check a configuration (and print it as JSON)
            """;

    @Override
    public Integer call() throws Exception {
        if (help) {
            System.out.print(USAGE);
            System.out.println();
            return 0;
        }
        if (configuration == null) {
            return RadialMode.run(this);
        }
        return Daemon.run(configuration, overrides(), AutostartPolicy.CONFIGURED, null);
    }

    /** {@code spoke config --dump [-c FILE]}: the effective configuration as JSON. */
    @Command(name = "config", description = "Check a configuration and print what it means.")
    static final class ConfigCommand implements Callable<Integer> {
        @Option(names = {"-c", "--configuration"}, required = true) Path configuration;
        @Option(names = "--dump", description = "print the effective configuration as JSON") boolean dump;

        @Override
        public Integer call() {
            try {
                SupervisorConfig c = ConfigLoader.create().load(configuration);
                if (dump) {
                    System.out.println(Json.pretty(ConfigDump.toMap(c)));
                } else {
                    System.out.println("spoke: " + configuration + ": OK (" + c.groups().size() + " groups)");
                }
                for (String w : c.warnings()) {
                    System.err.println("spoke: warning: " + w);
                }
                return 0;
            } catch (ConfigException e) {
                System.err.println("spoke: " + e.getMessage());
                return 2;
            }
        }
    }

    static String version() {
        return dev.radial.spoke.rpc.SupervisorRpc.SUPERVISOR_VERSION;
    }

    public static void main(String[] args) {
        LocaleCoercion.apply(System.err);
        CommandLine cl = new CommandLine(new SpokeMain());
        cl.setCommandName("spoke");
        cl.getCommandSpec().version(version());
        cl.setParameterExceptionHandler((ex, a) -> {
            System.err.println("Error: " + ex.getMessage());
            System.err.println("For help, use spoke -h");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, p) -> {
            System.err.println("spoke: " + ex.getMessage());
            return 1;
        });
        System.exit(cl.execute(args));
    }
}
