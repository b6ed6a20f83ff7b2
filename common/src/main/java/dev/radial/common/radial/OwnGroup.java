package dev.radial.common.radial;

import java.util.Collection;
import java.util.Optional;

/**
 * Which group a spoke runs: the group named after the spoke ({@code $SPOKE_NAME}) or, as existing Radial wheels
 * name it, {@code $SPOKE_NAME-group}; the exact name wins when both are loaded. Every spoke loads every group of the
 * wheel, but starts and is judged by this one only. The one place this convention is written down (spoke and ctl
 * use it).
 */
public final class OwnGroup {
    private OwnGroup() {
    }

    /** The spoke's group among {@code loaded} (group names), or empty when the configuration has none for it. */
    public static Optional<String> of(String spoke, Collection<String> loaded) {
        if (loaded.contains(spoke)) {
            return Optional.of(spoke);
        }
        String radial = spoke + "-group";
        return loaded.contains(radial) ? Optional.of(radial) : Optional.empty();
    }

    /** True when {@code group} is the spoke's own group among {@code loaded}. */
    public static boolean is(String spoke, String group, Collection<String> loaded) {
        return of(spoke, loaded).filter(group::equals).isPresent();
    }

    /** What to call the missing group in a message: "web (or web-group)". */
    public static String describe(String spoke) {
        return "'" + spoke + "' or '" + spoke + "-group'";
    }
}
