package dev.radial.spoke.engine;

import dev.radial.spoke.process.Subprocess;
import java.util.Set;

/**
 * Which processes start without being asked: at start-up, and when a group is added or its programs replaced.
 * supervisord's rule ({@link #CONFIGURED}) is each program's {@code autostart=}; Radial mode starts the spoke's own
 * group only. Given to the {@link Engine} at construction; called on the engine thread with the names of the groups
 * loaded at that moment.
 */
@FunctionalInterface
public interface AutostartPolicy {
    AutostartPolicy CONFIGURED = (p, loaded) -> p.config().autostart();

    boolean autostarts(Subprocess p, Set<String> loadedGroups);
}
