package dev.radial.ctl;

import dev.radial.common.client.ServerUrl;
import dev.radial.common.client.SupervisorClient;
import dev.radial.common.config.ConfigException;
import dev.radial.common.config.ConfigLoader;
import dev.radial.common.config.CtlConfig;
import dev.radial.common.radial.RadialRoots;
import dev.radial.common.util.GetOpt;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ctl}: supervisorctl's command line, output and exit codes, plus wheel-wide use ({@code -w SPOKE},
 * {@code --all}) through the shared run volume and {@code --json} for scripts.
 */
public final class CtlMain {
    static final String USAGE = """
            supervisorctl -- control applications run by supervisord from the cmd line.

            Usage: ctl [options] [action [arguments]]

            Options:
            -c/--configuration FILENAME -- configuration file path (searches if not given)
            -h/--help -- print usage message and exit (also -?)
            -i/--interactive -- start an interactive shell after executing commands
            -s/--serverurl URL -- URL on which supervisord server is listening
                 (default "http://localhost:9001").
            -u/--username USERNAME -- username to use for authentication with server
            -p/--password PASSWORD -- password to use for authentication with server
            -r/--history-file -- keep a readline history (if readline is available)
            -w/--spoke NAME -- run the action on the spoke(s) named NAME of this wheel
                 (found through $RADIAL_RUN_ROOT/supervisor/*/, default /run)
            --all -- run the action on every spoke of this wheel, output prefixed by spoke;
                 the exit code is the worst of them; a spoke without a live socket is down
            --all-groups -- with -w/--all: show and act on every group each spoke has loaded
                 (default: "all" and a bare status mean each spoke's own group)
            --json -- print results as JSON (for scripts)

            action [arguments] -- see below

            Actions are commands like "tail" or "stop".  If -i is specified or no action is
            specified on the command line, a "shell" interpreting actions typed
            interactively is started.  Use the action "help" to find out about available
            actions.
            """;

    /** supervisorctl's search path when -c is not given (the first that exists wins). */
    static final List<String> SEARCH_PATHS = List.of("supervisord.conf", "etc/supervisord.conf",
            "/etc/supervisord.conf", "/etc/supervisor/supervisord.conf");

    Path configuration;
    boolean help;
    boolean interactive;
    String serverUrl;
    String username;
    String password;
    Path historyFile;
    String spoke;
    boolean all;
    boolean allGroups;
    boolean json;
    List<String> action = new ArrayList<>();

