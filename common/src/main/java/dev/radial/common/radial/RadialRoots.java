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

    /**
     * {@code env} plus RADIAL_CONFIG_ROOT, RADIAL_LOG_ROOT, RADIAL_RUN_ROOT and RADIAL_DATA_ROOT set to these roots,
     * so a supervisord.conf can say {@code %(ENV_RADIAL_LOG_ROOT)s} whether or not the variables were exported.
     */
    public Map<String, String> withRootVariables(Map<String, String> env) {
        Map<String, String> m = new java.util.HashMap<>(env);
        m.put("RADIAL_CONFIG_ROOT", config.toString());
        m.put("RADIAL_LOG_ROOT", log.toString());
        m.put("RADIAL_RUN_ROOT", run.toString());
        m.put("RADIAL_DATA_ROOT", data.toString());
        return m;
    }

    /** Every spoke's socket directory: /run/supervisor/<host>/ with its marker file naming the spoke. */
    public Path supervisorRun() {
        return run.resolve("supervisor");
    }
}
