package dev.radial.common.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Loads a supervisord.conf the way supervisord 4.2.5's ServerOptions.read_config does: includes, every
 * section, every key with its default, and {@code %(name)s} expansion with exactly the names supervisord
 * offers for each key (see docs/configuration.md). Single use is not required: a loader may load many times.
 *
 * <pre>{@code
 * SupervisorConfig config = ConfigLoader.create().overrides(Map.of("logfile", "/log/x/supervisord.log"))
 *         .load(Path.of("/config/supervisor/supervisord.conf"));
 * }</pre>
 */
public final class ConfigLoader {
    /** Event type names a listener may subscribe to (supervisor.events.EventTypes, and our PROCESS_HEALTH*). */
    public static final Set<String> EVENT_TYPES = Set.of("EVENT", "PROCESS_STATE", "PROCESS_STATE_STOPPED",
            "PROCESS_STATE_EXITED", "PROCESS_STATE_STARTING", "PROCESS_STATE_STOPPING", "PROCESS_STATE_BACKOFF",
            "PROCESS_STATE_FATAL", "PROCESS_STATE_RUNNING", "PROCESS_STATE_UNKNOWN", "PROCESS_COMMUNICATION",
            "PROCESS_COMMUNICATION_STDOUT", "PROCESS_COMMUNICATION_STDERR", "PROCESS_LOG", "PROCESS_LOG_STDOUT",
            "PROCESS_LOG_STDERR", "REMOTE_COMMUNICATION", "SUPERVISOR_STATE_CHANGE",
            "SUPERVISOR_STATE_CHANGE_RUNNING", "SUPERVISOR_STATE_CHANGE_STOPPING", "TICK", "TICK_5", "TICK_60",
            "TICK_3600", "PROCESS_GROUP", "PROCESS_GROUP_ADDED", "PROCESS_GROUP_REMOVED",
            // ours (health probes); supervisord does not know them, so a listener subscribing to them loads only here
            "PROCESS_HEALTH", "PROCESS_HEALTH_HEALTHY", "PROCESS_HEALTH_UNHEALTHY");

    static final String DEFAULT_RESULT_HANDLER = "supervisor.dispatchers:default_handler";

    private Map<String, String> environ = System.getenv();
    String hostNodeName = HostName.get();
    private Map<String, String> overrides = Map.of();
    private final Map<String, String> rebases = new java.util.LinkedHashMap<>();
    private boolean checkPaths = true;
    private Path confinedRoot;

    private ConfigLoader() {
    }

    public static ConfigLoader create() {
        return new ConfigLoader();
    }

    /** The environment ENV_* names come from (default: this process's). */
    public ConfigLoader environment(Map<String, String> env) {
        this.environ = Map.copyOf(env);
        return this;
    }

    public ConfigLoader hostNodeName(String name) {
        this.hostNodeName = name;
        return this;
    }

    /** [supervisord] values given on the command line: they win over the file and are not expanded. */
    public ConfigLoader overrides(Map<String, String> values) {
        this.overrides = Map.copyOf(values);
        return this;
    }

    /**
     * Resolves [include] paths under {@code liveRoot} inside {@code stagedRoot} instead: the hub validates a new
     * revision, whose supervisord.conf includes /config/supervisor/conf.d/*.ini, before it is published there;
     * a wheel run outside containers has /config moved to $RADIAL_CONFIG_ROOT. Several mappings may be given.
     */
    public ConfigLoader rebase(Path liveRoot, Path stagedRoot) {
        String from = liveRoot.toAbsolutePath().normalize().toString();
        if (!from.equals(stagedRoot.toAbsolutePath().normalize().toString())) {
            rebases.put(from, stagedRoot.toAbsolutePath().normalize().toString());
        }
        return this;
    }

    /**
     * Whether directories named by the config (logfile dirs, directory=, childlogdir) must exist, as supervisord
     * requires. The hub turns this off: those paths exist in each spoke's container (/log/%(host_node_name)s),
     * not where the hub validates.
     */
    public ConfigLoader checkPaths(boolean check) {
        this.checkPaths = check;
        return this;
    }

