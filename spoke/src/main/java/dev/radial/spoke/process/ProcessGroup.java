package dev.radial.spoke.process;

import dev.radial.common.config.GroupConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A running process group (supervisord's ProcessGroup). Engine thread only. */
public final class ProcessGroup {
    private GroupConfig config;
    private final Map<String, Subprocess> processes = new LinkedHashMap<>();

    public ProcessGroup(GroupConfig config, ProcessHost host) {
        this.config = config;
        for (var pc : config.processes()) {
            Subprocess p = new Subprocess(host, config.name(), pc);
            p.createAutoLogs(); // supervisord's add_process_group: after_setuid, then make_group
            processes.put(pc.name(), p);
        }
    }

    public GroupConfig config() {
        return config;
    }

    public void config(GroupConfig c) {
        this.config = c;
    }

    public String name() {
        return config.name();
    }

    public Map<String, Subprocess> processes() {
        return processes;
    }

    /** Processes sorted by (priority, name). */
    public List<Subprocess> sorted() {
        List<Subprocess> l = new ArrayList<>(processes.values());
        l.sort(Comparator.comparingInt((Subprocess p) -> p.config().priority()).thenComparing(Subprocess::name));
        return l;
    }

    /**
     * Program-level update: the processes become exactly {@code fresh}'s, in its order. Processes whose config
     * is unchanged are kept (same object, same pid); the others, which the caller has stopped, are dropped or
     * replaced by new ones. Returns the new processes.
     */
    public List<Subprocess> replaceProcesses(GroupConfig fresh, ProcessHost host) {
        Map<String, Subprocess> old = new LinkedHashMap<>(processes);
        List<Subprocess> created = new ArrayList<>();
        processes.clear();
        for (var pc : fresh.processes()) {
            Subprocess kept = old.remove(pc.name());
            if (kept != null && kept.config().equals(pc)) {
                processes.put(pc.name(), kept);
            } else {
                if (kept != null) {
                    kept.closeLogs();
                }
                Subprocess p = new Subprocess(host, fresh.name(), pc);
                p.createAutoLogs();
                processes.put(pc.name(), p);
                created.add(p);
            }
        }
        old.values().forEach(Subprocess::closeLogs);
        this.config = fresh;
        host.processesChanged();
        return created;
    }

    public List<Subprocess> unstopped() {
        return processes.values().stream().filter(p -> !p.state().isStopped()).toList();
    }
}
