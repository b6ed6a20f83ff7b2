package dev.radial.common.config;

import java.util.List;

/**
 * A process group: a [group:x], a single [program:x], an [eventlistener:x] pool or an [fcgi-program:x].
 * Processes are sorted by (priority, name) as supervisord sorts them.
 *
 * @param events      for listener pools: the subscribed event type names (upper case), else empty
 * @param bufferSize  for listener pools: the event buffer size
 * @param socket      for fcgi programs: the socket URL, else null
 */
public record GroupConfig(String name, int priority, Kind kind, List<ProcessConfig> processes, List<String> events,
        int bufferSize, String resultHandler, String socket) {

    /** What kind of section made the group. */
    public enum Kind {
        PROCESS, EVENTLISTENER, FCGI
    }

    public GroupConfig {
        processes = List.copyOf(processes);
        events = List.copyOf(events);
    }

    public ProcessConfig process(String name) {
        return processes.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }
}
