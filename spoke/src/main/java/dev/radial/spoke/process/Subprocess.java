package dev.radial.spoke.process;

import dev.radial.common.config.AutoRestart;
import dev.radial.common.config.LogConfig;
import dev.radial.common.config.ProcessConfig;
import dev.radial.common.config.RestartDelay;
import dev.radial.common.config.Signals;
import dev.radial.common.config.Users;
import dev.radial.common.states.ProcessState;
import dev.radial.spoke.dispatch.Capture;
import dev.radial.spoke.dispatch.OutputDispatcher;
import dev.radial.spoke.events.Event;
import dev.radial.spoke.events.ListenerPool;
import dev.radial.spoke.logging.RotatingFile;
import dev.radial.spoke.os.ExitStatus;
import dev.radial.spoke.os.StdinPipe;
import dev.radial.spoke.process.ProcessLauncher.SignalResult;
import dev.radial.spoke.process.ProcessLauncher.SpawnedChild;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One supervised process and its state machine, transition for transition as supervisord's
 * process.Subprocess (spawn, transition, finish, kill, stop, give_up); the comments name each move.
 * What differs on purpose: transitions are driven by events and precise timers instead of a 1 s tick, so
 * an autorestart happens as soon as the exit is reaped; and the crash-loop brake ({@link RestartDelay},
 * the {@code restart_delay*} keys) spaces out autorestarts that follow quick exits, which supervisord's tick
 * did by accident. Engine thread only.
 */
public final class Subprocess {
    private static final long SECOND = 1_000_000_000L;

    private final ProcessHost host;
    private final String group;
    private ProcessConfig config;
    private ProcessState state = ProcessState.STOPPED;
    private int pid;
    /** The running child, null when there is none; what the launcher signals (never a bare pid). */
    private SpawnedChild child;
    private long laststartWall;
    private long laststartNanos;
    private long laststopWall;
    private int backoff;
    private long delayNanos;
    /** The crash-loop brake's wait before the current run (0 unless it was an autorestart after a quick exit). */
    private long restartWaitNanos;
    /** In EXITED: the brake's wait before the next autorestart, and when that autorestart is due. */
    private long nextWaitNanos;
    private long restartAtNanos;
    private boolean killing;
    private String spawnerr;
    private int exitstatus;
    private boolean everStarted;
    private boolean startRequested;
    /** A start (autostart, or requested) that waits for its depends_on; see startWhenReady. */
    private boolean startPending;
    /** While startPending: why it waits, in words; null otherwise. */
    private String waitingFor;
    /** restart_limit=: when the latest autorestarts happened (monotonic), at most restarts() of them. */
    private final java.util.ArrayDeque<Long> restartTimes = new java.util.ArrayDeque<>();
    /** schedule=: when the next run is due; null without a schedule. */
    private ScheduledRuns runs;
    /** Removed from the config (closeLogs): a timer still queued for it must not start it. */
    private boolean retired;
    /** The parent's end of the child's stdin, null when there is none. */
    private StdinPipe stdin;
    private final List<OutputDispatcher> dispatchers = new ArrayList<>(2);
    private final ProcessLogs logs;
    /** How many times a child was actually spawned (a pid obtained), for /metrics; survives reconfigure. */
    private long spawns;

    public Subprocess(ProcessHost host, String group, ProcessConfig config) {
        this.host = host;
        this.group = group;
        this.config = config;
        this.logs = new ProcessLogs(host);
        this.runs = schedule(config);
    }

    private static ScheduledRuns schedule(ProcessConfig c) {
        return c.schedule() == null ? null : new ScheduledRuns(c.schedule(), java.time.ZoneId.systemDefault());
    }

    public ProcessConfig config() {
        return config;
    }

    public String group() {
        return group;
    }

    public String name() {
        return config.name();
    }

    public ProcessState state() {
        return state;
    }

    public int pid() {
        return pid;
    }

