package dev.radial.spoke.metrics;

import dev.radial.common.states.ProcessState;
import dev.radial.spoke.engine.Engine;
import dev.radial.spoke.logging.RotatingFile;
import dev.radial.spoke.process.ProcessGroup;
import dev.radial.spoke.process.Subprocess;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the engine knows of one process at one instant, immutable, so it can be rendered on any thread.
 * {@code uptimeSeconds} is 0 unless the process is RUNNING; {@code restarts} counts the spawns after the first;
 * the log sizes are -1 for a channel without a log file; {@code health} is the probes' combined verdict
 * ({@code healthy}, {@code unhealthy}, {@code unknown}), "" without probes.
 */
public record ProcessSample(String group, String name, ProcessState state, int pid, long restarts,
        long uptimeSeconds, int lastExitCode, long stdoutLogBytes, long stderrLogBytes, String health) {

    /** Takes the samples of every process, sorted by group then name. Engine thread only. */
    public static List<ProcessSample> of(Engine engine) {
        long now = engine.wallMillis();
        List<ProcessSample> out = new ArrayList<>();
        for (ProcessGroup g : engine.groups().values()) {
            for (Subprocess p : g.processes().values()) {
                long up = p.state() == ProcessState.RUNNING ? Math.max(0, (now - p.laststartWall()) / 1000) : 0;
                out.add(new ProcessSample(p.group(), p.name(), p.state(), p.pid(), Math.max(0, p.spawns() - 1), up,
                        p.exitstatus(), size(p.stdoutLog()), size(p.stderrLog()), engine.health().view(p).health()));
            }
        }
        out.sort(Comparator.comparing(ProcessSample::group).thenComparing(ProcessSample::name));
        return List.copyOf(out);
    }

    private static long size(RotatingFile f) {
        return f == null ? -1 : f.size();
    }
}