    /**
     * Reads nothing outside {@code root}: the main file and every include are resolved inside it as a spoke would
     * see them (symlinks resolved against the root, absolute targets and include patterns mapped by
     * {@link #rebase}); an include pattern or a symlink that leads elsewhere is a {@link ConfigException} naming
     * the path, never a read. The hub validates a revision this way.
     */
    public ConfigLoader confineTo(Path root) {
        this.confinedRoot = root.toAbsolutePath().normalize();
        return this;
    }

    String rebased(String path) {
        for (Map.Entry<String, String> r : rebases.entrySet()) {
            if (path.equals(r.getKey()) || path.startsWith(r.getKey() + "/")) {
                return r.getValue() + path.substring(r.getKey().length());
            }
        }
        return path;
    }

    public SupervisorConfig load(Path file) throws ConfigException {
        return new Load(file).run();
    }

    /**
     * Reads the [supervisorctl] section the way supervisorctl's ClientOptions.read_config does: the main file
     * only (no includes), {@code %(here)s} in serverurl and history_file, ENV_* everywhere.
     */
    public CtlConfig loadCtl(Path file) throws ConfigException {
        return new Load(file).ctl();
    }

    /** The state of one load. */
    final class Load {
        private final Path file;
        final String here;
        final IniDocument doc = new IniDocument();
        final Map<String, Object> envExpansions = new HashMap<>();
        final List<String> warnings = new ArrayList<>();
        private final List<Path> included = new ArrayList<>();

        final String hostNodeName = ConfigLoader.this.hostNodeName;
        private final Confined confined = confinedRoot == null ? null : new Confined(confinedRoot,
                ConfigLoader.this::rebased);

        Load(Path file) {
            // supervisord uses abspath (symlinks kept): Radial relies on %(here)s being the link's directory
            this.file = file.toAbsolutePath().normalize();
            this.here = this.file.getParent().toString();
            environ.forEach((k, v) -> envExpansions.put("ENV_" + k, v));
        }

        /** Where {@code p} is read from: itself, or its symlink-free place inside the confined root. */
        private Path physical(Path p) throws ConfigException {
            try {
                return confined == null ? p : confined.physical(p);
            } catch (Confined.Escape e) {
                throw new ConfigException(p, e.getMessage());
            }
        }

        /**
         * Where a file a key names (environment_file=) is read from: an absolute path mapped by {@link #rebase},
         * then confined like an include; null when a confined load (the hub's) cannot see it because it lies
         * outside the configuration (a secret mounted on the spoke): the spoke reads and checks it itself.
         */
        Path readable(String section, String key, Path p) throws ConfigException {
            Path mapped = Path.of(rebased(p.toAbsolutePath().normalize().toString()));
            if (confined == null) {
                return mapped;
            }
            if (!confined.contains(mapped.toString())) {
                return null;
            }
            try {
                return confined.physical(mapped);
            } catch (Confined.Escape e) {
                throw error(section, key, null, e.getMessage());
            }
        }

