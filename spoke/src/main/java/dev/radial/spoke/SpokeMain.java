package dev.radial.spoke;

import dev.radial.common.config.ConfigDump;
import dev.radial.common.config.ConfigException;
import dev.radial.common.config.ConfigLoader;
import dev.radial.common.config.SupervisorConfig;
import dev.radial.common.util.GetOpt;
import dev.radial.common.util.Json;
import dev.radial.spoke.engine.AutostartPolicy;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code spoke}: supervisord's command line (parsed as supervisord does, with Python's getopt: {@link GetOpt}),
 * plus Radial mode when no {@code -c} is given, plus {@code spoke config --dump}. Exit codes follow supervisord:
 * 2 for a bad config or usage.
 *
 * <p>No picocli here: its classes, their reflection and annotation proxies stayed in the daemon's metaspace and
 * heap for its whole life (3 MiB of anonymous memory with 100 idle programs, docs/benchmarks.md).
 */
public final class SpokeMain {
    /** supervisord's short options (options.py, ServerOptions), in getopt's spec. */
    static final String SHORTS = "h?c:vnu:m:d:l:y:z:e:j:i:q:a:kts";
    /** supervisord's long options; "=" when it takes a value. */
    static final List<String> LONGS = List.of("help", "configuration=", "version", "nodaemon", "user=", "umask=",
            "directory=", "logfile=", "logfile_maxbytes=", "logfile_backups=", "loglevel=", "pidfile=",
            "identifier=", "childlogdir=", "minfds=", "minprocs=", "nocleanup", "strip_ansi", "profile_options=",
            "silent");
    /** Short option to its long name. */
    private static final Map<String, String> ALIASES = Map.ofEntries(Map.entry("h", "help"),
            Map.entry("?", "help"), Map.entry("c", "configuration"), Map.entry("v", "version"),
            Map.entry("n", "nodaemon"), Map.entry("u", "user"), Map.entry("m", "umask"), Map.entry("d", "directory"),
            Map.entry("l", "logfile"), Map.entry("y", "logfile_maxbytes"), Map.entry("z", "logfile_backups"),
            Map.entry("e", "loglevel"), Map.entry("j", "pidfile"), Map.entry("i", "identifier"),
            Map.entry("q", "childlogdir"), Map.entry("a", "minfds"), Map.entry("k", "nocleanup"),
            Map.entry("t", "strip_ansi"), Map.entry("s", "silent"));
    /** Long options that land in [supervisord] as they are named. */
    private static final List<String> VALUES = List.of("user", "umask", "directory", "logfile", "logfile_maxbytes",
            "logfile_backups", "loglevel", "pidfile", "identifier", "childlogdir", "minfds", "minprocs");
    private static final List<String> FLAGS = List.of("nocleanup", "strip_ansi", "silent");

    Path configuration;
    boolean help;
    boolean version;
    /** The options by long name, last one winning (as supervisord's realize does). */
    private final Map<String, String> given;
    /** In Radial mode: a command to exec instead (after "--"). */
    final List<String> command;

    private SpokeMain(Map<String, String> given, List<String> command) {
        this.given = given;
        this.command = command;
        this.configuration = given.containsKey("configuration") ? Path.of(given.get("configuration")) : null;
        this.help = given.containsKey("help");
        this.version = given.containsKey("version");
    }

    /** Parses supervisord's command line; {@link GetOpt.Error} with getopt's message when it is not one. */
    static SpokeMain parse(String[] args) throws GetOpt.Error {
        GetOpt.Result r = GetOpt.parse(args, SHORTS, LONGS);
        return new SpokeMain(GetOpt.byName(r, ALIASES), List.copyOf(r.args()));
    }

    /** The [supervisord] values given on the command line; they win over the file, as in supervisord. */
    Map<String, String> overrides() {
        Map<String, String> o = new LinkedHashMap<>();
        for (String k : VALUES) {
            if (given.containsKey(k)) {
                o.put(k, given.get(k));
            }
        }
        for (String k : FLAGS) {
            if (given.containsKey(k)) {
                o.put(k, "true");
            }
        }
        return o;
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

    int run() throws Exception {
        if (help) {
            System.out.print(USAGE);
            System.out.println();
            return 0;
        }
        if (version) {
            System.out.println(version());
            return 0;
        }
        if (configuration == null) {
            return RadialMode.run(this);
        }
        if (!command.isEmpty()) {
            // supervisord refuses them too ("positional arguments are not supported"); a command is Radial mode's
            return usage("positional arguments are not supported: " + command);
        }
        return Daemon.run(configuration, overrides(), AutostartPolicy.CONFIGURED, null);
    }

    /** {@code spoke config -c FILE [--dump]}: checks a configuration, prints the effective one as JSON. */
    static int config(String[] args) {
        Path file;
        boolean dump;
        try {
            GetOpt.Result r = GetOpt.parse(args, "c:", List.of("configuration=", "dump"));
            Map<String, String> o = GetOpt.byName(r, Map.of("c", "configuration"));
            if (!r.args().isEmpty()) {
                return usage("spoke config takes no arguments: " + r.args());
            }
            if (!o.containsKey("configuration")) {
                return usage("spoke config needs -c FILENAME");
            }
            file = Path.of(o.get("configuration"));
            dump = o.containsKey("dump");
        } catch (GetOpt.Error e) {
            return usage(e.getMessage());
        }
        try {
            SupervisorConfig c = ConfigLoader.create().load(file);
            if (dump) {
                System.out.println(Json.pretty(ConfigDump.toMap(c)));
            } else {
                System.out.println("spoke: " + file + ": OK (" + c.groups().size() + " groups)");
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

    /** supervisord's usage error: the message, where to find help, exit code 2. */
    private static int usage(String message) {
        System.err.println("Error: " + message);
        System.err.println("For help, use spoke -h");
        return 2;
    }

    static String version() {
        return dev.radial.spoke.rpc.SupervisorRpc.SUPERVISOR_VERSION;
    }

    /** Exit codes: the daemon's; 2 for usage; 1 when start-up failed with an exception. */
    static int run(String[] args) {
        if (args.length > 0 && args[0].equals("config")) {
            return config(java.util.Arrays.copyOfRange(args, 1, args.length));
        }
        if (args.length == 1 && args[0].equals(AotTraining.FLAG)) {
            return AotTraining.run();
        }
        SpokeMain opts;
        try {
            opts = parse(args);
        } catch (GetOpt.Error e) {
            return usage(e.getMessage());
        }
        try {
            return opts.run();
        } catch (Exception e) {
            System.err.println("spoke: " + e.getMessage());
            return 1;
        }
    }

    public static void main(String[] args) {
        LocaleCoercion.apply(System.err);
        System.exit(run(args));
    }
}
