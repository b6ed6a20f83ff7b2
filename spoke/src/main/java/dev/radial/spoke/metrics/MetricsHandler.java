package dev.radial.spoke.metrics;

import dev.radial.common.states.ProcessState;
import dev.radial.spoke.engine.Engine;
import dev.radial.spoke.http.Exchange;
import dev.radial.spoke.http.HttpRequest;
import dev.radial.spoke.http.Response;
import dev.radial.spoke.http.Router;
import dev.radial.spoke.metrics.PrometheusText.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * GET /metrics in the Prometheus text format, behind the server's auth like every path. Three threads, none
 * blocked: the selector thread asks the engine for a {@link ProcessSample} snapshot (engine thread: copies fields,
 * no I/O); the engine hands the snapshot to one worker thread, which reads {@code /proc} and renders; the worker
 * answers through {@link Exchange#respond}. One rendering at a time: scrapes that arrive meanwhile wait and all
 * share the next one (so a burst costs two renderings, not one each); beyond {@value #MAX_WAITING} waiting scrapes
 * the answer is 503. The worker exists only while there is work (it ends after {@value #KEEP_ALIVE_SECONDS} s idle).
 */
public final class MetricsHandler {
    static final int MAX_WAITING = 256;
    static final int KEEP_ALIVE_SECONDS = 10;

    private final Engine engine;
    private final Path proc;
    private final int selfPid;
    private final long startedWallMillis;
    private final LongSupplier wallMillis;
    private final ThreadPoolExecutor worker;
    /** Guarded by this: the scrapes the next rendering answers, and whether a rendering is under way. */
    private List<Exchange> waiting = new java.util.ArrayList<>();
    private boolean rendering;

    /**
     * @param proc the proc file system ({@code /proc})
     * @param startedWallMillis when the spoke started, for radial_spoke_uptime_seconds
     */
    public MetricsHandler(Engine engine, Path proc, int selfPid, long startedWallMillis, LongSupplier wallMillis) {
        this.engine = engine;
        this.proc = proc;
        this.selfPid = selfPid;
        this.startedWallMillis = startedWallMillis;
        this.wallMillis = wallMillis;
        this.worker = new ThreadPoolExecutor(1, 1, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(1), r -> {
                    Thread t = new Thread(r, "metrics");
                    t.setDaemon(true);
                    return t;
                });
        worker.allowCoreThreadTimeOut(true);
    }

    /** The handler for this JVM: /proc, its own pid, and its start time as the kernel recorded it. */
    public static MetricsHandler forSpoke(Engine engine) {
        ProcessHandle self = ProcessHandle.current();
        long started = self.info().startInstant().map(java.time.Instant::toEpochMilli)
                .orElse(System.currentTimeMillis());
        return new MetricsHandler(engine, Path.of("/proc"), (int) self.pid(), started, System::currentTimeMillis);
    }

    /** Registers GET /metrics on {@code router}. */
    public Router routes(Router router) {
        return router.exact("/metrics", this::scrape);
    }

    private void scrape(HttpRequest req, Exchange ex) {
        if (!req.method().equals("GET")) {
            ex.refuse(405, "metrics require GET");
            return;
        }
        synchronized (this) {
            if (waiting.size() >= MAX_WAITING) {
                ex.respond(Response.text(503, "too many metrics scrapes waiting\n"));
                return;
            }
            waiting.add(ex);
            if (rendering) {
                return; // the rendering under way starts the next round, which answers this one
            }
            rendering = true;
        }
        round();
    }

    /** One rendering for the scrapes waiting when its snapshot is handed over; then the next round, if any. */
    private void round() {
        engine.submit(() -> ProcessSample.of(engine)).whenComplete((samples, error) -> {
            try {
                worker.execute(() -> answer(samples, error));
            } catch (RejectedExecutionException e) {
                answer(null, e); // cannot happen with one task at a time; never leaves scrapes unanswered
            }
        });
    }

    private void answer(List<ProcessSample> samples, Throwable error) {
        List<Exchange> batch;
        synchronized (this) {
            batch = waiting;
            waiting = new java.util.ArrayList<>();
        }
        Response r = null;
        String failure = null;
        if (error != null) {
            failure = "metrics snapshot failed: " + error;
        } else {
            try {
                r = new Response(200, PrometheusText.CONTENT_TYPE,
                        render(samples).getBytes(StandardCharsets.UTF_8), null);
            } catch (RuntimeException e) {
                failure = "metrics rendering failed: " + e;
            }
        }
        for (Exchange ex : batch) {
            if (r != null) {
                ex.respond(r);
            } else {
                ex.fail(failure);
            }
        }
        synchronized (this) {
            if (waiting.isEmpty()) {
                rendering = false;
                return;
            }
        }
        round();
    }

    /** The whole exposition for {@code samples} plus the spoke's own figures. Reads /proc: worker thread only. */
    String render(List<ProcessSample> samples) {
        long now = wallMillis.getAsLong();
        Map<ProcessSample, Optional<ProcStat>> stats = new java.util.LinkedHashMap<>();
        for (ProcessSample s : samples) {
            stats.put(s, s.state().isSignallable() || s.state() == ProcessState.BACKOFF
                    ? ProcStat.readChild(proc, s.pid(), selfPid) : Optional.empty());
        }
        PrometheusText t = new PrometheusText();
        t.family("radial_process_state", Type.GAUGE,
                "The process's supervisord state code (0 STOPPED, 10 STARTING, 20 RUNNING, 30 BACKOFF, 40 STOPPING,"
                        + " 100 EXITED, 200 FATAL); the state's name is a label.");
        samples.forEach(s -> t.sample(s.state().code(), "group", s.group(), "name", s.name(), "state",
                s.state().name()));
        t.family("radial_process_up", Type.GAUGE, "1 if the process is RUNNING, else 0.");
        samples.forEach(s -> t.sample(s.state() == ProcessState.RUNNING ? 1 : 0, labels(s)));
        t.family("radial_process_healthy", Type.GAUGE, "1 if every health probe of the process says healthy, else 0;"
                + " absent for a process without probes.");
        samples.stream().filter(s -> !s.health().isEmpty()).forEach(s -> t.sample(s.health().equals("healthy") ? 1 : 0,
                labels(s)));
        t.family("radial_process_restarts_total", Type.COUNTER,
                "Spawns of the process after its first since the spoke started (restarts, retries, manual starts).");
        samples.forEach(s -> t.sample(s.restarts(), labels(s)));
        t.family("radial_process_uptime_seconds", Type.GAUGE, "Seconds since the running process was spawned, 0 when"
                + " it is not RUNNING.");
        samples.forEach(s -> t.sample(s.uptimeSeconds(), labels(s)));
        t.family("radial_process_last_exit_code", Type.GAUGE,
                "The exit status of the process's last child (supervisord's exitstatus; 0 before any exit).");
        samples.forEach(s -> t.sample(s.lastExitCode(), labels(s)));
        t.family("radial_process_cpu_seconds_total", Type.COUNTER,
                "User and system CPU time of the current child (from /proc/PID/stat), absent without a child.");
        stats.forEach((s, st) -> st.ifPresent(v -> t.sample(v.cpuSeconds(), labels(s))));
        t.family("radial_process_resident_memory_bytes", Type.GAUGE,
                "Resident memory of the current child (VmRSS of /proc/PID/status), absent without a child.");
        stats.forEach((s, st) -> st.ifPresent(v -> t.sample(v.residentBytes(), labels(s))));
        t.family("radial_process_log_bytes", Type.GAUGE,
                "Size of the channel's current log file in bytes (it shrinks when the file rotates).");
        for (ProcessSample s : samples) {
            if (s.stdoutLogBytes() >= 0) {
                t.sample(s.stdoutLogBytes(), "group", s.group(), "name", s.name(), "stream", "stdout");
            }
            if (s.stderrLogBytes() >= 0) {
                t.sample(s.stderrLogBytes(), "group", s.group(), "name", s.name(), "stream", "stderr");
            }
        }
        Optional<ProcStat> self = ProcStat.read(proc, selfPid);
        t.family("process_cpu_seconds_total", Type.COUNTER, "User and system CPU time of the spoke itself.");
        self.ifPresent(v -> t.sample(v.cpuSeconds()));
        t.family("process_resident_memory_bytes", Type.GAUGE, "Resident memory of the spoke itself.");
        self.ifPresent(v -> t.sample(v.residentBytes()));
        t.family("radial_spoke_processes", Type.GAUGE, "How many configured processes are in each state.");
        Map<ProcessState, Integer> counts = new EnumMap<>(ProcessState.class);
        samples.forEach(s -> counts.merge(s.state(), 1, Integer::sum));
        counts.forEach((state, n) -> t.sample(n, "state", state.name()));
        t.family("radial_spoke_uptime_seconds", Type.GAUGE, "Seconds since the spoke started.");
        t.sample(Math.max(0, (now - startedWallMillis) / 1000));
        return t.toString();
    }

    private static String[] labels(ProcessSample s) {
        return new String[] {"group", s.group(), "name", s.name()};
    }
}
