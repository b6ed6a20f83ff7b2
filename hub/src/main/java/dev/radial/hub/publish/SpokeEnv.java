package dev.radial.hub.publish;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The environment a revision is validated with: what a spoke has, never the hub's own. {@code %(ENV_X)s} in a
 * configuration expands per spoke, so the hub checks it against placeholder values of the names every spoke
 * has ({@code SPOKE_NAME}, {@code HOSTNAME}, {@code HOME}, {@code PATH} and the four {@code RADIAL_*_ROOT}s,
 * whose values the hub shares with its spokes) plus the names the wheel declares in {@code HUB_SPOKE_ENV}:
 * whitespace- or comma-separated {@code NAME} or {@code NAME=example}; the example is what validation expands
 * it to (give one for a name used where a number is expected, e.g. {@code HUB_SPOKE_ENV="DB_HOST PORT=8080"}),
 * else {@code <NAME>}. Any other {@code ENV_} name is an error naming it, with no value from anywhere.
 */
public record SpokeEnv(Map<String, String> values) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final String[] ROOTS = {"RADIAL_CONFIG_ROOT", "RADIAL_LOG_ROOT", "RADIAL_RUN_ROOT", "RADIAL_DATA_ROOT"};

    public SpokeEnv {
        values = Map.copyOf(values);
    }

    /** @throws IllegalArgumentException HUB_SPOKE_ENV holds something that is not NAME or NAME=example */
    public static SpokeEnv fromHubEnvironment(Map<String, String> hubEnv) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("SPOKE_NAME", "<SPOKE_NAME>");
        m.put("HOSTNAME", "<HOSTNAME>");
        m.put("HOME", "/root");
        m.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        for (String r : ROOTS) {
            if (hubEnv.containsKey(r)) {
                m.put(r, hubEnv.get(r));
            }
        }
        String declared = hubEnv.getOrDefault("HUB_SPOKE_ENV", "").strip();
        if (!declared.isEmpty()) {
            for (String item : declared.split("[\\s,]+")) {
                int eq = item.indexOf('=');
                String name = eq < 0 ? item : item.substring(0, eq);
                if (!NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("HUB_SPOKE_ENV: '" + name + "' is not a variable name");
                }
                m.put(name, eq < 0 ? "<" + name + ">" : item.substring(eq + 1));
            }
        }
        return new SpokeEnv(m);
    }
}
