package dev.radial.spoke.process;

import dev.radial.common.config.LogConfig;
import dev.radial.common.config.ProcessConfig;
import dev.radial.spoke.dispatch.Capture;
import dev.radial.spoke.dispatch.OutputDispatcher;
import dev.radial.spoke.events.Event;
import dev.radial.spoke.events.ListenerPool;
import dev.radial.spoke.logging.RotatingFile;
import dev.radial.spoke.os.StdinPipe;
import dev.radial.spoke.process.ProcessLauncher.SpawnedChild;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The pipes of one {@link Subprocess}'s child and where their bytes go: the stdout/stderr dispatchers (log
 * files, forwarding, capture mode, log events, an event listener's protocol channel), the stdin pipe, and the
 * log files behind them ({@link ProcessLogs}). Wired when a child is spawned, drained and closed when it is
 * reaped. No state transition happens here: the state machine stays in Subprocess. Engine thread only.
 */
final class ChildOutput {
    private final ProcessHost host;
    private final Subprocess owner;
    private final ProcessLogs logs;
    private final List<OutputDispatcher> dispatchers = new ArrayList<>(2);
    /** The parent's end of the child's stdin, null when there is none. */
    private StdinPipe stdin;

    ChildOutput(ProcessHost host, Subprocess owner) {
        this.host = host;
        this.owner = owner;
        this.logs = new ProcessLogs(host);
    }

    ProcessLogs logs() {
        return logs;
    }

    Path logPath(ProcessConfig config, boolean ofStderr) {
        return logs.path(config, ofStderr);
    }

    RotatingFile stdoutLog() {
        return logs.stdout();
    }

    RotatingFile stderrLog() {
        return logs.stderr();
    }

    StdinPipe stdin() {
        return stdin;
    }

    /**
     * Wires a just-spawned child's pipes: its stdin, and a dispatcher per output channel, watched by the engine.
     *
     * @param pool the group's event listener pool when the process is a listener (its stdout is the protocol)
     */
    void attach(ProcessConfig config, String group, SpawnedChild started, ListenerPool pool) {
        stdin = started.stdin() >= 0 ? new StdinPipe(started.stdin()) : null;
        boolean strip = host.daemon().stripAnsi();
        if (started.stdout() >= 0) {
            OutputDispatcher out = new OutputDispatcher(config.name(), "stdout", started.stdout(), logs.stdout(),
                    config.forwardOutput() ? host.forward(false) : null, strip,
                    hooks(config, group, "stdout", config.stdout(), pool), host.log(), config.logFormat());
            dispatchers.add(out);
            host.watch(out, owner);
        }
        if (started.stderr() >= 0) {
            OutputDispatcher err = new OutputDispatcher(config.name(), "stderr", started.stderr(), logs.stderr(),
                    config.forwardOutput() ? host.forward(true) : null, strip,
                    hooks(config, group, "stderr", config.stderr(), null), host.log(), config.logFormat());
            dispatchers.add(err);
            host.watch(err, owner);
        }
    }

    /**
     * Event hooks of one channel: an event listener's stdout is its protocol channel (no capture mode there,
     * as in supervisord); otherwise capture mode and log events as configured.
     */
    private OutputDispatcher.Hooks hooks(ProcessConfig config, String group, String channel, LogConfig lc,
            ListenerPool pool) {
        String name = config.name();
        Consumer<byte[]> protocol = pool == null ? null : data -> pool.output(owner, data);
        Capture capture = pool != null || lc.captureMaxbytes() <= 0 ? null : new Capture(lc.captureMaxbytes(),
                data -> host.emit(Event.processCommunication(name, group, owner.pid(), channel, text(data))));
        Consumer<byte[]> logEvents = !lc.eventsEnabled() ? null
                : data -> host.emit(Event.processLog(name, group, owner.pid(), channel, text(data)));
        if (protocol == null && capture == null && logEvents == null) {
            return OutputDispatcher.Hooks.NONE;
        }
        return new OutputDispatcher.Hooks(protocol, capture, logEvents);
    }

    private static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** Reads what the child wrote before it died (called when its exit is reaped, before anything else). */
    void drain(ByteBuffer buffer) {
        for (OutputDispatcher d : dispatchers) {
            d.readAvailable(buffer);
        }
    }

    /** Unwatches and closes every pipe of the child that was reaped. */
    void close() {
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
    void pipeClosed(OutputDispatcher d) {
        host.unwatch(d);
        d.close();
        dispatchers.remove(d);
    }

    /** See {@link Subprocess#writeStdin(byte[])}. */
    StdinPipe.Offer writeStdin(byte[] data) {
        if (stdin == null) {
            return StdinPipe.Offer.CLOSED;
        }
        StdinPipe.Offer r = stdin.offer(data);
        if (r == StdinPipe.Offer.QUEUED) {
            host.watchStdin(stdin);
        }
        return r;
    }

    void reopenLogs() throws IOException {
        logs.reopen();
    }
}
