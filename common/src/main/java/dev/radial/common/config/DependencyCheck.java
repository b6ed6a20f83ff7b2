package dev.radial.common.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the {@code depends_on=} graph of a whole config: every name is a loaded program, and there is no
 * cycle (the error names it: {@code a -> b -> a}). Programs are the graph's nodes, across groups.
 */
final class DependencyCheck {
    private final ConfigLoader.Load load;
    /** program name -> its section and its dependencies (the same for each of its processes). */
    private final Map<String, String> sections = new LinkedHashMap<>();
    private final Map<String, List<Dependency>> edges = new LinkedHashMap<>();
    /** program name -> whether it has a readiness probe (what depends_on=x:healthy needs). */
    private final Map<String, Boolean> ready = new LinkedHashMap<>();

    DependencyCheck(ConfigLoader.Load load) {
        this.load = load;
    }

    void check(List<GroupConfig> groups) throws ConfigException {
        for (GroupConfig g : groups) {
            String prefix = switch (g.kind()) {
                case PROCESS -> "program:";
                case FCGI -> "fcgi-program:";
                case EVENTLISTENER -> "eventlistener:";
            };
            for (ProcessConfig pc : g.processes()) {
                if (g.kind() != GroupConfig.Kind.EVENTLISTENER || !sections.containsKey(pc.programName())) {
                    sections.putIfAbsent(pc.programName(), prefix + pc.programName());
                    edges.putIfAbsent(pc.programName(), pc.dependsOn());
                    ready.putIfAbsent(pc.programName(), pc.readiness() != null);
                }
            }
        }
        for (var e : edges.entrySet()) {
            for (Dependency d : e.getValue()) {
                if (!edges.containsKey(d.program())) {
                    throw load.error(sections.get(e.getKey()), "depends_on", null,
                            "depends on " + d.program() + ", which is not a program of this configuration");
                }
                if (d.condition() == Dependency.Condition.HEALTHY && !ready.get(d.program())) {
                    throw load.error(sections.get(e.getKey()), "depends_on", null, "depends on " + d.program()
                            + " being healthy, but " + d.program() + " has no readiness probe (readiness_command, "
                            + "readiness_http or readiness_tcp)");
                }
            }
        }
        Map<String, Integer> mark = new LinkedHashMap<>(); // absent: new, 1: on the path, 2: done
        for (String p : edges.keySet()) {
            List<String> cycle = visit(p, mark, new ArrayList<>());
            if (cycle != null) {
                throw load.error(sections.get(cycle.get(0)), "depends_on", null,
                        "dependency cycle: " + String.join(" -> ", cycle));
            }
        }
    }

    /** Depth-first; returns the cycle (first name repeated at its end) if one is reachable from p. */
    private List<String> visit(String p, Map<String, Integer> mark, List<String> path) {
        Integer m = mark.get(p);
        if (m != null && m == 2) {
            return null;
        }
        if (m != null) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(p), path.size()));
            cycle.add(p);
            return cycle;
        }
        mark.put(p, 1);
        path.add(p);
        for (Dependency d : edges.get(p)) {
            List<String> c = visit(d.program(), mark, path);
            if (c != null) {
                return c;
            }
        }
        path.remove(path.size() - 1);
        mark.put(p, 2);
        return null;
    }
}