    public String spawnerr() {
        return spawnerr;
    }

    public int exitstatus() {
        return exitstatus;
    }

    public long laststartWall() {
        return laststartWall;
    }

    public long laststopWall() {
        return laststopWall;
    }

    /** How many children this process has spawned (successful spawns, every start and restart included). */
    public long spawns() {
        return spawns;
    }

    public int backoff() {
        return backoff;
    }

    /** Why a pending start waits (depends_on), such as "waiting for db to be running: db is STARTING"; or null. */
    public String waitingFor() {
        return waitingFor;
    }

    /** Whether a start waits for dependencies (re-evaluated by {@link #transition()} when one changes state). */
    public boolean startPending() {
        return startPending;
    }

    /**
     * A start that honours {@code depends_on}: spawns now if every dependency meets its condition (or there is
     * none), otherwise stays STOPPED with {@link #waitingFor()} (also the spawnerr) saying why, until the host
     * wakes it. Autostart (a Radial spoke's own group included) and {@link #requestStart()} start through here; an
     * explicit startProcess spawns at once. Returns the pid, or 0 when it waits or the spawn failed.
     */
    private int startWhenReady() {
        assertState(ProcessState.EXITED, ProcessState.FATAL, ProcessState.BACKOFF, ProcessState.STOPPED);
        String why = host.unmetDependency(this);
        if (why == null) {
            return spawn();
        }
        if (!startPending || !why.equals(waitingFor)) {
            host.log().log(startPending ? dev.radial.spoke.logging.MainLog.Level.DEBG
                    : dev.radial.spoke.logging.MainLog.Level.INFO, "not starting " + name() + " yet: " + why);
        }
        startPending = true;
        waitingFor = why;
        spawnerr = why;
        return 0;
    }

    public Path stdoutLogPath() {
        return logs.path(config, false);
    }

    public Path stderrLogPath() {
        return logs.path(config, true);
    }

    public RotatingFile stdoutLog() {
        return logs.stdout();
    }

    public RotatingFile stderrLog() {
        return logs.stderr();
    }

    /** The child's stdin pipe, or null when no child runs (or the launcher gave it none). */
    public StdinPipe stdin() {
        return stdin;
    }

    /** Replaces the config of a stopped process (program-level update). */
    public void reconfigure(ProcessConfig newConfig) {
        if (!java.util.Objects.equals(newConfig.schedule(), config.schedule())) {
            runs = schedule(newConfig);
            dirty();
        }
        this.config = newConfig;
        logs.reconfigured(); // AUTO logs get new files, as supervisord's new process config does
    }

    // ---- the state machine -------------------------------------------------------------------

    private void changeState(ProcessState to, boolean expected) {
        ProcessState from = state;
        if (from == to) {
            return;
        }
        state = to;
        if (to == ProcessState.BACKOFF) {
            if (backoff < Integer.MAX_VALUE) { // startretries_unlimited: retries may go on for years
                backoff += 1;
            }
            delayNanos = host.nanoTime() + BackoffDelay.of(backoff, config).toNanos();
            host.schedule(this, delayNanos);
        }
        host.stateChanged(this, from, to, expected);
    }

    private void assertState(ProcessState... allowed) {
        for (ProcessState s : allowed) {
            if (state == s) {
                return;
            }
        }
        throw new IllegalStateException("process " + name() + " is " + state + ", expected one of "
                + List.of(allowed));
    }

    /** An operator's stop of a process whose start waits for dependencies: it no longer waits. */
    public boolean cancelPendingStart() {
        if (!startPending) {
            return false;
        }
        startPending = false;
        waitingFor = null;
        spawnerr = null;
        host.log().info("not waiting to start " + name() + " any more: stopped by request");
        return true;
    }

    /** Checks the command without spawning (startProcess does this first). */
    public void checkCommand() throws CommandLine.BadCommand {
        resolve();
    }

