package dev.radial.spoke.process;

import dev.radial.common.config.AutoRestart;
import dev.radial.common.config.ProcessConfig;
import dev.radial.common.config.RestartDelay;
import dev.radial.common.config.Signals;
import dev.radial.common.states.ProcessState;
import dev.radial.spoke.dispatch.OutputDispatcher;
import dev.radial.spoke.events.ListenerPool;
import dev.radial.spoke.logging.RotatingFile;
import dev.radial.spoke.os.ExitStatus;
import dev.radial.spoke.os.StdinPipe;
import dev.radial.spoke.process.ProcessLauncher.SignalResult;
import dev.radial.spoke.process.ProcessLauncher.SpawnedChild;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One supervised process and its state machine, transition for transition as supervisord's
 * process.Subprocess (spawn, transition, finish, kill, stop, give_up); the comments name each move.
 * What differs on purpose: transitions are driven by events and precise timers instead of a 1 s tick, so
 * an autorestart happens as soon as the exit is reaped; and the crash-loop brake ({@link RestartDelay},
 * the {@code restart_delay*} keys) spaces out autorestarts that follow quick exits, which supervisord's tick
 * did by accident. Every state change of a process happens here; the concerns around it are their own classes:
 * {@link SpawnPlan} (what a spawn executes), {@link ChildOutput} (pipes, dispatchers, log files),
 * {@link DependencyWait} (depends_on), {@link ScheduledStarts} (schedule=), {@link RestartLimiter}
 * (restart_limit=) and {@link BackoffDelay}. Engine thread only.
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
    private final DependencyWait dependencies;
    /** restart_limit=: the latest automatic respawns. */
    private final RestartLimiter restartLimiter = new RestartLimiter();
    /** schedule=: when the next run is due; null without a schedule. */
    private ScheduledStarts runs;
    /** A liveness probe failed: the stop under way is a restart (start again once STOPPED). */
    private boolean restartAfterStop;
    /** Removed from the config (closeLogs): a timer still queued for it must not start it. */
    private boolean retired;
    /** The child's pipes and the log files. */
    private final ChildOutput output;
    /** How many times a child was actually spawned (a pid obtained), for /metrics; survives reconfigure. */
    private long spawns;

    public Subprocess(ProcessHost host, String group, ProcessConfig config) {
        this.host = host;
        this.group = group;
        this.config = config;
        this.output = new ChildOutput(host, this);
        this.dependencies = new DependencyWait(host);
        this.runs = ScheduledStarts.of(host, this, config.schedule());
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
        return dependencies.reason();
    }

    /** Whether a start waits for dependencies (re-evaluated by {@link #transition()} when one changes state). */
    public boolean startPending() {
        return dependencies.pending();
    }

    /**
     * A start that honours {@code depends_on}: spawns now if every dependency meets its condition (or there is
     * none), otherwise stays STOPPED with {@link #waitingFor()} (also the spawnerr) saying why, until the host
     * wakes it. Autostart (a Radial spoke's own group included) and {@link #requestStart()} start through here; an
     * explicit startProcess spawns at once. Returns the pid, or 0 when it waits or the spawn failed.
     */
    private int startWhenReady() {
        assertState(ProcessState.EXITED, ProcessState.FATAL, ProcessState.BACKOFF, ProcessState.STOPPED);
        String why = dependencies.blocks(this);
        if (why == null) {
            return spawn();
        }
        spawnerr = why;
        return 0;
    }

    public Path stdoutLogPath() {
        return output.logPath(config, false);
    }

    public Path stderrLogPath() {
        return output.logPath(config, true);
    }

    public RotatingFile stdoutLog() {
        return output.stdoutLog();
    }

    public RotatingFile stderrLog() {
        return output.stderrLog();
    }

    /** The child's stdin pipe, or null when no child runs (or the launcher gave it none). */
    public StdinPipe stdin() {
        return output.stdin();
    }

    /** Chooses and creates the AUTO log files of a process just added (see {@link ProcessLogs#createAuto}). */
    public void createAutoLogs() {
        output.logs().createAuto(config);
    }

    /** Replaces the config of a stopped process (program-level update). */
    public void reconfigure(ProcessConfig newConfig) {
        if (!java.util.Objects.equals(newConfig.schedule(), config.schedule())) {
            runs = ScheduledStarts.of(host, this, newConfig.schedule());
            dirty();
        }
        this.config = newConfig;
        output.logs().reconfigured(); // AUTO logs get new files, as supervisord's new process config does
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
        boolean cancelled = false;
        if (hasRequestedStart()) {
            // the start after a liveness restart's stop (its STOPPING, or STOPPED before the next transition), or a
            // start requested and not made yet: an operator's stop wins over it, as stop() makes it win while RUNNING
            restartAfterStop = false;
            startRequested = false;
            host.log().info("not starting " + name() + " again: stopped by request");
            cancelled = true;
        }
        if (dependencies.pending()) {
            dependencies.clear();
            spawnerr = null;
            host.log().info("not waiting to start " + name() + " any more: stopped by request");
            cancelled = true;
        }
        return cancelled;
    }

    /** Whether a start is due without a further request ({@link #cancelPendingStart} would cancel one). */
    public boolean hasPendingStart() {
        return hasRequestedStart() || dependencies.pending();
    }

    /** A liveness restart's start after its stop, or a requested start not made yet. */
    private boolean hasRequestedStart() {
        return restartAfterStop || startRequested && state.isStopped();
    }

    /** Checks the command without spawning (startProcess does this first). */
    public void checkCommand() throws CommandLine.BadCommand {
        SpawnPlan.resolve(host, config);
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
        dependencies.clear();
        exitstatus = 0;
        restartWaitNanos = 0; // transition() sets it again for a braked autorestart
        laststartWall = host.wallMillis();
        laststartNanos = host.nanoTime();
        everStarted = true;
        assertState(ProcessState.EXITED, ProcessState.FATAL, ProcessState.BACKOFF, ProcessState.STOPPED);
        changeState(ProcessState.STARTING, true);
        ProcessLauncher.SpawnRequest request;
        switch (SpawnPlan.of(host, config, group)) {
            case SpawnPlan.Outcome.Refused r -> {
                return spawnFailed(r.spawnerr());
            }
            case SpawnPlan.Outcome.Launch l -> request = l.request();
        }
        try {
            output.logs().open(config);
        } catch (IOException | java.nio.file.InvalidPathException e) {
            // InvalidPathException: a name the JVM cannot encode (the C locale and a non-ASCII name): a spawn
            // error like any other, never a process stuck in STARTING without a pid
            return spawnFailed("couldn't open log file: " + e.getMessage());
        }
        SpawnedChild started;
        try {
            started = host.launcher().spawn(request);
        } catch (ProcessLauncher.SpawnException e) {
            return spawnFailed(e.getMessage());
        }
        child = started;
        pid = started.pid();
        spawns++;
        ListenerPool pool = host.listenerPool(group);
        if (pool != null) {
            pool.spawned(this);
        }
        output.attach(config, group, started, pool);
        host.spawned(this, started);
        host.log().info("spawned: '" + name() + "' with pid " + pid);
        host.schedule(this, laststartNanos + config.startsecs() * SECOND);
        return pid;
    }

    private int spawnFailed(String msg) {
        spawnerr = msg;
        host.log().info("spawnerr: " + msg);
        assertState(ProcessState.STARTING);
        changeState(ProcessState.BACKOFF, true);
        return 0;
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

    /** Drives time-based moves; called when a timer fires or something changed. */
    public void transition() {
        long now = host.nanoTime();
        if (runs != null && !retired && runs.startDue()) {
            startWhenReady(); // a due scheduled run: STOPPED/EXITED/FATAL -> STARTING, or waiting for depends_on
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
            } else if (dependencies.pending() && state.isStopped() && state != ProcessState.UNKNOWN) {
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
        return restartLimiter.reached(config.restartLimit(), now);
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
        restartAfterStop = false; // an operator's (or the shutdown's) stop wins over a liveness restart
        return kill(config.stopsignal());
    }

    /**
     * A failed liveness probe (spoke.health): the same path as a stop then a start. RUNNING -> STOPPING with
     * stopsignal, and once STOPPED a start (through depends_on, like any start). Ignored unless RUNNING.
     */
    public void restartForLiveness(String why) {
        if (state != ProcessState.RUNNING) {
            return;
        }
        host.log().warn(why);
        kill(config.stopsignal());
        restartAfterStop = state == ProcessState.STOPPING;
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
        output.drain(buffer); // what the child wrote before it died
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
            if (restartAfterStop) {
                restartAfterStop = false;
                requestStart(); // STOPPED -> STARTING at the next transition (a liveness restart)
            }
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
        output.close();
        host.launcher().release(child);
        child = null;
        ListenerPool pool = host.listenerPool(group);
        if (pool != null) {
            pool.ended(this);
        }
    }

    /** A pipe reached EOF before the exit was reaped. */
    public void pipeClosed(OutputDispatcher d) {
        output.pipeClosed(d);
    }

    /** Closes log files (removal from the config). */
    public void closeLogs() {
        retired = true;
        output.logs().close();
    }

    public void reopenLogs() {
        try {
            output.reopenLogs();
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
        return output.writeStdin(data);
    }
}
