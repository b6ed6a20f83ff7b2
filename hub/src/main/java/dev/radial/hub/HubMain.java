package dev.radial.hub;

import dev.radial.common.radial.RadialRoots;
import dev.radial.hub.git.SyncException;
import dev.radial.hub.publish.Permissions;
import dev.radial.hub.source.Sources;
import dev.radial.hub.web.HubHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hub}: with no subcommand, the daemon (first sync and publish, then keeps syncing until TERM);
 * {@code hub clone} syncs once and exits (static mode, e.g. at image build); {@code hub sync} asks the running
 * hub to sync now; {@code hub status} shows its last outcome.
 */
@Command(name = "hub", mixinStandardHelpOptions = true, subcommands = {HubMain.Clone.class, HubMain.Sync.class,
    HubMain.Status.class}, description = "Syncs the wheel's configuration repositories into /config and updates "
        + "running spokes.")
public final class HubMain implements Callable<Integer> {
    @Option(names = "--config-root", description = "default: $RADIAL_CONFIG_ROOT or /config")
    Path configRoot;
    @Option(names = "--run-root", description = "default: $RADIAL_RUN_ROOT or /run")
    Path runRoot;
    @Option(names = "--data-root", description = "default: $RADIAL_DATA_ROOT or /data (git mirrors live here)")
    Path dataRoot;
    @Option(names = "--skeleton", description = "the default supervisor configuration when SUPERVISOR_REPO is unset")
    Path skeleton;
    @Option(names = "--poll", description = "seconds between polls (default: $HUB_POLL_SECONDS or 10)")
    Integer poll;
    @Option(names = "--timeout", description = "seconds a fetch may take (default: $HUB_SYNC_TIMEOUT or 60)")
    Integer timeout;
    @Option(names = "--http-port", description = "status/metrics/webhook port; -1 disables (default: $HUB_HTTP_PORT "
            + "or 8080)")
    Integer httpPort;
    @Option(names = "--webhook-secret-file", description = "file holding the webhook secret (or $HUB_WEBHOOK_SECRET)")
    Path webhookSecretFile;
    @Option(names = "--status-token-file", description = "file holding the bearer token that unlocks the full "
            + "/status (default: $HUB_STATUS_TOKEN_FILE; without one /status shows only a summary)")
    Path statusTokenFile;
    @Option(names = "--spoke-timeout", description = "seconds one call to a spoke may take (default: "
            + "$HUB_SPOKE_TIMEOUT or 30)")
    Integer spokeTimeout;

    public static void main(String[] args) {
        System.exit(new CommandLine(new HubMain()).execute(args));
    }

    Settings settings() throws SyncException, IOException {
        Map<String, String> env = System.getenv();
        RadialRoots roots = RadialRoots.from(env);
        Path sk = skeleton != null ? skeleton : defaultSkeleton(env);
        String secret = env.get("HUB_WEBHOOK_SECRET");
        Path secretFile = webhookSecretFile != null ? webhookSecretFile
                : env.containsKey("HUB_WEBHOOK_SECRET_FILE") ? Path.of(env.get("HUB_WEBHOOK_SECRET_FILE")) : null;
        if (secretFile != null) {
            secret = Files.readString(secretFile, StandardCharsets.UTF_8).strip();
        }
        Path tokenFile = statusTokenFile != null ? statusTokenFile
                : env.containsKey("HUB_STATUS_TOKEN_FILE") ? Path.of(env.get("HUB_STATUS_TOKEN_FILE")) : null;
        String token = tokenFile == null ? null : Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        RadialRoots actual = new RadialRoots(configRoot != null ? configRoot : roots.config(), roots.log(),
                runRoot != null ? runRoot : roots.run(), dataRoot != null ? dataRoot : roots.data(), roots.hostname());
        return new Settings(actual.config(), actual.run(), actual.data(), Sources.fromEnvironment(env, sk),
                poll != null ? poll : intEnv(env, "HUB_POLL_SECONDS", 10),
                timeout != null ? timeout : intEnv(env, "HUB_SYNC_TIMEOUT", 60),
                httpPort != null ? httpPort : intEnv(env, "HUB_HTTP_PORT", 8080), secret,
                Permissions.fromEnvironment(env), actual.withRootVariables(env),
                spokeTimeout != null ? spokeTimeout : intEnv(env, "HUB_SPOKE_TIMEOUT", 30), token);
    }