    private CommandLine.Resolved resolve() throws CommandLine.BadCommand {
        String path = config.environment().get("PATH");
        if (path == null) {
            path = host.baseEnvironment().get("PATH");
        }
        return CommandLine.resolve(config.command(), path);
    }

    public static boolean isNotFound(Exception e) {
        return e instanceof CommandLine.BadCommand b && b.notFound;
    }

    /** Spawns the child; returns the pid, or 0 when the spawn failed (state is then BACKOFF). */
    public int spawn() {
        if (pid != 0) {
            host.log().warn("process '" + name() + "' already running");
            return 0;
        }
        killing = false;
        spawnerr = null;
        startPending = false;
        waitingFor = null;
        exitstatus = 0;
        restartWaitNanos = 0; // transition() sets it again for a braked autorestart
        laststartWall = host.wallMillis();
        laststartNanos = host.nanoTime();
        everStarted = true;
        assertState(ProcessState.EXITED, ProcessState.FATAL, ProcessState.BACKOFF, ProcessState.STOPPED);
        changeState(ProcessState.STARTING, true);
        CommandLine.Resolved cmd;
        try {
            cmd = resolve();
        } catch (CommandLine.BadCommand e) {
            return spawnFailed(e.getMessage());
        } catch (java.nio.file.InvalidPathException e) {
            return spawnFailed("can't find command '" + config.command() + "': " + e.getMessage());
        }
        List<String> argv = cmd.argv();
        String path = cmd.path();
        int uid = host.launcher().uid();
        if (config.uid() != null && config.uid() != uid) {
            if (uid != 0) {
                return spawnFailed("Can't drop privilege as nonroot user");
            }
            // posix_spawn cannot switch user: exec through util-linux setpriv, which then execs the program
            // in the same pid (README, "Differences from supervisord")
            Path setpriv = Path.of("/usr/bin/setpriv");
            if (!Files.isExecutable(setpriv)) {
                return spawnFailed("user=" + config.user() + " needs /usr/bin/setpriv (util-linux) to switch user");
            }
            int gid = Users.byUid(config.uid()).map(Users.User::gid).orElse(config.uid());
            List<String> wrapped = new ArrayList<>(List.of(setpriv.toString(), "--reuid=" + config.uid(),
                    "--regid=" + gid, "--init-groups", "--", path));
            wrapped.addAll(argv.subList(1, argv.size()));
            argv = wrapped;
            path = setpriv.toString();
        }
        try {
            logs.open(config);
        } catch (IOException | java.nio.file.InvalidPathException e) {
            // InvalidPathException: a name the JVM cannot encode (the C locale and a non-ASCII name): a spawn
            // error like any other, never a process stuck in STARTING without a pid
            return spawnFailed("couldn't open log file: " + e.getMessage());
        }
        SpawnedChild started;
        try {
            started = host.launcher().spawn(new ProcessLauncher.SpawnRequest(path, argv, environment(),
                    config.directory(), config.umask(), config.redirectStderr()));
        } catch (ProcessLauncher.SpawnException e) {
            return spawnFailed(e.getMessage());
        }
        child = started;
        pid = started.pid();
        spawns++;
        stdin = started.stdin() >= 0 ? new StdinPipe(started.stdin()) : null;
        boolean strip = host.daemon().stripAnsi();
        ListenerPool pool = host.listenerPool(group);
        if (pool != null) {
            pool.spawned(this);
        }
        if (started.stdout() >= 0) {
            OutputDispatcher out = new OutputDispatcher(name(), "stdout", started.stdout(), logs.stdout(),
                    config.forwardOutput() ? host.forward(false) : null, strip, hooks("stdout", config.stdout(), pool),
                    host.log(), config.logFormat());
            dispatchers.add(out);
            host.watch(out, this);
        }
        if (started.stderr() >= 0) {
            OutputDispatcher err = new OutputDispatcher(name(), "stderr", started.stderr(), logs.stderr(),
                    config.forwardOutput() ? host.forward(true) : null, strip, hooks("stderr", config.stderr(), null),
                    host.log(), config.logFormat());
            dispatchers.add(err);
            host.watch(err, this);
        }
        host.spawned(this, started);
        host.log().info("spawned: '" + name() + "' with pid " + pid);
        host.schedule(this, laststartNanos + config.startsecs() * SECOND);
        return pid;
    }

