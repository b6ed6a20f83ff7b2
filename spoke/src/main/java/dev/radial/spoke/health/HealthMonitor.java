package dev.radial.spoke.health;

import dev.radial.common.config.Probe;
import dev.radial.common.states.ProcessState;
import dev.radial.spoke.process.Subprocess;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The probes of the engine's processes. A process's probes run while it is RUNNING: they start (from
 * {@link Tally#INITIAL}) when it enters RUNNING and end when it leaves, so every run is judged afresh and a
 * process removed by an update (stopped first) has none left. Engine thread only.
 */
public final class HealthMonitor {
    /** What the API shows: {@code health} and {@code health_description}; both "" when no probe is configured. */
    public record View(String health, String description) {
        public static final View NONE = new View("", "");
    }

    private final ProbeHost host;
    private final Map<Subprocess, List<ProbeRunner>> running = new HashMap<>();

    public HealthMonitor(ProbeHost host) {
        this.host = host;
    }

    /** Every state change of every process (the engine's stateChanged). */
    public void stateChanged(Subprocess p, ProcessState from, ProcessState to) {
        if (from == ProcessState.RUNNING) {
            List<ProbeRunner> runners = running.remove(p);
            if (runners != null) {
                runners.forEach(ProbeRunner::stop);
            }
        }
        if (to == ProcessState.RUNNING && p.config().probed() && !running.containsKey(p)) {
            List<ProbeRunner> runners = new ArrayList<>(2);
            if (p.config().readiness() != null) {
                runners.add(new ProbeRunner(host, p, Probe.Kind.READINESS, p.config().readiness()));
            }
            if (p.config().liveness() != null) {
                runners.add(new ProbeRunner(host, p, Probe.Kind.LIVENESS, p.config().liveness()));
            }
            running.put(p, runners);
            runners.forEach(ProbeRunner::start);
        }
    }

    /** The verdict of p's probe of that kind: UNKNOWN when it is not running (or has no such probe). */
    public Health health(Subprocess p, Probe.Kind kind) {
        for (ProbeRunner r : running.getOrDefault(p, List.of())) {
            if (r.kind() == kind) {
                return r.tally().health();
            }
        }
        return Health.UNKNOWN;
    }

    /** The last outcome of p's probe of that kind in words, "" when there is none. */
    public String detail(Subprocess p, Probe.Kind kind) {
        for (ProbeRunner r : running.getOrDefault(p, List.of())) {
            if (r.kind() == kind) {
                return r.detail();
            }
        }
        return "";
    }

    /**
     * The combined verdict of p's probes ({@link #combined}): unknown when it is not running or before enough
     * results; {@link View#NONE} without probes.
     */
    public View view(Subprocess p) {
        if (!p.config().probed()) {
            return View.NONE;
        }
        List<ProbeRunner> runners = running.get(p);
        if (runners == null) {
            return new View(Health.UNKNOWN.word(), "not running");
        }
        Health readiness = null;
        Health liveness = null;
        for (ProbeRunner r : runners) {
            if (r.kind() == Probe.Kind.READINESS) {
                readiness = r.tally().health();
            } else {
                liveness = r.tally().health();
            }
        }
        return new View(combined(readiness, liveness).word(), describe(runners));
    }

    /**
     * Unhealthy when a probe is; otherwise the readiness verdict when there is a readiness probe (a liveness
     * probe that has not answered yet does not hold a ready process back), else the liveness verdict.
     */
    static Health combined(Health readiness, Health liveness) {
        if (readiness == Health.UNHEALTHY || liveness == Health.UNHEALTHY) {
            return Health.UNHEALTHY;
        }
        return readiness != null ? readiness : liveness == null ? Health.UNKNOWN : liveness;
    }

    private static String describe(List<ProbeRunner> runners) {
        StringBuilder b = new StringBuilder();
        for (ProbeRunner r : runners) {
            if (!b.isEmpty()) {
                b.append("; ");
            }
            Tally t = r.tally();
            b.append(r.kind().word()).append(' ').append(t.health().word());
            if (!r.detail().isEmpty()) {
                b.append(" (").append(r.detail());
                if (t.failures() > 0) {
                    b.append(", ").append(t.failures()).append(t.failures() == 1 ? " failure" : " failures");
                }
                b.append(')');
            }
        }
        return b.toString();
    }
}
