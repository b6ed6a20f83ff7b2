package dev.radial.hub;

import dev.radial.hub.publish.Permissions;
import dev.radial.hub.source.Source;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything a hub runs with, resolved from options and the environment.
 *
 * @param httpPort -1 for no HTTP endpoint, 0 for any free port
 * @param webhookSecret null disables the webhook (requests get 403)
 * @param spokeTimeoutSeconds how long one call to a spoke may take before that spoke is reported timed out
 * @param statusToken the bearer token that unlocks the full {@code /status}; null: {@code /status} shows only
 *     the anonymous summary
 */
public record Settings(Path configRoot, Path runRoot, Path dataRoot, List<Source> sources, int pollSeconds,
        int timeoutSeconds, int httpPort, String webhookSecret, Permissions permissions, Map<String, String> env,
        int spokeTimeoutSeconds, String statusToken) {

    /** A 30 s spoke timeout and no status token. */
    public Settings(Path configRoot, Path runRoot, Path dataRoot, List<Source> sources, int pollSeconds,
            int timeoutSeconds, int httpPort, String webhookSecret, Permissions permissions, Map<String, String> env) {
        this(configRoot, runRoot, dataRoot, sources, pollSeconds, timeoutSeconds, httpPort, webhookSecret, permissions,
                env, 30, null);
    }

    /** The hub's own files: pid, status.json, status.txt, http.port. */
    public Path hubRun() {
        return runRoot.resolve("hub");
    }

    /** Radial's readiness marker: spokes wait while it exists. */
    public Path lock() {
        return runRoot.resolve("hub.lock");
    }

    public Path mirrors() {
        return dataRoot.resolve("hub").resolve("mirrors");
    }
}