    /**
     * Event hooks of one channel: an event listener's stdout is its protocol channel (no capture mode there,
     * as in supervisord); otherwise capture mode and log events as configured.
     */
    private OutputDispatcher.Hooks hooks(String channel, LogConfig lc, ListenerPool pool) {
        java.util.function.Consumer<byte[]> protocol = pool == null ? null : data -> pool.output(this, data);
        Capture capture = pool != null || lc.captureMaxbytes() <= 0 ? null : new Capture(lc.captureMaxbytes(),
                data -> host.emit(Event.processCommunication(name(), group, pid, channel, text(data))));
        java.util.function.Consumer<byte[]> logEvents = !lc.eventsEnabled() ? null
                : data -> host.emit(Event.processLog(name(), group, pid, channel, text(data)));
        if (protocol == null && capture == null && logEvents == null) {
            return OutputDispatcher.Hooks.NONE;
        }
        return new OutputDispatcher.Hooks(protocol, capture, logEvents);
    }

    private static String text(byte[] data) {
        return new String(data, java.nio.charset.StandardCharsets.UTF_8);
    }

    private int spawnFailed(String msg) {
        spawnerr = msg;
        host.log().info("spawnerr: " + msg);
        assertState(ProcessState.STARTING);
        changeState(ProcessState.BACKOFF, true);
        return 0;
    }

