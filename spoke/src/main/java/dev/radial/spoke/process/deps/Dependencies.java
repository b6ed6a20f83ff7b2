package dev.radial.spoke.process.deps;

import dev.radial.common.config.Dependency;
import dev.radial.common.states.ProcessState;
import dev.radial.spoke.process.ProcessGroup;
import dev.radial.spoke.process.Subprocess;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@code depends_on=} graph of the loaded processes: whether a process may start now (and if not, why,
 * in words for {@code status}), who must be woken when a process changes state, and the order of a stop
 * (dependents first). Nodes are programs across groups; each process of a dependency must meet the condition.
 * The config parser has already refused unknown names and cycles. Engine thread only; the index is rebuilt
 * lazily after {@link #invalidate()} (a group added, removed or updated).
 */
public final class Dependencies {
    private final Supplier<Collection<ProcessGroup>> groups;
    /** program name -> its processes; null when stale. */
    private Map<String, List<Subprocess>> byProgram;
    /** program name -> the processes whose depends_on names it. */
    private Map<String, List<Subprocess>> dependents;

    /** The readiness verdict of a process (depends_on=x:healthy). */
    private final java.util.function.Function<Subprocess, dev.radial.spoke.health.Health> readiness;

    public Dependencies(Supplier<Collection<ProcessGroup>> groups) {
        this(groups, p -> dev.radial.spoke.health.Health.UNKNOWN);
    }

    public Dependencies(Supplier<Collection<ProcessGroup>> groups,
            java.util.function.Function<Subprocess, dev.radial.spoke.health.Health> readiness) {
        this.groups = groups;
        this.readiness = readiness;
    }

    /** The set of processes changed: rebuild the index before its next use. */
    public void invalidate() {
        byProgram = null;
        dependents = null;
    }

    private void index() {
        if (byProgram != null) {
            return;
        }
        byProgram = new HashMap<>();
        dependents = new HashMap<>();
        for (ProcessGroup g : groups.get()) {
            for (Subprocess p : g.processes().values()) {
                byProgram.computeIfAbsent(p.config().programName(), k -> new ArrayList<>()).add(p);
                for (Dependency d : p.config().dependsOn()) {
                    dependents.computeIfAbsent(d.program(), k -> new ArrayList<>()).add(p);
                }
            }
        }
    }

    /**
     * Null when every dependency of {@code p} meets its condition; otherwise why not, such as
     * {@code waiting for db to be running: db is FATAL (Exited too quickly (process log may have details))}.
     */
    public String unmet(Subprocess p) {
        if (p.config().dependsOn().isEmpty()) {
            return null;
        }
        index();
        for (Dependency d : p.config().dependsOn()) {
            String want = switch (d.condition()) {
                case STARTED -> "to be started";
                case RUNNING -> "to be running";
                case COMPLETED_SUCCESSFULLY -> "to complete successfully";
                case HEALTHY -> "to be healthy";
            };
            List<Subprocess> of = byProgram.get(d.program());
            if (of == null || of.isEmpty()) {
                return "waiting for " + d.program() + " " + want + ": no such program is loaded";
            }
            for (Subprocess q : of) {
                String why = unmet(q, d.condition());
                if (why != null) {
                    return "waiting for " + d.program() + " " + want + ": " + why;
                }
            }
        }
        return null;
    }

    /** Null when q meets c; otherwise what q is instead. */
    private String unmet(Subprocess q, Dependency.Condition c) {
        ProcessState s = q.state();
        if (c == Dependency.Condition.HEALTHY && s == ProcessState.RUNNING) {
            dev.radial.spoke.health.Health h = readiness.apply(q);
            return h == dev.radial.spoke.health.Health.HEALTHY ? null : q.name() + " is RUNNING, its readiness "
                    + (h == dev.radial.spoke.health.Health.UNKNOWN ? "not known yet" : "probe failing");
        }
        boolean ok = switch (c) {
            case STARTED -> s == ProcessState.STARTING || s == ProcessState.RUNNING || s == ProcessState.EXITED;
            case RUNNING -> s == ProcessState.RUNNING;
            case COMPLETED_SUCCESSFULLY -> s == ProcessState.EXITED
                    && q.config().exitcodes().contains(q.exitstatus());
            case HEALTHY -> false; // RUNNING is handled above
        };
        if (ok) {
            return null;
        }
        if (s == ProcessState.EXITED) {
            return q.name() + " exited with status " + q.exitstatus() + " (exitcodes " + q.config().exitcodes()
                    .stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse("") + ")";
        }
        String err = q.spawnerr();
        if ((s == ProcessState.FATAL || s == ProcessState.BACKOFF) && err != null && !err.isEmpty()) {
            return q.name() + " is " + s + " (" + err + ")";
        }
        if (s == ProcessState.STOPPED && q.waitingFor() != null) {
            return q.name() + " is " + q.waitingFor();
        }
        if (s == ProcessState.STOPPED && q.laststartWall() == 0) {
            return q.name() + " is STOPPED (not started)";
        }
        return q.name() + " is " + s;
    }

    /** The processes whose depends_on names q's program (to re-evaluate when q changes state). */
    public List<Subprocess> dependents(Subprocess q) {
        index();
        if (dependents.isEmpty()) {
            return List.of();
        }
        return dependents.getOrDefault(q.config().programName(), List.of());
    }

    /** The given processes and, transitively, every process that depends on one of them. */
    public Set<Subprocess> withDependents(Collection<Subprocess> start) {
        Set<Subprocess> out = new LinkedHashSet<>(start);
        Deque<Subprocess> todo = new ArrayDeque<>(start);
        while (!todo.isEmpty()) {
            for (Subprocess d : dependents(todo.poll())) {
                if (out.add(d)) {
                    todo.add(d);
                }
            }
        }
        return out;
    }

    /**
     * One step of an ordered stop of {@code scope} (supervisord's stop_all, dependents first): in descending
     * (priority, name) order, a BACKOFF process gives up, and a RUNNING or STARTING one is stopped once none of
     * its dependents is still up. Passes repeat until one changes nothing, so a dependent that gave up in a pass
     * releases its dependency in the same call. Call again as processes stop (their exits wake the engine); the
     * stop is done when every process of the scope {@link ProcessState#isStopped()}.
     */
    public void stopStep(Collection<Subprocess> scope) {
        List<Subprocess> l = new ArrayList<>(scope);
        l.sort(Comparator.comparingInt((Subprocess p) -> p.config().priority()).thenComparing(Subprocess::name)
                .reversed());
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Subprocess p : l) {
                ProcessState s = p.state();
                if (s == ProcessState.BACKOFF) {
                    p.giveUp();
                    changed = true;
                } else if ((s == ProcessState.RUNNING || s == ProcessState.STARTING)
                        && dependents(p).stream().allMatch(d -> d.state().isStopped())) {
                    p.stop();
                    changed = true;
                }
            }
        }
    }
}
