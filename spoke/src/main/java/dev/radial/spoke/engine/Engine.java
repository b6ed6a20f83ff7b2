package dev.radial.spoke.engine;

import dev.radial.common.config.DaemonConfig;
import dev.radial.common.config.GroupConfig;
import dev.radial.common.config.SupervisorConfig;
import dev.radial.common.states.ProcessState;
import dev.radial.common.states.SupervisorState;
import dev.radial.spoke.dispatch.OutputDispatcher;
import dev.radial.spoke.events.Event;
import dev.radial.spoke.events.EventBus;
import dev.radial.spoke.events.ListenerPool;
import dev.radial.spoke.logging.MainLog;
import dev.radial.spoke.os.Epoll;
import dev.radial.spoke.os.StdinPipe;
import dev.radial.spoke.process.ProcessGroup;
import dev.radial.spoke.os.Native;
import dev.radial.spoke.os.NativeLauncher;
import dev.radial.spoke.os.Pidfds;
import dev.radial.spoke.process.ProcessHost;
import dev.radial.spoke.process.ProcessLauncher;
import dev.radial.spoke.process.Subprocess;
import dev.radial.spoke.process.deps.Dependencies;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * The supervisor: one thread owns every process, group and timer (supervisord's runforever, without its
 * 1 s poll). Inputs arrive on a queue and wake the loop through an eventfd: commands from the RPC layer and
 * SIGCHLD from the signal thread; through epoll: pipe data, writable stdin pipes and child exits (pidfds,
 * reaped on this thread by {@link Children}; the other descriptors and their handlers are {@link Watches}),
 * health-probe commands' output and exits ({@link EngineProbes}); deadlines from {@link Timers} (process
 * transitions and probe attempts). Nothing blocks the loop but the epoll wait itself (see package-info).
 */
public final class Engine implements ProcessHost {
    /** Listens to every process state change (RPC waiters, events). */
    public interface StateListener {
        void changed(Subprocess p, ProcessState from, ProcessState to, boolean expected);
    }

    private final MainLog log;
    private volatile SupervisorConfig config;
    private final Map<String, String> baseEnv;
    private final Epoll epoll;
    private final Children children;
    private final ProcessLauncher launcher = new NativeLauncher();
    private final dev.radial.spoke.os.DescriptorTable descriptors = new dev.radial.spoke.os.DescriptorTable();
    /** The start-up's groups are added (each later addGroup reserves descriptors for all groups again). */
    private boolean startupGroupsAdded;
    /** Set by the SIGCHLD handler (any thread), cleared by the loop before it sweeps. */
    private final java.util.concurrent.atomic.AtomicBoolean childSignal = new java.util.concurrent.atomic.AtomicBoolean();
    private final Map<String, ProcessGroup> groups = new LinkedHashMap<>();
    private final Watches watches;
    private final Timers timers = new Timers();
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final Set<Subprocess> dirty = new LinkedHashSet<>();
    private final List<StateListener> listeners = new ArrayList<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    private final PrintStream out;
    private final PrintStream err;
    private volatile SupervisorState state = SupervisorState.RUNNING;
    private volatile boolean restartRequested;
    private List<ProcessGroup> stopGroups;
    private Thread loopThread;
    private volatile boolean finished;
    private final CompletableFuture<Boolean> done = new CompletableFuture<>();

    private final EventBus bus = new EventBus();
    private final EngineProbes probes = new EngineProbes(this);
    private final dev.radial.spoke.health.HealthMonitor health = new dev.radial.spoke.health.HealthMonitor(probes);
    private final Dependencies deps = new Dependencies(groups::values,
            p -> health.health(p, dev.radial.common.config.Probe.Kind.READINESS));
    /** Set by the fail_fast policy: the spoke's exit code after the shutdown it triggers. */
    private volatile int exitCode;
    private long nextTickMillis;
    /** Gives malloc's free memory back after start-up and other bursts (the JIT's scratch memory; see HeapTrim). */
    private final HeapTrim heapTrim = new HeapTrim(this::trimHeap);

