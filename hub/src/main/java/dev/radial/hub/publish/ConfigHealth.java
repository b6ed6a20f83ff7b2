package dev.radial.hub.publish;

import java.util.List;

/**
 * Whether /config resolves to one complete revision: {@code .radial/current} names a revision directory that
 * holds {@code supervisor/supervisord.conf}, every top-level name of that revision is the link
 * {@code <name> -> .radial/current/<name>}, and no such link is left dangling.
 *
 * @param revision the id /config serves, or null when it serves nothing complete
 * @param problems what is wrong now (empty when ok)
 * @param repaired what the last check fixed on its way (links recreated or removed, a lost current restored)
 */
public record ConfigHealth(boolean ok, String revision, List<String> problems, List<String> repaired) {
    public ConfigHealth {
        problems = List.copyOf(problems);
        repaired = List.copyOf(repaired);
    }

    /** Before the hub looked: not known to be broken, not known to be whole. */
    public static final ConfigHealth UNKNOWN = new ConfigHealth(false, null, List.of("not checked yet"), List.of());
}
