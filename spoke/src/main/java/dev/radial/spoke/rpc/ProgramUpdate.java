package dev.radial.spoke.rpc;

import dev.radial.common.config.GroupConfig;
import dev.radial.common.config.ProcessConfig;
import dev.radial.common.states.ProcessState;
import dev.radial.common.xmlrpc.Fault;
import dev.radial.common.xmlrpc.XmlRpcFault;
import dev.radial.spoke.engine.Engine;
import dev.radial.spoke.process.ProcessGroup;
import dev.radial.spoke.process.Subprocess;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Our extension {@code radial.updateProcessGroup(name)}: after {@code reloadConfig}, bring one group to its new
 * configuration program by program. supervisorctl's update stops and re-adds a whole changed group; here only
 * programs whose config changed are stopped and replaced (and started again, through the state machine, if they
 * were meant to run: running, starting, in backoff or fatal; one never started is treated as new), removed ones are
 * stopped and dropped, new ones are added (the engine's autostart policy applies: autostart=, or in Radial mode the
 * spoke's own group), and unchanged ones keep running with the same pid. A group that is new is added; one that is gone is stopped and removed. Engine thread.
 *
 * <p>Returns {@code {added: [...], changed: [...], removed: [...], unchanged: [...]}} (program names).
 */
final class ProgramUpdate {
    private final Engine engine;
    private final Deferred deferred;

    ProgramUpdate(Engine engine, Deferred deferred) {
        this.engine = engine;
        this.deferred = deferred;
    }

    Object update(String name) throws XmlRpcFault {
        GroupConfig fresh = engine.config().group(name).orElse(null);
        ProcessGroup group = engine.groups().get(name);
        if (fresh == null && group == null) {
            throw new XmlRpcFault(Fault.BAD_NAME, name);
        }
        if (group == null) {
            engine.addGroup(fresh);
            return result(names(fresh), List.of(), List.of(), List.of());
        }
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        Map<String, ProcessConfig> next = new LinkedHashMap<>();
        if (fresh != null) {
            fresh.processes().forEach(pc -> next.put(pc.name(), pc));
        }
        List<Subprocess> toStop = new ArrayList<>();
        Set<String> restart = new HashSet<>();
        Set<String> neverStarted = new HashSet<>();
        for (Subprocess p : group.processes().values()) {
            ProcessConfig pc = next.get(p.name());
            if (pc == null) {
                removed.add(p.name());
                toStop.add(p);
            } else if (!pc.equals(p.config())) {
                changed.add(p.name());
                toStop.add(p);
                if (meantToRun(p.state())) {
                    restart.add(p.name());
                } else if (p.laststartWall() == 0) {
                    neverStarted.add(p.name());
                }
            } else {
                unchanged.add(p.name());
            }
        }
        next.keySet().stream().filter(n -> !group.processes().containsKey(n)).forEach(added::add);
        List<CompletableFuture<Object>> stopped = new ArrayList<>();
        for (Subprocess p : toStop) {
            if (p.state().isRunning()) {
                p.stop();
            } else if (p.state() == ProcessState.BACKOFF) {
                p.giveUp();
            }
            stopped.add(deferred.await(p, () -> p.state().isStopped() ? Boolean.TRUE : null));
        }
        Object answer = result(added, changed, removed, unchanged);
        // completes on the engine thread: from the last stop's state change, or right here if all were stopped
        return CompletableFuture.allOf(stopped.toArray(CompletableFuture[]::new)).thenApply(x -> {
            if (fresh == null) {
                engine.removeGroup(name);
                return answer;
            }
            for (Subprocess p : group.replaceProcesses(fresh, engine)) {
                if (restart.contains(p.name())) {
                    p.requestStart(); // through the state machine, at its next transition
                } else if (added.contains(p.name()) || neverStarted.contains(p.name())) {
                    engine.touch(p); // new to the spoke: the engine's autostart policy decides, as for an added group
                }
                // otherwise it was stopped or exited before the change and stays so: it gets no transition pass
                // (where autostart would apply) before a client starts it
            }
            engine.log().info("updated process group " + name + " program by program: added " + added
                    + ", changed " + changed + ", removed " + removed + ", kept " + unchanged);
            return answer;
        });
    }

    /**
     * Whether a program whose configuration changed comes back after the update: it was meant to run when it was
     * running, starting, retrying (BACKOFF) or had given up (FATAL, the usual state of a bad command= that the
     * update fixes). A program stopped on purpose, or exited, stays down unless its autostart policy says
     * otherwise.
     */
    static boolean meantToRun(ProcessState s) {
        return s.isRunning() || s == ProcessState.FATAL;
    }

    private static List<String> names(GroupConfig g) {
        return g.processes().stream().map(ProcessConfig::name).toList();
    }

    private static Map<String, Object> result(List<String> added, List<String> changed, List<String> removed,
            List<String> unchanged) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("added", new ArrayList<Object>(added));
        m.put("changed", new ArrayList<Object>(changed));
        m.put("removed", new ArrayList<Object>(removed));
        m.put("unchanged", new ArrayList<Object>(unchanged));
        return m;
    }
}