    private static final List<String> LONG = List.of("configuration=", "help", "interactive", "serverurl=",
            "username=", "password=", "history-file=", "spoke=", "all", "all-groups", "json");
    private static final Map<String, String> SHORT = Map.of("c", "configuration", "h", "help", "?", "help",
            "i", "interactive", "s", "serverurl", "u", "username", "p", "password", "r", "history-file", "w", "spoke");

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String[] args) {
        if (args.length == 1 && args[0].equals(AotTraining.FLAG)) {
            return AotTraining.run();
        }
        CtlMain opts = new CtlMain();
        try {
            GetOpt.Result r = GetOpt.parse(args, "c:h?ir:s:u:p:w:", LONG);
            Map<String, String> o = GetOpt.byName(r, SHORT);
            opts.configuration = o.containsKey("configuration") ? Path.of(o.get("configuration")) : null;
            opts.help = o.containsKey("help");
            opts.interactive = o.containsKey("interactive");
            opts.serverUrl = o.get("serverurl");
            opts.username = o.get("username");
            opts.password = o.get("password");
            opts.historyFile = o.containsKey("history-file") ? Path.of(o.get("history-file")) : null;
            opts.spoke = o.get("spoke");
            opts.all = o.containsKey("all");
            opts.allGroups = o.containsKey("all-groups");
            opts.json = o.containsKey("json");
            opts.action = r.args();
        } catch (GetOpt.Error e) {
            return usage(e.getMessage());
        }
        if (opts.help) {
            System.out.print(USAGE);
            return 0;
        }
        try {
            return opts.execute();
        } catch (UsageException e) {
            return usage(e.getMessage());
        }
    }

    static int usage(String message) {
        System.err.println("Error: " + message);
        System.err.println("For help, use ctl -h");
        return 2;
    }

    /** A command-line or config problem supervisorctl reports as usage (exit 2). */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private int execute() throws UsageException {
        // ctl's servers are mostly unix sockets: the JDK's first-use cost of those overlaps reading the config
        SupervisorClient.warmUpUnixSockets();
        // interruptible: Ctrl-C in fg ends the command, not only Ctrl-D
        BufferedReader stdin = new LineInput(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = String.join(" ", action);
        if (spoke != null || all) {
            return WheelRunner.run(this, stdin, line);
        }
        return runOn(settings(), line, stdin);
    }

    /** One server: the command line once, or the shell when there is none (also a single spoke of a wheel). */
    int runOn(Settings s, String line, BufferedReader stdin) {
        Output out = json ? new Output.JsonDocument() : new Output.Text(System.out);
        // no action words at all (not an empty one, as in supervisorctl '') starts the shell
        boolean shell = action.isEmpty() || interactive;
        try (Controller ctl = new Controller(s.url, s.username, s.password, shell, out, stdin).scope(s.scope)) {
            if (!action.isEmpty()) {
                ctl.onecmd(line);
                if (out instanceof Output.JsonDocument doc) {
                    System.out.println(doc.toJson(ctl.exitStatus()));
                }
                return ctl.exitStatus();
            }
            new Shell(s.prompt, historyFile != null ? historyFile : s.historyFile, stdin)
                    .run(l -> ctl.onecmd(l));
            return 0; // supervisorctl: interactive mode always exits 0
        }
    }

    /**
     * Where to connect and how, after options, config file and the Radial fallback; {@code scope} is the spoke whose
     * own group "all" means (wheel-wide use), or null.
     */
    record Settings(ServerUrl url, String username, String password, String prompt, Path historyFile, String scope) {
    }

    Settings settings() throws UsageException {
        Path config = configuration;
        Wheel.Spoke own = ownSpoke();
        if (config == null && serverUrl == null && own != null) {
            // inside a spoke container (SPOKE_NAME set): its own socket, whatever /etc/supervisor may hold
            return new Settings(own.url(), username != null ? username : own.username(),
                    password != null ? password : own.password(), "supervisor", null, null);
        }
        if (config == null) {
            config = SEARCH_PATHS.stream().map(Path::of).filter(Files::exists).findFirst().orElse(null);
        }
        CtlConfig c = null;
        if (config != null) {
            try {
                c = ConfigLoader.create().loadCtl(config);
            } catch (ConfigException e) {
                throw new UsageException(e.reason());
            }
        }
        String url = serverUrl != null ? serverUrl : c != null ? c.serverurl() : ServerUrl.DEFAULT;
        try {
            return new Settings(ServerUrl.parse(url), username != null ? username : c != null ? c.username() : null,
                    password != null ? password : c != null ? c.password() : null,
                    c != null ? c.prompt() : "supervisor",
                    c != null && c.historyFile() != null ? Path.of(c.historyFile()) : null, null);
        } catch (IllegalArgumentException e) {
            throw new UsageException("invalid value for -s '" + url + "': " + e.getMessage());
        }
    }

    /** In a spoke container (SPOKE_NAME set), the spoke's own socket when it exists; else null. */
    private static Wheel.Spoke ownSpoke() throws UsageException {
        if (System.getenv("SPOKE_NAME") == null) {
            return null;
        }
        RadialRoots roots = RadialRoots.fromEnvironment();
        Path dir = roots.supervisorRun().resolve(roots.hostname());
        if (!Files.exists(dir.resolve("supervisor.sock"))) {
            return null;
        }
        try {
            return Wheel.spoke(dir);
        } catch (java.io.IOException e) {
            throw new UsageException("cannot read " + dir + ": " + e.getMessage());
        }
    }
}
