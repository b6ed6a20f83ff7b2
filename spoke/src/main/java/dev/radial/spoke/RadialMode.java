package dev.radial.spoke;

import dev.radial.common.radial.OwnGroup;
import dev.radial.common.radial.RadialRoots;
import dev.radial.spoke.engine.AutostartPolicy;
import dev.radial.spoke.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What Radial's spoke entrypoint did, as the spoke's default (no -c): require SPOKE_NAME, wait for the hub's
 * lock, create /log/$HOSTNAME and /run/supervisor/$HOSTNAME with the marker file and the supervisord.conf
 * link (so %(here)s is the run directory), run with the main log under /log/$HOSTNAME, and start only the
 * spoke's own group (at boot and after every publish: {@link #ownGroupOnly}). Arguments after -- are exec'd
 * instead (command mode).
 */
final class RadialMode {
    static final long LOCK_WAIT_SECONDS = Long.getLong("radial.hubLockWaitSeconds", 300);

    private RadialMode() {
    }

    static int run(SpokeMain opts) throws Exception {
        if (!opts.command.isEmpty()) {
            return commandMode(opts.command);
        }
        String spoke = System.getenv("SPOKE_NAME");
        if (spoke == null || spoke.isBlank()) {
            System.err.println("spoke: SPOKE_NAME is not set: name the group this spoke runs (or give -c FILE "
                    + "to run as a plain supervisord)");
            return 1;
        }
        RadialRoots roots = RadialRoots.fromEnvironment();
        String host = roots.hostname();
        Path lock = roots.run().resolve("hub.lock");
        Path conf = roots.config().resolve("supervisor").resolve("supervisord.conf");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOCK_WAIT_SECONDS);
        if (Files.exists(lock) || !Files.exists(conf)) {
            // a spoke may even start before the hub has taken its lock: wait for the first publish
            System.err.println("spoke: waiting for the hub to publish " + conf + " (" + lock + " exists or the "
                    + "file does not), up to " + LOCK_WAIT_SECONDS + " s");
        }
        while (Files.exists(lock) || !Files.exists(conf)) {
            if (System.nanoTime() > deadline) {
                System.err.println("spoke: " + (Files.exists(lock) ? lock + " still exists" : "no configuration at "
                        + conf) + " after " + LOCK_WAIT_SECONDS + " s: is the hub running? Giving up.");
                return Files.exists(lock) ? 1 : 2;
            }
            Thread.sleep(200);
        }
        Path logDir = roots.log().resolve(host);
        Path runDir = roots.run().resolve("supervisor").resolve(host);
        Files.createDirectories(logDir);
        Files.createDirectories(runDir);
        Files.writeString(runDir.resolve(spoke), "");
        Path link = runDir.resolve("supervisord.conf");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, conf.toAbsolutePath());
        Map<String, String> overrides = new java.util.LinkedHashMap<>(opts.overrides());
        overrides.putIfAbsent("logfile", logDir.resolve("supervisord.log").toString());
        Daemon.hostNodeName = host;
        return Daemon.run(link, overrides, ownGroupOnly(spoke), engine -> reportOwnGroup(engine, spoke));
    }

    /**
     * Radial's rule for what starts on its own: every spoke loads every group of the wheel but starts only its own
     * ({@link OwnGroup}), whatever {@code autostart=} says (Radial's .ini files say false and the entrypoint started
     * the group), at boot and whenever a publish adds the group or replaces its programs. Other groups' programs
     * are loaded, visible to ctl, and start only when asked.
     */
    static AutostartPolicy ownGroupOnly(String spoke) {
        return (p, loaded) -> OwnGroup.is(spoke, p.group(), loaded);
    }

    /** Logs which group this spoke runs, or that the configuration has none for it. */
    private static void reportOwnGroup(Engine engine, String spoke) {
        engine.submit(() -> {
            OwnGroup.of(spoke, engine.groups().keySet()).ifPresentOrElse(
                    g -> engine.log().info("starting group " + g + " for spoke " + spoke),
                    () -> engine.log().warn("no group named " + OwnGroup.describe(spoke) + " in the configuration; "
                            + "nothing to start for this spoke"));
            return null;
        });
    }

    private static int commandMode(List<String> command) throws IOException, InterruptedException {
        // the JVM cannot exec in place: run the command as our only child, pass signals, return its status
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        Process p = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
        return p.waitFor();
    }
}