        SupervisorConfig run() throws ConfigException {
            if (!Files.exists(physical(file))) {
                throw new ConfigException(file, "could not find config file " + file);
            }
            readFile(file);
            if (doc.hasSection("include")) {
                doc.expandHere(here);
                IniDocument.Entry files = doc.get("include", "files");
                if (files == null) {
                    throw new ConfigException(file, doc.lineOf("include"), "include", null,
                            ".ini file has [include] section, but no files setting");
                }
                Map<String, Object> ex = new HashMap<>(envExpansions);
                ex.put("here", here);
                ex.put("host_node_name", hostNodeName);
                String patterns = expand(files.value(), ex, "include", "files", files);
                for (String pattern : patterns.trim().split("\\s+")) {
                    if (pattern.isEmpty()) {
                        continue;
                    }
                    String full = rebased(pattern.startsWith("/") ? pattern : here + "/" + pattern);
                    List<Path> matches;
                    try {
                        if (confined != null && !confined.contains(Path.of(full).normalize().toString())) {
                            throw new Confined.Escape("'" + full + "' is outside the configuration: a spoke reads it "
                                    + "from its own container, the hub cannot check it");
                        }
                        matches = confined == null ? Glob.match(full) : Glob.match(full, confined::physical);
                    } catch (Confined.Escape e) {
                        throw error("include", "files", files, e.getMessage());
                    }
                    if (matches.isEmpty()) {
                        warnings.add("No file matches via include \"" + full + "\"");
                        continue;
                    }
                    for (Path p : matches) {
                        readFile(p);
                        included.add(p);
                        doc.expandHere(p.toAbsolutePath().normalize().getParent().toString()); // abspath(dirname())
                    }
                }
            }
            if (!doc.hasSection("supervisord")) {
                throw new ConfigException(file, ".ini file does not include supervisord section");
            }
            DaemonConfig daemon = daemon();
            List<String> rpc = doc.sections().stream().filter(s -> s.startsWith("rpcinterface:"))
                    .map(s -> s.substring("rpcinterface:".length())).toList();
            for (String name : rpc) {
                if (doc.get("rpcinterface:" + name, "supervisor.rpcinterface_factory") == null) {
                    throw new ConfigException(doc.fileOf("rpcinterface:" + name), doc.lineOf("rpcinterface:" + name),
                            "rpcinterface:" + name, null, "section has no supervisor.rpcinterface_factory");
                }
            }
            List<GroupConfig> groups = new GroupReader(this, daemon).groups();
            List<ServerConfig> servers = servers();
            return new SupervisorConfig(file, here, daemon, groups, servers, rpc, included, warnings);
        }

        String existingDirectory(String v) {
            return checkPaths ? Values.existingDirectory(v) : Values.expandUser(v);
        }

        String existingDirpath(String v) {
            return checkPaths ? Values.existingDirpath(v) : Values.expandUser(v);
        }

        CtlConfig ctl() throws ConfigException {
            if (!Files.exists(file)) {
                throw new ConfigException(file, "could not find config file " + file);
            }
            readFile(file);
            if (!doc.hasSection("supervisorctl")) {
                throw new ConfigException(file, ".ini file does not include supervisorctl section");
            }
            Map<String, Object> withHere = Map.of("here", here);
            String serverurl = get("supervisorctl", "serverurl", "http://localhost:9001", withHere);
            if (serverurl.startsWith("unix://")) {
                serverurl = "unix://" + Values.normalizePath(serverurl.substring("unix://".length()));
            }
            String history = get("supervisorctl", "history_file", null, withHere);
            return new CtlConfig(serverurl, get("supervisorctl", "username", null, Map.of()),
                    get("supervisorctl", "password", null, Map.of()),
                    get("supervisorctl", "prompt", "supervisor", Map.of()),
                    history == null || history.isEmpty() ? null : Values.normalizePath(history));
        }

        private void readFile(Path p) throws ConfigException {
            try {
                if (confined == null) {
                    IniReader.read(p, doc);
                } else {
                    IniReader.read(p, Files.readString(physical(p), java.nio.charset.StandardCharsets.UTF_8), doc);
                }
            } catch (NoSuchFileException e) {
                // RawConfigParser.read skips files it cannot open
            } catch (IOException e) {
                throw new ConfigException(p, "could not read config file " + p + ": " + e.getMessage());
            }
        }

        // --- lookups, mirroring UnhosedConfigParser.saneget ---

        String raw(String section, String key) {
            IniDocument.Entry e = doc.get(section, key);
            return e == null ? null : e.value();
        }

        /** saneget: the value expanded with ENV_* plus the given names; the default when absent (not expanded if null). */
        String get(String section, String key, String dflt, Map<String, Object> names) throws ConfigException {
            IniDocument.Entry e = doc.get(section, key);
            String v = e == null ? dflt : e.value();
            if (v == null) {
                return null;
            }
            Map<String, Object> all = new HashMap<>(envExpansions);
            all.putAll(names);
            return expand(v, all, section, key, e);
        }