    private final AutostartPolicy autostart;

    public Engine(SupervisorConfig config, MainLog log, Map<String, String> baseEnv, PrintStream out, PrintStream err)
            throws IOException {
        this(config, log, baseEnv, out, err, AutostartPolicy.CONFIGURED);
    }

    public Engine(SupervisorConfig config, MainLog log, Map<String, String> baseEnv, PrintStream out, PrintStream err,
            AutostartPolicy autostart) throws IOException {
        this.autostart = autostart;
        this.config = config;
        this.log = log;
        this.baseEnv = Map.copyOf(baseEnv);
        this.out = out;
        this.err = err;
        this.epoll = new Epoll();
        this.watches = new Watches(epoll, log);
        this.children = new Children(epoll, log, (p, status) -> {
            p.finish(status, readBuffer);
            dirty.add(p);
            log.debug("received SIGCHLD indicating a child quit"); // supervisord's line, after the exit's output
        });
    }

    public SupervisorConfig config() {
        return config;
    }

    public void config(SupervisorConfig c) {
        this.config = c;
    }

    public SupervisorState supervisorState() {
        return state;
    }

    public void addListener(StateListener l) {
        listeners.add(l);
    }

    // ---- threads ---------------------------------------------------------------------------------

    /**
     * Starts the loop; creates the groups and autostarts in ascending priority. The start-up runs on the engine
     * thread before any queued command: the HTTP servers listen before this (as supervisord's do before its first
     * loop), and a call that arrived early must find the configured groups, not an empty daemon.
     */
    public void start() {
        loopThread = new Thread(() -> {
            try {
                startUp();
            } catch (RuntimeException | Error e) {
                log.critical("engine error at start-up (supervision continues): " + e);
                e.printStackTrace(err);
            }
            loop();
        }, "engine");
        loopThread.start();
    }

    private void startUp() {
        reserveDescriptors(config.groups().stream().mapToInt(g -> g.processes().size()).sum());
        for (GroupConfig g : config.groups()) {
            addGroup(g);
        }
        startupGroupsAdded = true;
        bus.emit(Event.supervisorState(true));
        nextTickMillis = bus.tick(System.currentTimeMillis());
        // at startup every group is transitioned in ascending priority in the same pass, nothing waits
        for (ProcessGroup g : sortedGroups()) {
            for (Subprocess p : g.sorted()) {
                p.transition();
            }
        }
        Pidfds.unavailableBecause().ifPresent(why -> log.info("pidfds not used (" + why
                + "): children are reaped on SIGCHLD and signalled by pid"));
        heapTrim.activity(nanoTime()); // the start-up's burst, given back after the quiet spell
        log.info("RPC interface 'supervisor' initialized");
    }

