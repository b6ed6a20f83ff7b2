package dev.radial.common.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads one probe of a program section: {@code <kind>_command=}, {@code <kind>_http=} or {@code <kind>_tcp=}
 * (exactly one), and {@code <kind>_initial_delay}, {@code _period}, {@code _timeout} (seconds, decimals allowed),
 * {@code _success_threshold}, {@code _failure_threshold}. Errors name the section and the key.
 */
final class ProbeReader {
    private static final List<String> TUNING = List.of("initial_delay", "period", "timeout", "success_threshold",
            "failure_threshold");

    private ProbeReader() {
    }

    /** The probe of that kind, or null when the section has none. */
    static Probe read(ConfigLoader.Load load, String section, Probe.Kind kind, Map<String, Object> names)
            throws ConfigException {
        String p = kind.word() + "_";
        List<String> set = new ArrayList<>();
        for (String k : List.of("command", "http", "tcp")) {
            String v = load.get(section, p + k, null, names);
            if (v != null && !v.isBlank()) {
                set.add(k);
            }
        }
        if (set.isEmpty()) {
            for (String t : TUNING) {
                if (load.get(section, p + t, null, names) != null) {
                    throw load.error(section, p + t, null, p + t + " is set but there is no " + p + "command, "
                            + p + "http or " + p + "tcp");
                }
            }
            return null;
        }
        if (set.size() > 1) {
            throw load.error(section, p + set.get(1), null, "set only one of " + p + "command, " + p + "http and "
                    + p + "tcp (" + p + set.get(0) + " is set too)");
        }
        String key = p + set.get(0);
        String value = load.get(section, key, null, names);
        Probe.Check check = switch (set.get(0)) {
            case "command" -> load.convert(section, key, value, Probe.Command::new);
            case "http" -> load.convert(section, key, value, Probe::parseHttp);
            default -> load.convert(section, key, value, Probe::parseTcp);
        };
        Duration initial = seconds(load, section, p + "initial_delay", Duration.ZERO, names);
        Duration period = seconds(load, section, p + "period", Probe.DEFAULT_PERIOD, names);
        Duration timeout = seconds(load, section, p + "timeout", Probe.DEFAULT_TIMEOUT, names);
        if (period.isZero()) {
            throw load.error(section, p + "period", null, p + "period must be more than 0");
        }
        if (timeout.isZero()) {
            throw load.error(section, p + "timeout", null, p + "timeout must be more than 0");
        }
        int success = threshold(load, section, p + "success_threshold", names);
        int failure = threshold(load, section, p + "failure_threshold", names);
        if (kind == Probe.Kind.LIVENESS && success != 1) {
            throw load.error(section, p + "success_threshold", null,
                    "liveness_success_threshold must be 1 (as Kubernetes': one success means alive)");
        }
        return new Probe(check, initial, period, timeout, success, failure);
    }

    private static Duration seconds(ConfigLoader.Load load, String section, String key, Duration dflt,
            Map<String, Object> names) throws ConfigException {
        return load.convert(section, key, load.get(section, key, RestartDelay.seconds(dflt), names),
                RestartDelay::seconds);
    }

    private static int threshold(ConfigLoader.Load load, String section, String key, Map<String, Object> names)
            throws ConfigException {
        String v = load.get(section, key, key.endsWith("failure_threshold") ? "3" : "1", names);
        int n = load.convert(section, key, v, Values::integer);
        if (n < 1 || n > 1_000_000) {
            throw load.error(section, key, null, key + " must be 1 to 1000000, not " + n);
        }
        return n;
    }
}
