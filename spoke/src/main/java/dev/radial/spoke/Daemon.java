package dev.radial.spoke;

import dev.radial.common.config.ConfigException;
import dev.radial.common.config.ConfigLoader;
import dev.radial.common.radial.RadialRoots;
import dev.radial.common.config.DaemonConfig;
import dev.radial.common.config.ServerConfig;
import dev.radial.common.config.SupervisorConfig;
import dev.radial.spoke.engine.AutostartPolicy;
import dev.radial.spoke.engine.Engine;
import dev.radial.spoke.http.HttpServer;
import dev.radial.spoke.http.Limits;
import dev.radial.spoke.http.Router;
import dev.radial.spoke.metrics.MetricsHandler;
import dev.radial.spoke.logging.MainLog;
import dev.radial.spoke.os.Native;
import dev.radial.spoke.rpc.RpcDispatcher;
import dev.radial.spoke.rpc.RpcHttpHandler;
import dev.radial.spoke.rpc.SupervisorRpc;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * One supervisord run: load config, open logs and sockets, start the engine, handle signals, and on
 * HUP or the restart RPC do it all again with a freshly read config (supervisord's reload).
 */
final class Daemon {
    private Daemon() {
    }

    /**
     * @param autostart which processes start on their own (Radial mode: the spoke's own group only)
     * @param afterStart called once the engine and sockets are up, or null
     * @return the exit code
     */
    static int run(Path configFile, Map<String, String> overrides, AutostartPolicy autostart,
            Consumer<Engine> afterStart) throws Exception {
        SupervisorConfig config;
        try {
            config = load(configFile, overrides);
        } catch (ConfigException e) {
            System.err.println("Error: " + e.getMessage());
            System.err.println("For help, use spoke -h");
            return 2;
        }
        // There is no subreaper or pdeathsig in supervisord; we register as subreaper so that orphaned
        // grandchildren come back to us (reaped, and killed at shutdown) even when we are not PID 1.
        boolean subreaper = Native.LIBC.prctl(Native.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
        String subreaperError = subreaper ? null : Native.strerror(Native.errno());
        boolean first = true;
        while (true) {
            DaemonConfig d = config.daemon();
            Native.LIBC.umask(d.umask());
            PrintStream echo = d.silent() ? null : System.out;
            MainLog log = new MainLog("syslog".equals(d.logfile()) ? null : Path.of(d.logfile()), d.logfileMaxbytes(),
                    d.logfileBackups(), d.loglevel(), echo);
            for (String w : config.warnings()) {
                log.warn(w);
            }
            if (first && Native.POSIX.getpid() != 1 && Native.POSIX.getuid() == 0 && d.user() == null) {
                log.critical("Supervisor is running as root.  Privileges were not dropped because no user is "
                        + "specified in the config file.  If you intend to run as root, you can set user=root in "
                        + "the config file to avoid this message.");
            }
            if (first && !subreaper && Native.POSIX.getpid() != 1) {
                log.warn("cannot become child subreaper (" + subreaperError + "): orphaned grandchildren go to PID 1,"
                        + " not to the spoke, and are neither reaped nor killed by it");
            }
            for (String inc : config.includedFiles().stream().map(Path::toString).toList()) {
                log.info("Included extra file \"" + inc + "\" during parsing");
            }
            writePidfile(d.pidfile(), log);
            if (!d.nocleanup()) {
                clearAutoLogs(d);
            }
            Engine engine = new Engine(config, log, System.getenv(), System.out, System.err, autostart);
            SupervisorConfig loaded = config;
            SupervisorRpc rpc = new SupervisorRpc(engine, () -> load(configFile, overrides),
                    Native.POSIX.getpid(), log.path());
            RpcDispatcher dispatcher = new RpcDispatcher(engine, rpc);
            Router handler = new RpcHttpHandler(engine, dispatcher, rpc).routes(new Router());
            MetricsHandler.forSpoke(engine).routes(handler);
            new dev.radial.spoke.web.WebUi(dispatcher, java.time.ZonedDateTime::now).routes(handler);
            List<HttpServer> servers = new ArrayList<>();
            try {
                for (ServerConfig s : loaded.servers()) {
                    if (s instanceof ServerConfig.Unix u) {
                        servers.add(HttpServer.unix(Path.of(u.file()), u.chmod(), u.chownUid(), u.chownGid(),
                                u.username(), u.password(), handler, Limits.defaults(), log::warn).start("http-unix"));
                    } else if (s instanceof ServerConfig.Inet i) {
                        servers.add(HttpServer.tcp(i.host(), i.port(), i.username(), i.password(), handler,
                                Limits.defaults(), log::warn)
                                .start("http-inet"));
                    }
                }
            } catch (IOException e) {
                log.critical("cannot open an HTTP server: " + e.getMessage());
                servers.forEach(HttpServer::close);
                return 1;
            }
            installSignals(engine, log);
            log.info("supervisord started with pid " + Native.POSIX.getpid());
            engine.start();
            if (first && afterStart != null) {
                afterStart.accept(engine);
            }
            first = false;
            boolean restart = engine.done().get();
            servers.forEach(HttpServer::close);
            if (!restart) {
                Files.deleteIfExists(Path.of(d.pidfile()));
                log.info("exiting");
                return engine.exitCode();
            }
            try {
                config = load(configFile, overrides);
            } catch (ConfigException e) {
                log.critical("cannot reload: " + e.getMessage() + "; keeping the previous configuration");
            }
        }
    }

    /**
     * In Radial mode %(host_node_name)s is the spoke's $HOSTNAME, the name of its /log and /run directories (the
     * same thing inside a container; outside one, several spokes share a machine). Null: gethostname().
     */
    static volatile String hostNodeName;

    static SupervisorConfig load(Path file, Map<String, String> overrides) throws ConfigException {
        RadialRoots roots = RadialRoots.fromEnvironment();
        // %(ENV_RADIAL_*_ROOT)s always expands (the skeleton uses them); Radial configs that include
        // /config/supervisor/conf.d/*.ini literally find it where RADIAL_CONFIG_ROOT moved /config
        ConfigLoader loader = ConfigLoader.create().overrides(overrides)
                .environment(roots.withRootVariables(System.getenv())).rebase(Path.of("/config"), roots.config());
        if (hostNodeName != null) {
            loader.hostNodeName(hostNodeName);
        }
        return loader.load(file);
    }

    /**
     * TERM, INT, HUP and USR2 are obeyed whatever the spoke inherited: one that was ignored (a background job of a
     * script inherits INT ignored, nohup ignores HUP) is reset to default first, or HotSpot would not install the
     * handler. CHLD wakes the engine to reap adopted orphans.
     */
    private static void installSignals(Engine engine, MainLog log) {
        for (int sig : new int[] {15, 2, 1, 12}) { // TERM INT HUP USR2: the same numbers on x86-64 and aarch64
            if (dev.radial.spoke.os.SignalDispositions.unignore(sig)) {
                log.info("signal " + dev.radial.common.config.Signals.name(sig)
                        + " was ignored when the spoke started; handling it");
            }
        }
        handle("TERM", s -> {
            log.warn("received SIGTERM indicating exit request");
            engine.shutdown();
        });
        handle("INT", s -> {
            log.warn("received SIGINT indicating exit request");
            engine.shutdown();
        });
        handle("HUP", s -> {
            log.warn("received SIGHUP indicating restart request");
            engine.restart();
        });
        handle("USR2", s -> {
            log.info("received SIGUSR2 indicating log reopen request");
            engine.reopenLogs();
        });
        // supervisord dies on USR1 (default action); a PID 1 must not die by accident
        handle("USR1", s -> log.info("received SIGUSR1, ignored"));
        handle("CHLD", s -> engine.childSignal());
    }

    private static void handle(String name, Consumer<Signal> action) {
        try {
            Signal.handle(new Signal(name), action::accept);
        } catch (IllegalArgumentException e) {
            // not available in this JVM configuration
        }
    }

    private static void writePidfile(String pidfile, MainLog log) {
        try {
            Files.writeString(Path.of(pidfile), Native.POSIX.getpid() + "\n");
        } catch (IOException e) {
            log.critical("could not write pidfile " + pidfile + ": " + e.getMessage());
        }
    }

    private static void clearAutoLogs(DaemonConfig d) {
        java.util.regex.Pattern auto = dev.radial.common.config.AutoLogNames.cleanup(d.identifier());
        try (var files = Files.list(Path.of(d.childlogdir()))) {
            files.filter(p -> auto.matcher(p.getFileName().toString()).lookingAt()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort, as supervisord
                }
            });
        } catch (IOException ignored) {
            // no such directory: nothing to clear
        }
    }
}