        String expand(String value, Map<String, Object> names, String section, String key, IniDocument.Entry at)
                throws ConfigException {
            try {
                return PyFormat.format(value, names);
            } catch (PyFormat.FormatException ex) {
                String reason;
                if (ex.missingName()) {
                    Set<String> avail = new TreeSet<>();
                    boolean env = false;
                    for (String n : names.keySet()) {
                        if (n.startsWith("ENV_")) {
                            env = true;
                        } else {
                            avail.add(n);
                        }
                    }
                    reason = "'" + value + "' contains names (" + ex.getMessage() + ") which cannot be expanded; "
                            + "available names: " + String.join(", ", avail) + (env ? ", ENV_*" : "");
                } else {
                    reason = "'" + value + "' is badly formatted: " + ex.getMessage()
                            + (ex.getMessage().contains("incomplete") ? " (write a literal % as %%)" : "");
                }
                throw error(section, key, at, reason);
            }
        }

        ConfigException error(String section, String key, IniDocument.Entry at, String reason) {
            if (at == null) {
                at = doc.get(section, key);
            }
            Path where = at != null ? at.file() : doc.fileOf(section);
            int line = at != null ? at.line() : doc.lineOf(section);
            return new ConfigException(where != null ? where : file, line, section, key, reason);
        }

        <T> T convert(String section, String key, String value, Function<String, T> conversion) throws ConfigException {
            try {
                return conversion.apply(value);
            } catch (IllegalArgumentException ex) {
                throw error(section, key, null, ex.getMessage());
            }
        }

        Map<String, Object> names(Object... kv) {
            Map<String, Object> m = new HashMap<>();
            for (int i = 0; i < kv.length; i += 2) {
                m.put((String) kv[i], kv[i + 1]);
            }
            return m;
        }

        // --- [supervisord] ---

        private DaemonConfig daemon() throws ConfigException {
            final String s = "supervisord";
            Map<String, Object> h = names("here", here);
            Getter g = (key, dflt) -> overrides.containsKey(key) ? overrides.get(key) : get(s, key, dflt, h);
            int minfds = convert(s, "minfds", g.get("minfds", "1024"), Values::integer);
            int minprocs = convert(s, "minprocs", g.get("minprocs", "200"), Values::integer);
            String directory = g.get("directory", null);
            if (directory != null) {
                directory = convert(s, "directory", directory, this::existingDirectory);
            }
            String user = g.get("user", null);
            if (user != null) {
                convert(s, "user", user, Users::nameToUid);
            }
            int umask = convert(s, "umask", g.get("umask", "022"), Values::octal);
            String logfile = convert(s, "logfile", g.get("logfile", "supervisord.log"), this::existingDirpath);
            long maxbytes = convert(s, "logfile_maxbytes", g.get("logfile_maxbytes", "50MB"), Values::byteSize);
            int backups = convert(s, "logfile_backups", g.get("logfile_backups", "10"), Values::integer);
            String loglevel = convert(s, "loglevel", g.get("loglevel", "info"), Values::logLevel);
            String pidfile = convert(s, "pidfile", g.get("pidfile", "supervisord.pid"), this::existingDirpath);
            String identifier = g.get("identifier", "supervisor");
            boolean nodaemon = convert(s, "nodaemon", g.get("nodaemon", "false"), Values::bool);
            boolean silent = convert(s, "silent", g.get("silent", "false"), Values::bool);
            String tmp = System.getenv().getOrDefault("TMPDIR", "/tmp");
            String childlogdir = convert(s, "childlogdir", g.get("childlogdir", tmp), this::existingDirectory);
            boolean nocleanup = convert(s, "nocleanup", g.get("nocleanup", "false"), Values::bool);
            boolean stripAnsi = convert(s, "strip_ansi", g.get("strip_ansi", "false"), Values::bool);
            // Expanded twice, as 4.2.5 does (a literal % cannot be written here: see supervisord-compat).
            String envStr = g.get("environment", "");
            Map<String, Object> ex = new HashMap<>(envExpansions);
            ex.put("here", here);
            ex.put("host_node_name", hostNodeName);
            envStr = expand(envStr, ex, s, "environment", null);
            Map<String, String> environment = convert(s, "environment", envStr, Values::environment);
            environment.forEach((k, v) -> envExpansions.put("ENV_" + k, v));
            boolean forward = convert(s, "forward_output", g.get("forward_output", "false"), Values::bool);
            LogFormat logFormat = convert(s, "log_format", g.get("log_format", "plain"), LogFormat::parse);
            if (!"syslog".equals(logfile)) {
                logfile = Values.normalizePath(logfile);
            }
            pidfile = Values.normalizePath(pidfile);
            return new DaemonConfig(logfile, maxbytes, backups, loglevel, pidfile, umask, nodaemon, silent, minfds,
                    minprocs, nocleanup, childlogdir, user, directory, stripAnsi, environment, identifier, forward,
                    logFormat);
        }