    private Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>(host.baseEnvironment());
        env.put("SUPERVISOR_ENABLED", "1");
        String url = config.serverurl() != null ? config.serverurl() : host.serverUrl();
        if (url != null) {
            env.put("SUPERVISOR_SERVER_URL", url);
        }
        env.put("SUPERVISOR_PROCESS_NAME", config.name());
        env.put("SUPERVISOR_GROUP_NAME", group);
        env.putAll(config.environment());
        return env;
    }

    /**
     * Asks the state machine for a start at its next transition, for a start decided on the engine thread rather
     * than by a client (a program update bringing back what was meant to run). Any stopped state, BACKOFF
     * included, moves to STARTING; a process that is running or stopping by then ignores the request.
     */
    public void requestStart() {
        startRequested = true;
        host.schedule(this, host.nanoTime());
    }

    private void dirty() {
        host.schedule(this, host.nanoTime());
    }

    /**
     * schedule=: a due run starts the program (through depends_on, like any start) if it is stopped, exited or
     * fatal; if it still runs, the run is missed and logged. Runs missed while the clock jumped are logged too.
     */
    private void scheduledRun() {
        ScheduledRuns.Tick t = runs.tick(host.wallMillis(), host.nanoTime());
        if (t.armNanos() != 0) {
            host.schedule(this, t.armNanos());
        }
        if (!t.due()) {
            return;
        }
        String at = java.time.LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(t.dueWallMillis()),
                java.time.ZoneId.systemDefault()).toString();
        if (t.missed() > 0) {
            host.log().warn("missed " + t.missed() + " scheduled run(s) of " + name() + " after " + at
                    + ": the wall clock jumped ahead or the spoke was suspended");
        }
        if (!host.acceptingStarts()) {
            return;
        }
        if (state.isStopped() && state != ProcessState.UNKNOWN) {
            host.log().info("scheduled run of " + name() + " due at " + at + " (schedule=" + config.schedule() + ")");
            startWhenReady();
        } else {
            host.log().warn("missed scheduled run of " + name() + " due at " + at + ": it is still " + state);
        }
    }

    /** Drives time-based moves; called when a timer fires or something changed. */
    public void transition() {
        long now = host.nanoTime();
        if (runs != null && !retired) {
            scheduledRun();
        }
        if (host.acceptingStarts()) {
            boolean requested = startRequested;
            startRequested = false;
            if (requested && (state.isStopped() && state != ProcessState.UNKNOWN || state == ProcessState.BACKOFF)) {
                startWhenReady(); // STOPPED/EXITED/FATAL/BACKOFF -> STARTING: requested (or waiting for depends_on)
            } else if (state == ProcessState.EXITED) {
                if (autorestarts() && now >= restartAtNanos) {
                    String limit = restartLimitReached(now);
                    if (limit != null) {
                        spawnerr = limit;
                        host.log().warn("gave up: " + name() + " entered FATAL state, " + limit);
                        changeState(ProcessState.FATAL, false); // EXITED -> FATAL: ours, not in supervisord
                        return;
                    }
                    long waited = nextWaitNanos;
                    spawn(); // EXITED -> STARTING
                    restartWaitNanos = waited;
                }
            } else if (startPending && state.isStopped() && state != ProcessState.UNKNOWN) {
                startWhenReady(); // still waiting for depends_on, or now STARTING
            } else if (state == ProcessState.STOPPED && !everStarted) {
                if (host.autostarts(this)) {
                    startWhenReady(); // STOPPED -> STARTING, or waiting for depends_on
                }
            } else if (state == ProcessState.BACKOFF) {
                if ((config.startretriesUnlimited() || backoff <= config.startretries()) && now >= delayNanos) {
                    // unbounded retries are what restart_limit bounds, like autorestarts
                    String limit = config.startretriesUnlimited() ? restartLimitReached(now) : null;
                    if (limit != null) {
                        spawnerr = limit;
                        host.log().warn("gave up: " + name() + " entered FATAL state, " + limit);
                        giveUp(); // BACKOFF -> FATAL
                        return;
                    }
                    spawn(); // BACKOFF -> STARTING
                }
            }
        }
        if (state == ProcessState.STARTING && pid != 0) {
            if (now - laststartNanos >= config.startsecs() * SECOND) {
                // STARTING -> RUNNING: it stayed up for startsecs
                delayNanos = 0;
                backoff = 0;
                changeState(ProcessState.RUNNING, true);
                host.log().info("success: " + name() + " entered RUNNING state, process has stayed up for > than "
                        + config.startsecs() + " seconds (startsecs)");
            }
        }
        if (state == ProcessState.BACKOFF) {
            if (!config.startretriesUnlimited() && backoff > config.startretries()) {
                giveUp(); // BACKOFF -> FATAL
                host.log().info("gave up: " + name() + " entered FATAL state, too many start retries too quickly");
            }
        } else if (state == ProcessState.STOPPING) {
            if (now >= delayNanos) {
                // stopwaitsecs passed: SIGKILL. If even that fails the process stays STOPPING, as supervisord's.
                host.log().warn("killing '" + name() + "' (" + pid + ") with SIGKILL");
                kill(9);
            }
        }
    }

    /**
     * restart_limit=N/S: why not (the caller makes the process FATAL) when this automatic respawn would be the
     * N+1-th within S; otherwise records it and returns null. Counted: autorestarts, and BACKOFF retries when
     * startretries_unlimited lifts supervisord's bound on them; a manual start or a bounded retry is not.
     */
    private String restartLimitReached(long now) {
        dev.radial.common.config.RestartLimit limit = config.restartLimit();
        if (limit == null) {
            return null;
        }
        long interval = limit.interval().toNanos();
        while (!restartTimes.isEmpty() && now - restartTimes.peekFirst() >= interval) {
            restartTimes.pollFirst();
        }
        if (restartTimes.size() < limit.restarts()) {
            restartTimes.addLast(now);
            return null;
        }
        restartTimes.clear();
        return "restart limit reached: " + limit.restarts() + " restarts in " + RestartDelay.seconds(
                limit.interval()) + " s (restart_limit)";
    }

    /** Whether an EXITED process restarts by itself: autorestart=true, or unexpected and the code was not expected. */
    private boolean autorestarts() {
        return config.autorestart() == AutoRestart.TRUE || config.autorestart() == AutoRestart.UNEXPECTED
                && !config.exitcodes().contains(exitstatus);
    }

    /** RUNNING -> EXITED: when the autorestart, if any, is due (the crash-loop brake). */
    private void planRestart(long now) {
        Duration wait = config.restartDelay().next(Duration.ofNanos(restartWaitNanos),
                Duration.ofNanos(now - laststartNanos));
        nextWaitNanos = wait.toNanos();
        restartAtNanos = now + nextWaitNanos;
        if (nextWaitNanos > 0 && autorestarts()) {
            host.log().info("waiting " + RestartDelay.seconds(Duration.ofMillis(nextWaitNanos / 1_000_000))
                    + " s before restarting " + name() + ": it exited less than " + RestartDelay.seconds(
                            config.restartDelay().reset()) + " s after it started (restart_delay)");
            host.schedule(this, restartAtNanos);
        }
    }

    public void giveUp() {
        delayNanos = 0;
        backoff = 0;
        assertState(ProcessState.BACKOFF);
        changeState(ProcessState.FATAL, true);
    }

    /** supervisord's stop(): an administrative stop with stopsignal. Returns an error message or null. */
    public String stop() {
        return kill(config.stopsignal());
    }

    /** supervisord's kill(). Returns an error message or null. */
    public String kill(int sig) {
        startRequested = false;
        if (state == ProcessState.BACKOFF) {
            // BACKOFF -> STOPPED: a stop must not wait for the remaining retries
            host.log().debug("Attempted to kill " + name() + ", which is in BACKOFF state.");
            changeState(ProcessState.STOPPED, true);
            return null;
        }
        if (pid == 0) {
            String msg = "attempted to kill " + name() + " with sig SIG" + Signals.name(sig) + " but it wasn't running";
            host.log().debug(msg);
            return msg;
        }
        boolean asGroup = state == ProcessState.STOPPING ? config.killasgroup() : config.stopasgroup();
        host.log().debug("killing " + name() + " (pid " + pid + ") " + (asGroup ? "process group " : "")
                + "with signal SIG" + Signals.name(sig));
        killing = true;
        delayNanos = host.nanoTime() + config.stopwaitsecs() * SECOND;
        assertState(ProcessState.RUNNING, ProcessState.STARTING, ProcessState.STOPPING);
        changeState(ProcessState.STOPPING, true); // RUNNING/STARTING/STOPPING -> STOPPING
        host.schedule(this, delayNanos);
        SignalResult r = host.launcher().signal(child, sig, asGroup);
        if (r instanceof SignalResult.Failed f) {
            String msg = "unknown problem killing " + name() + " (" + pid + "): " + f.reason();
            host.log().critical(msg);
            changeState(ProcessState.UNKNOWN, true);
            killing = false;
            delayNanos = 0;
            return msg;
        }
        // Gone: it exited on its own just now; its exit is reaped on this thread next
        return null;
    }

    /** signalProcess: the pid only, never the group. Returns an error message or null. */
    public String signal(int sig) {
        if (pid == 0) {
            return "process " + name() + " is not running";
        }
        host.log().debug("sending " + name() + " (pid " + pid + ") sig SIG" + Signals.name(sig));
        if (host.launcher().signal(child, sig, false) instanceof SignalResult.Failed f) {
            return "unknown problem sending sig " + name() + " (" + pid + "): " + f.reason();
        }
        return null;
    }

    /** The host reaped this process's child (exactly once per spawn, on the engine thread). */
    public void finish(ExitStatus status, ByteBuffer buffer) {
        for (OutputDispatcher d : dispatchers) {
            d.readAvailable(buffer); // drain what the child wrote before it died
        }
        long now = host.nanoTime();
        laststopWall = host.wallMillis();
        boolean tooQuickly = now - laststartNanos < config.startsecs() * SECOND;
        int es = status.code();
        boolean expected = config.exitcodes().contains(es);
        String msg = status.describe();
        if (killing) {
            // STOPPING -> STOPPED: the result of a stop request
            killing = false;
            delayNanos = 0;
            exitstatus = es;
            assertState(ProcessState.STOPPING);
            changeState(ProcessState.STOPPED, true);
            host.log().log(expected ? dev.radial.spoke.logging.MainLog.Level.INFO
                    : dev.radial.spoke.logging.MainLog.Level.WARN, "stopped: " + name() + " (" + msg + ")");
        } else if (tooQuickly && state == ProcessState.STARTING) {
            // STARTING -> BACKOFF: it did not stay up for startsecs, whatever the exit code
            exitstatus = 0;
            spawnerr = "Exited too quickly (process log may have details)";
            changeState(ProcessState.BACKOFF, true);
            host.log().warn("exited: " + name() + " (" + msg + "; not expected)");
        } else {
            // RUNNING -> EXITED
            delayNanos = 0;
            backoff = 0;
            exitstatus = es;
            if (state == ProcessState.STARTING) {
                changeState(ProcessState.RUNNING, true);
            }
            if (state == ProcessState.STOPPING || state == ProcessState.UNKNOWN) {
                // a signalled/unknown process that went away by itself
                changeState(ProcessState.STOPPED, true);
            } else {
                assertState(ProcessState.RUNNING);
                if (expected) {
                    changeState(ProcessState.EXITED, true);
                    host.log().info("exited: " + name() + " (" + msg + "; expected)");
                } else {
                    spawnerr = "Bad exit code " + es;
                    changeState(ProcessState.EXITED, false);
                    host.log().warn("exited: " + name() + " (" + msg + "; not expected)");
                }
                planRestart(now);
            }
        }
        host.exited(pid);
        pid = 0;
        closePipes();
        host.launcher().release(child);
        child = null;
        ListenerPool pool = host.listenerPool(group);
        if (pool != null) {
            pool.ended(this);
        }
    }

    private void closePipes() {
        for (OutputDispatcher d : dispatchers) {
            host.unwatch(d);
            d.close();
        }
        dispatchers.clear();
        if (stdin != null) {
            host.unwatchStdin(stdin);
            stdin.close();
            stdin = null;
        }
    }

    /** A pipe reached EOF before the exit was reaped. */
    public void pipeClosed(OutputDispatcher d) {
        host.unwatch(d);
        d.close();
        dispatchers.remove(d);
    }

    /** Closes log files (removal from the config). */
    public void closeLogs() {
        retired = true;
        logs.close();
    }

    public void reopenLogs() {
        try {
            logs.reopen();
        } catch (IOException e) {
            host.log().warn("could not reopen logs of " + name() + ": " + e.getMessage());
        }
    }

    /**
     * Sends data to the child's stdin without ever blocking: written as far as the pipe takes it, the rest queued
     * (bounded, {@link StdinPipe#LIMIT}) and written when the pipe is writable. {@link StdinPipe.Offer#FULL} when
     * the child does not read and the buffer is full; {@link StdinPipe.Offer#CLOSED} when it closed its stdin or
     * no child runs.
     */
    public StdinPipe.Offer writeStdin(byte[] data) {
        if (stdin == null) {
            return StdinPipe.Offer.CLOSED;
        }
        StdinPipe.Offer r = stdin.offer(data);
        if (r == StdinPipe.Offer.QUEUED) {
            host.watchStdin(stdin);
        }
        return r;
    }
}
