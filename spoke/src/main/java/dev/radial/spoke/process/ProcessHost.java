package dev.radial.spoke.process;

import dev.radial.common.config.DaemonConfig;
import dev.radial.common.states.ProcessState;
import dev.radial.spoke.dispatch.OutputDispatcher;
import dev.radial.spoke.events.Event;
import dev.radial.spoke.events.ListenerPool;
import dev.radial.spoke.logging.MainLog;
import java.io.PrintStream;
import java.util.Map;

/** What a process needs from the engine that owns it. All calls happen on the engine thread. */
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

    void spawned(Subprocess p, int pid);

    void exited(int pid);

    /** The environment every child starts from (the daemon's own). */
    Map<String, String> baseEnvironment();

    /** SUPERVISOR_SERVER_URL for children, or null. */
    String serverUrl();

    /** Whether this never-started process starts on its own (its autostart=, narrowed in Radial mode). */
    boolean autostarts(Subprocess p);

    /** False while the daemon is shutting down or restarting: no (re)starts then. */
    boolean acceptingStarts();

    /** Where forwarded output goes: the spoke's stdout or stderr. */
    PrintStream forward(boolean stderr);

    void stateChanged(Subprocess p, ProcessState from, ProcessState to, boolean expected);

    /** Publishes an event to the listener pools subscribed to it. */
    void emit(Event e);

    /** The listener pool of an [eventlistener:x] group, or null for an ordinary group. */
    ListenerPool listenerPool(String group);
}
