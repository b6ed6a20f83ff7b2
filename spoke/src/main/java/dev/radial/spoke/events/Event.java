package dev.radial.spoke.events;

import dev.radial.common.states.ProcessState;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * One event, as supervisord's events.py defines it: its type name and its payload, rendered when the event
 * happens (supervisord renders pids and the like eagerly too). {@link #is(String)} answers a subscription,
 * including the abstract types (PROCESS_STATE, PROCESS_LOG, TICK, EVENT, ...).
 */
public record Event(String name, String payload) {
    /** Abstract parents of each concrete type (supervisor.events.EventTypes' class hierarchy). */
    private static final Map<String, String> PARENT = Map.ofEntries(
            Map.entry("PROCESS_STATE_STOPPED", "PROCESS_STATE"), Map.entry("PROCESS_STATE_EXITED", "PROCESS_STATE"),
            Map.entry("PROCESS_STATE_STARTING", "PROCESS_STATE"), Map.entry("PROCESS_STATE_STOPPING", "PROCESS_STATE"),
            Map.entry("PROCESS_STATE_BACKOFF", "PROCESS_STATE"), Map.entry("PROCESS_STATE_FATAL", "PROCESS_STATE"),
            Map.entry("PROCESS_STATE_RUNNING", "PROCESS_STATE"), Map.entry("PROCESS_STATE_UNKNOWN", "PROCESS_STATE"),
            Map.entry("PROCESS_COMMUNICATION_STDOUT", "PROCESS_COMMUNICATION"),
            Map.entry("PROCESS_COMMUNICATION_STDERR", "PROCESS_COMMUNICATION"),
            Map.entry("PROCESS_LOG_STDOUT", "PROCESS_LOG"), Map.entry("PROCESS_LOG_STDERR", "PROCESS_LOG"),
            Map.entry("SUPERVISOR_STATE_CHANGE_RUNNING", "SUPERVISOR_STATE_CHANGE"),
            Map.entry("SUPERVISOR_STATE_CHANGE_STOPPING", "SUPERVISOR_STATE_CHANGE"),
            Map.entry("TICK_5", "TICK"), Map.entry("TICK_60", "TICK"), Map.entry("TICK_3600", "TICK"),
            Map.entry("PROCESS_GROUP_ADDED", "PROCESS_GROUP"), Map.entry("PROCESS_GROUP_REMOVED", "PROCESS_GROUP"),
            Map.entry("PROCESS_HEALTH_HEALTHY", "PROCESS_HEALTH"), Map.entry("PROCESS_HEALTH_UNHEALTHY", "PROCESS_HEALTH"));
    /** The process-state events of the three states that also carry the pid. */
    private static final Set<ProcessState> WITH_PID = Set.of(ProcessState.RUNNING, ProcessState.STOPPING,
            ProcessState.STOPPED);

    /** True when a listener subscribed to {@code type} receives this event. */
    public boolean is(String type) {
        return type.equals("EVENT") || type.equals(name) || type.equals(PARENT.get(name));
    }

    /** The payload's length in bytes of UTF-8 (supervisord counts characters: a known bug, documented). */
    public int length() {
        return payload.getBytes(StandardCharsets.UTF_8).length;
    }

    /** PROCESS_STATE_*: processname, groupname, from_state, then tries / expected+pid / pid by the new state. */
    public static Event processState(String process, String group, ProcessState from, ProcessState to,
            boolean expected, int tries, int pid) {
        StringBuilder p = new StringBuilder("processname:").append(process).append(" groupname:").append(group)
                .append(" from_state:").append(from.name());
        if (to == ProcessState.STARTING || to == ProcessState.BACKOFF) {
            p.append(" tries:").append(tries);
        } else if (to == ProcessState.EXITED) {
            p.append(" expected:").append(expected ? 1 : 0).append(" pid:").append(pid);
        } else if (WITH_PID.contains(to)) {
            p.append(" pid:").append(pid);
        }
        return new Event("PROCESS_STATE_" + to.name(), p.toString());
    }

    /** PROCESS_LOG_STDOUT/STDERR (stdout_events_enabled / stderr_events_enabled). */
    public static Event processLog(String process, String group, int pid, String channel, String data) {
        return new Event("PROCESS_LOG_" + channel.toUpperCase(), "processname:" + process + " groupname:" + group
                + " pid:" + pid + " channel:" + channel + "\n" + data);
    }

    /** PROCESS_COMMUNICATION_STDOUT/STDERR: what a child wrote between the capture-mode tokens. */
    public static Event processCommunication(String process, String group, int pid, String channel, String data) {
        return new Event("PROCESS_COMMUNICATION_" + channel.toUpperCase(), "processname:" + process + " groupname:"
                + group + " pid:" + pid + "\n" + data);
    }

    public static Event remoteCommunication(String type, String data) {
        return new Event("REMOTE_COMMUNICATION", "type:" + type + "\n" + data);
    }

    public static Event supervisorState(boolean running) {
        return new Event(running ? "SUPERVISOR_STATE_CHANGE_RUNNING" : "SUPERVISOR_STATE_CHANGE_STOPPING", "");
    }

    public static Event tick(int period, long when) {
        return new Event("TICK_" + period, "when:" + when);
    }

    /**
     * PROCESS_HEALTH_HEALTHY/UNHEALTHY (ours): a probe's verdict changed. Header tokens as PROCESS_STATE's, then
     * the probe ({@code readiness}/{@code liveness}), its previous verdict and the pid; the body is the outcome
     * of the attempt that decided it, in words.
     */
    public static Event processHealth(String process, String group, String probe, String from, boolean healthy,
            int pid, String detail) {
        return new Event(healthy ? "PROCESS_HEALTH_HEALTHY" : "PROCESS_HEALTH_UNHEALTHY", "processname:" + process
                + " groupname:" + group + " probe:" + probe + " from_health:" + from + " pid:" + pid + "\n" + detail);
    }

    public static Event processGroup(String group, boolean added) {
        return new Event(added ? "PROCESS_GROUP_ADDED" : "PROCESS_GROUP_REMOVED", "groupname:" + group + "\n");
    }
}
