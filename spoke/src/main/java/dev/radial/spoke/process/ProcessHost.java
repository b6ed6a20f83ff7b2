package dev.radial.spoke.process;

import dev.radial.common.config.DaemonConfig;
import dev.radial.common.states.ProcessState;
import dev.radial.spoke.dispatch.OutputDispatcher;
import dev.radial.spoke.events.Event;
import dev.radial.spoke.events.ListenerPool;
import dev.radial.spoke.logging.MainLog;
import dev.radial.spoke.os.StdinPipe;
import java.io.PrintStream;
import java.util.Map;

/**
 * What a process needs from the engine that owns it: clocks, timers, output watching, the OS (through
 * {@link #launcher()}), events. All calls happen on the engine thread.
 */
public interface ProcessHost {
    MainLog log();

    DaemonConfig daemon();

    /** Monotonic clock in nanoseconds (injectable for tests). */
    long nanoTime();

    /** Wall clock in milliseconds. */
    long wallMillis();

    /** Ask for {@link Subprocess#transition()} at or after this monotonic time. */
    void schedule(Subprocess p, long deadlineNanos);

    void watch(OutputDispatcher d, Subprocess p);

    void unwatch(OutputDispatcher d);

    /** Everything native a process does goes through this (a fake in state-machine tests). */
    ProcessLauncher launcher();

    /** A child was started: the host now watches it for its exit (and reports it to {@link Subprocess#finish}). */
    void spawned(Subprocess p, ProcessLauncher.SpawnedChild child);

    /** Called by {@link Subprocess#finish} once the process has taken in its exit. */
    void exited(int pid);

    /**
     * Bytes wait in a child's stdin pipe: tell {@link StdinPipe#flush()} when it is writable, until it returns
     * false. A host without an event loop (a state-machine test's) may leave them waiting: the default.
     */
    default void watchStdin(StdinPipe pipe) {
    }

    /** Stop watching a stdin pipe (called before it is closed). */
    default void unwatchStdin(StdinPipe pipe) {
    }

    /** The environment every child starts from (the daemon's own). */
    Map<String, String> baseEnvironment();

    /** SUPERVISOR_SERVER_URL for children, or null. */
    String serverUrl();

    /**
     * Whether this never-started process starts on its own: supervisord's rule, its autostart=, unless the host
     * narrows it (the Engine's AutostartPolicy: Radial mode starts the spoke's own group only).
     */
    default boolean autostarts(Subprocess p) {
        return p.config().autostart();
    }

    /** False while the daemon is shutting down or restarting: no (re)starts then. */
    boolean acceptingStarts();

    /** Where forwarded output goes: the spoke's stdout or stderr. */
    PrintStream forward(boolean stderr);

    void stateChanged(Subprocess p, ProcessState from, ProcessState to, boolean expected);

    /** Publishes an event to the listener pools subscribed to it. */
    void emit(Event e);

    /**
     * Null when every {@code depends_on} condition of p holds; otherwise why not, in words (see
     * Subprocess#startWhenReady). The default, for hosts without dependencies: always null.
     */
    default String unmetDependency(Subprocess p) {
        return null;
    }

    /** A group's set of processes changed (a program-level update replaced some). */
    default void processesChanged() {
    }

    /** The listener pool of an [eventlistener:x] group, or null for an ordinary group. */
    ListenerPool listenerPool(String group);
}
