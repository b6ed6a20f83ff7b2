package dev.radial.common.radial;

import dev.radial.common.config.HostName;
import java.nio.file.Path;
import java.util.Map;

/**
 * The wheel's shared roots, movable so a wheel runs outside containers: RADIAL_CONFIG_ROOT (/config),
 * RADIAL_LOG_ROOT (/log), RADIAL_RUN_ROOT (/run), RADIAL_DATA_ROOT (/data). Hub, spoke and ctl use this.
 */
public record RadialRoots(Path config, Path log, Path run, Path data, String hostname) {
    public static RadialRoots fromEnvironment() {
        return from(System.getenv());
    }

    public static RadialRoots from(Map<String, String> env) {
        String host = env.getOrDefault("HOSTNAME", HostName.get());
        return new RadialRoots(Path.of(env.getOrDefault("RADIAL_CONFIG_ROOT", "/config")),
                Path.of(env.getOrDefault("RADIAL_LOG_ROOT", "/log")), Path.of(env.getOrDefault("RADIAL_RUN_ROOT", "/run")),
                Path.of(env.getOrDefault("RADIAL_DATA_ROOT", "/data")), host);
    }

    /** Every spoke's socket directory: /run/supervisor/<host>/ with its marker file naming the spoke. */
    public Path supervisorRun() {
        return run.resolve("supervisor");
    }
}