    private static int intEnv(Map<String, String> env, String name, int dflt) {
        String v = env.get(name);
        return v == null || v.isBlank() ? dflt : Integer.parseInt(v.strip());
    }

    /** RADIAL_SKELETON, else config-skeleton/ of the installation (next to hub/ as in this repository and images). */
    static Path defaultSkeleton(Map<String, String> env) {
        if (env.containsKey("RADIAL_SKELETON")) {
            return Path.of(env.get("RADIAL_SKELETON"));
        }
        try {
            Path jar = Path.of(HubMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // <top>/hub/target/radial-hub.jar or <top>/hub/target/classes
            return jar.getParent().getParent().getParent().resolve("config-skeleton");
        } catch (Exception e) {
            return Path.of("/opt/radial/config-skeleton");
        }
    }

    @Override
    public Integer call() throws Exception {
        Settings s = settings();
        Hub hub = new Hub(s, System.out, System.console() != null);
        HubHttp http = s.httpPort() >= 0 ? new HubHttp(hub, s.httpPort(), s.webhookSecret(), s.statusToken())
                : null;
        if (http != null) {
            Files.createDirectories(s.hubRun());
            Files.writeString(s.hubRun().resolve("http.port"), Integer.toString(http.port()));
            hub.line("listening on port " + http.port() + " (/healthz /status /metrics /webhook)");
        }
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> hub.trigger("SIGHUP"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // TERM/INT: finish promptly; run() removes hub.lock on its way out. (Not a join on the main thread:
            // main then calls System.exit, which blocks while this hook runs.)
            hub.stop();
            try {
                hub.awaitFinished(10_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }));
        try {
            hub.run();
        } finally {
            if (http != null) {
                http.close();
            }
        }
        return 0;
    }

    /** One sync and publish, then exit: 0 when published or unchanged, 1 when it failed. */
    @Command(name = "clone", description = "Sync and publish once, then exit (static mode).")
    static final class Clone implements Callable<Integer> {
        @CommandLine.ParentCommand
        HubMain parent;

        @Override
        public Integer call() throws Exception {
            Settings s = parent.settings();
            Hub hub = new Hub(s, System.out, System.console() != null);
            Hub.Outcome o = hub.syncOnce(false);
            Files.deleteIfExists(s.lock());
            return o.ok() ? 0 : 1;
        }
    }

    @Command(name = "sync", description = "Ask the running hub to sync now (SIGHUP).")
    static final class Sync implements Callable<Integer> {
        @CommandLine.ParentCommand
        HubMain parent;

        @Override
        public Integer call() throws Exception {
            Path pidFile = parent.settings().hubRun().resolve("pid");
            if (!Files.exists(pidFile)) {
                System.err.println("hub: no running hub (" + pidFile + " is missing)");
                return 1;
            }
            String pid = Files.readString(pidFile).strip();
            Process kill = new ProcessBuilder("kill", "-HUP", pid).inheritIO().start();
            if (kill.waitFor() != 0) {
                System.err.println("hub: cannot signal hub pid " + pid);
                return 1;
            }
            System.out.println("sync requested from hub pid " + pid);
            return 0;
        }
    }

    @Command(name = "status", description = "Show the running hub's state: revision, last sync, the error if it "
            + "is failing, and every spoke's last update. Exit 1 while syncs fail.")
    static final class Status implements Callable<Integer> {
        @CommandLine.ParentCommand
        HubMain parent;
        @Option(names = "--json", description = "the full status as JSON (status.json), for scripts")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Path dir = parent.settings().hubRun();
            Path status = dir.resolve(json ? "status.json" : "status.txt");
            if (!Files.exists(status)) {
                System.err.println("hub: no status yet (" + status + " is missing): is the hub running?");
                return 1;
            }
            try {
                String text = Files.readString(status, StandardCharsets.UTF_8);
                System.out.print(text);
                // both files are written from one state; status.json (our own writer's layout) holds the verdict
                Path verdict = dir.resolve("status.json");
                String v = Files.readString(verdict);
                return v.contains("\"last_sync_ok\": true") && v.contains("\"config_ok\": true") ? 0 : 1;
            } catch (java.nio.file.AccessDeniedException e) {
                System.err.println("hub: cannot read " + e.getFile() + ": the status is readable by the hub's user "
                        + "only (it may quote configuration values)");
                return 1;
            } catch (IOException e) {
                System.err.println("hub: cannot read the status under " + dir + ": " + e.getMessage());
                return 1;
            }
        }
    }
}