    /** Runs a function on the engine thread and completes with its result (or its exception). */
    public <T> CompletableFuture<T> submit(java.util.concurrent.Callable<T> fn) {
        CompletableFuture<T> f = new CompletableFuture<>();
        commands.add(() -> {
            try {
                f.complete(fn.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        epoll.wakeup();
        return f;
    }

    /** Like submit, for functions that themselves return a future (deferred RPC results). */
    public <T> CompletableFuture<T> submitAsync(java.util.concurrent.Callable<CompletableFuture<T>> fn) {
        return submit(fn).thenCompose(Function.identity());
    }

    public boolean onEngineThread() {
        return Thread.currentThread() == loopThread;
    }

    /** Completes (with true for restart) once shutdown or restart has stopped every process. */
    public CompletableFuture<Boolean> done() {
        return done;
    }

    /**
     * SIGCHLD arrived (any thread): the loop sweeps for exited children it has no pidfd event for (adopted
     * orphans). Coalesced: one wake-up however many arrive before the loop runs.
     */
    public void childSignal() {
        if (!childSignal.getAndSet(true)) {
            epoll.wakeup();
        }
    }

    /** Orderly shutdown (TERM/INT/QUIT, shutdown RPC). */
    public void shutdown() {
        commands.add(() -> beginStop(false));
        epoll.wakeup();
    }

    /** Stop everything, then let the owner reload and start again (HUP, restart RPC). */
    public void restart() {
        commands.add(() -> beginStop(true));
        epoll.wakeup();
    }

    private void beginStop(boolean restart) {
        if (state != SupervisorState.RUNNING) {
            return;
        }
        restartRequested = restart;
        state = restart ? SupervisorState.RESTARTING : SupervisorState.SHUTDOWN;
        stopGroups = new ArrayList<>(sortedGroups());
        bus.emit(Event.supervisorState(false));
        log.info(restart ? "restarting" : "shutting down: stopping all processes");
    }

    // ---- the loop --------------------------------------------------------------------------------

    private void loop() {
        int[] ready = new int[256];
        while (!finished) {
            try {
                iterate(ready);
            } catch (RuntimeException | Error e) {
                // an Error too (StackOverflowError, OutOfMemoryError): a dead engine thread would leave a spoke
                // that answers HTTP but never reaps, restarts or shuts down; one failed iteration is survivable
                log.critical("engine error (supervision continues): " + e);
                e.printStackTrace(err);
            }
        }
    }

    private void iterate(int[] ready) {
        Runnable cmd;
        boolean work = false;
        while ((cmd = commands.poll()) != null) {
            work = true;
            cmd.run();
        }
        if (childSignal.getAndSet(false)) {
            work = true;
            children.sweep();
        }
        long now = nanoTime();
        work |= timers.runDue(now, dirty::add);
        if (work) {
            heapTrim.activity(now);
        }
        if (!dirty.isEmpty()) {
            List<Subprocess> todo = new ArrayList<>(dirty);
            dirty.clear();
            for (Subprocess p : todo) {
                p.transition();
            }
        }
        if (state != SupervisorState.RUNNING && stopProgress()) {
            return;
        }
        if (!bus.isEmpty()) {
            if (System.currentTimeMillis() >= nextTickMillis) {
                nextTickMillis = bus.tick(System.currentTimeMillis());
            }
            bus.dispatch();
        }
        if (!commands.isEmpty() || childSignal.get() || !dirty.isEmpty()) {
            return;
        }
        int timeout = timers.millisToNext(nanoTime());
        if (!bus.isEmpty()) {
            // listeners want TICK events: wake at the next 5 s boundary
            int toTick = (int) Math.max(0, nextTickMillis - System.currentTimeMillis());
            timeout = timeout < 0 ? toTick : Math.min(timeout, toTick);
        }
        int toTrim = heapTrim.beforeWait(nanoTime());
        if (toTrim >= 0) {
            timeout = timeout < 0 ? toTrim : Math.min(timeout, toTrim);
        }
        int n = epoll.await(timeout, ready);
        if (n > 0) {
            heapTrim.activity(nanoTime());
        }
        for (int i = 0; i < n; i++) {
            int fd = ready[i];
            if (!watches.readOutput(fd, readBuffer)) {
                if (children.isPidfd(fd)) {
                    children.pidfdReady(fd);
                } else {
                    watches.readyOther(fd); // none: unwatched by an earlier event of this batch
                }
            }
        }
    }

    private void trimHeap() {
        int released = Native.LIBC.mallocTrim();
        log.debug("C heap trimmed (malloc_trim: " + (released == 1 ? "memory released" : "nothing to release") + ")");
    }

    /**
     * Shutdown phases 1 and 2 of supervisord: one group at a time, highest priority first; the processes that
     * depend on a group's processes (depends_on, in any group) are stopped with it, and before what they depend
     * on. Returns true when done.
     */
    private boolean stopProgress() {
        while (!stopGroups.isEmpty()) {
            ProcessGroup g = stopGroups.get(stopGroups.size() - 1);
            java.util.Set<Subprocess> scope = deps.withDependents(g.processes().values());
            deps.stopStep(scope);
            if (scope.stream().anyMatch(p -> !p.state().isStopped())) {
                return false;
            }
            stopGroups.remove(stopGroups.size() - 1);
        }
        for (ProcessGroup g : groups.values()) {
            if (!g.unstopped().isEmpty()) {
                return false;
            }
        }
        children.killLeftovers(5_000);
        probes.close();
        finished = true;
        for (ProcessGroup g : groups.values()) {
            g.processes().values().forEach(Subprocess::closeLogs);
        }
        epoll.close();
        done.complete(restartRequested);
        return true;
    }

    // ---- groups (engine thread) ------------------------------------------------------------------

    public Map<String, ProcessGroup> groups() {
        return groups;
    }

    public List<ProcessGroup> sortedGroups() {
        List<ProcessGroup> l = new ArrayList<>(groups.values());
        l.sort(Comparator.comparingInt((ProcessGroup g) -> g.config().priority()).thenComparing(ProcessGroup::name));
        return l;
    }

    /** Adds a group; false if one with that name exists. Its processes autostart as configured. */
    public boolean addGroup(GroupConfig g) {
        if (groups.containsKey(g.name())) {
            return false;
        }
        ProcessGroup pg = new ProcessGroup(g, this);
        groups.put(g.name(), pg);
        if (startupGroupsAdded) { // at start-up, reserved once for all of them
            reserveDescriptors(groups.values().stream().mapToInt(x -> x.processes().size()).sum());
        }
        deps.invalidate();
        if (g.kind() == GroupConfig.Kind.EVENTLISTENER) {
            // subscribed before its own PROCESS_GROUP_ADDED, as supervisord's pool subscribes in its constructor
            bus.add(new ListenerPool(g, config.daemon().identifier(), log, () -> pg.processes().values()));
        }
        log.info("added process group " + g.name());
        bus.emit(Event.processGroup(g.name(), true));
        dirty.addAll(pg.processes().values());
        return true;
    }

    /** Grows the fd table for this many processes before any of them spawns (see DescriptorTable). */
    private void reserveDescriptors(int processes) {
        descriptors.reserve(dev.radial.spoke.os.DescriptorTable.BASE
                + dev.radial.spoke.os.DescriptorTable.PER_PROCESS * processes);
    }

    /** Removes a group whose processes are all stopped; false otherwise. */
    public boolean removeGroup(String name) {
        ProcessGroup g = groups.get(name);
        if (g == null || !g.unstopped().isEmpty()) {
            return false;
        }
        g.processes().values().forEach(Subprocess::closeLogs);
        groups.remove(name);
        deps.invalidate();
        bus.remove(name);
        log.info("removed process group " + name);
        bus.emit(Event.processGroup(name, false));
        return true;
    }

    public void reopenLogs() {
        submit(() -> {
            log.reopen();
            groups.values().forEach(g -> g.processes().values().forEach(Subprocess::reopenLogs));
            log.info("reopened logs");
            return null;
        });
    }

    // ---- ProcessHost -------------------------------------------------------------------------

    @Override
    public MainLog log() {
        return log;
    }

    @Override
    public DaemonConfig daemon() {
        return config.daemon();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public long wallMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public void schedule(Subprocess p, long deadlineNanos) {
        timers.transition(p, deadlineNanos);
    }

    /** Runs an action on the engine thread at or after this monotonic time (probes' timers). */
    void at(long deadlineNanos, Runnable action) {
        timers.action(deadlineNanos, action);
    }

    /** Runs an action on the engine thread soon (from any thread). */
    void post(Runnable action) {
        commands.add(action);
        epoll.wakeup();
    }

    /** Watches fd for input; {@code ready} runs on the engine thread each time it is readable (or at EOF). */
    void watchFd(int fd, Runnable ready) throws IOException {
        watches.handler(fd, ready);
    }

    void unwatchFd(int fd) {
        watches.unwatchHandler(fd);
    }

    Children children() {
        return children;
    }

    ByteBuffer readBuffer() {
        return readBuffer;
    }

    /** The probes' verdicts (health of getProcessInfo, ctl status, /metrics, depends_on=x:healthy). */
    public dev.radial.spoke.health.HealthMonitor health() {
        return health;
    }

    /** A readiness verdict changed: the processes waiting for p to be healthy are re-evaluated. */
    void wakeDependents(Subprocess p) {
        for (Subprocess d : deps.dependents(p)) {
            if (d.startPending()) {
                dirty.add(d);
            }
        }
    }

    /** Marks a process for a transition pass at the end of this loop iteration. */
    public void touch(Subprocess p) {
        dirty.add(p);
    }

    @Override
    public void watch(OutputDispatcher d, Subprocess p) {
        watches.output(d, p);
    }

    @Override
    public void unwatch(OutputDispatcher d) {
        watches.unwatchOutput(d);
    }

    @Override
    public ProcessLauncher launcher() {
        return launcher;
    }

    @Override
    public void spawned(Subprocess p, ProcessLauncher.SpawnedChild child) {
        children.add(p, child);
    }

    @Override
    public void exited(int pid) {
        // Children forgot the pid in the step that reaped it
    }

    @Override
    public void watchStdin(StdinPipe pipe) {
        watches.stdin(pipe);
    }

    @Override
    public void unwatchStdin(StdinPipe pipe) {
        watches.unwatchStdin(pipe);
    }

    @Override
    public Map<String, String> baseEnvironment() {
        return baseEnv; // immutable: each spawn copies it once when adding its own variables
    }

    @Override
    public String serverUrl() {
        return config.serverUrl();
    }

    @Override
    public boolean autostarts(Subprocess p) {
        return autostart.autostarts(p, java.util.Collections.unmodifiableSet(groups.keySet()));
    }

    @Override
    public boolean acceptingStarts() {
        return state == SupervisorState.RUNNING;
    }

    @Override
    public PrintStream forward(boolean stderr) {
        return stderr ? err : out;
    }

    /** 0, or 1 when a fail_fast program shut the spoke down. */
    public int exitCode() {
        return exitCode;
    }

    @Override
    public String unmetDependency(Subprocess p) {
        return deps.unmet(p);
    }

    @Override
    public void processesChanged() {
        deps.invalidate();
    }

    @Override
    public void stateChanged(Subprocess p, ProcessState from, ProcessState to, boolean expected) {
        health.stateChanged(p, from, to); // probes run while RUNNING, from scratch each run
        for (Subprocess d : deps.dependents(p)) {
            if (d.startPending()) {
                dirty.add(d); // re-evaluated by its transition() at the end of this iteration: no polling
            }
        }
        if (!bus.isEmpty()) {
            // rendered only when a listener pool exists: state changes are the respawn hot path
            bus.emit(Event.processState(p.name(), p.group(), from, to, expected, p.backoff(), p.pid()));
        }
        if (p.config().failFast() && state == SupervisorState.RUNNING
                && (to == ProcessState.FATAL || (to == ProcessState.EXITED && !expected))) {
            // fail_fast: a container whose essential program died should be restarted by its orchestrator
            log.critical("fail_fast: " + p.name() + (to == ProcessState.FATAL ? " entered FATAL state"
                    : " exited unexpectedly") + "; shutting down with exit code 1");
            exitCode = 1;
            beginStop(false);
        }
        for (StateListener l : List.copyOf(listeners)) {
            l.changed(p, from, to, expected);
        }
    }

    @Override
    public void emit(Event e) {
        bus.emit(e);
    }

    @Override
    public ListenerPool listenerPool(String group) {
        return bus.pool(group);
    }
}