        // --- servers ---

        private List<ServerConfig> servers() throws ConfigException {
            List<ServerConfig> out = new ArrayList<>();
            for (String s : doc.sections()) {
                if (s.startsWith("inet_http_server")) {
                    String[] auth = auth(s);
                    String port = get(s, "port", null, Map.of());
                    if (port == null) {
                        throw error(s, null, null, "section [" + s + "] has no port value");
                    }
                    String[] hp = convert(s, "port", port, ConfigLoader::inetAddress);
                    out.add(new ServerConfig.Inet(hp[0], Integer.parseInt(hp[1]), auth[0], auth[1]));
                }
            }
            for (String s : doc.sections()) {
                if (s.startsWith("unix_http_server")) {
                    String sfile = get(s, "file", null, names("here", here));
                    if (sfile == null) {
                        throw error(s, null, null, "section [" + s + "] has no file value");
                    }
                    String path = Values.normalizePath(sfile.strip());
                    String[] auth = auth(s);
                    String chown = get(s, "chown", null, Map.of());
                    int uid = -1;
                    int gid = -1;
                    if (chown != null) {
                        int[] ug = convert(s, "chown", chown, ConfigLoader::userGroup);
                        uid = ug[0];
                        gid = ug[1];
                    }
                    String chmod = get(s, "chmod", null, Map.of());
                    int mode = chmod == null ? 0700 : convert(s, "chmod", chmod, Values::octal);
                    out.add(new ServerConfig.Unix(path, mode, uid, gid, auth[0], auth[1]));
                }
            }
            return out;
        }

        private String[] auth(String s) throws ConfigException {
            String user = get(s, "username", null, Map.of());
            String pass = get(s, "password", null, Map.of());
            if ((user == null) != (pass == null)) {
                throw error(s, user == null ? "password" : "username", null,
                        "incomplete authentication: if a username or a password is specified, both must be");
            }
            return new String[] {user, pass};
        }
    }

    /** A getter with supervisord's per-section defaults. */
    @FunctionalInterface
    interface Getter {
        String get(String key, String dflt) throws ConfigException;
    }

    /** inet_address: "host:port", ":port", "*:port" or "port". */
    static String[] inetAddress(String s) {
        String host = "";
        String port = s;
        if (s.contains(":")) {
            int i = s.lastIndexOf(':');
            host = s.substring(0, i).toLowerCase();
            port = s.substring(i + 1);
            if (port.isEmpty()) {
                throw new IllegalArgumentException("no port number specified in '" + s + "'");
            }
        }
        int p;
        try {
            p = Values.pyInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a valid port number: '" + s + "'");
        }
        if (p < 1 || p > 0xffff) {
            throw new IllegalArgumentException(p + " is not a port number (1-65535)");
        }
        if (host.equals("*")) {
            host = "";
        }
        return new String[] {host, Integer.toString(p)};
    }

    /** colon_separated_user_group: "user" or "user:group" to ids. */
    static int[] userGroup(String arg) {
        try {
            String[] parts = arg.split(":", 2);
            int uid = Users.nameToUid(parts[0]);
            int gid = parts.length == 1 ? -1 : Users.nameToGid(parts[1]);
            return new int[] {uid, gid};
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid user:group definition " + arg);
        }
    }

    static Comparator<GroupConfig> groupOrder() {
        return Comparator.comparingInt(GroupConfig::priority).thenComparing(GroupConfig::name);
    }

    static Comparator<ProcessConfig> processOrder() {
        return Comparator.comparingInt(ProcessConfig::priority).thenComparing(ProcessConfig::name);
    }

}
