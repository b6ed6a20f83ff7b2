package dev.radial.spoke.events;

import dev.radial.common.config.GroupConfig;
import dev.radial.common.states.ProcessState;
import dev.radial.spoke.logging.DebugOutput;
import dev.radial.spoke.logging.MainLog;
import dev.radial.spoke.process.Subprocess;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An [eventlistener:x] pool (supervisord's EventListenerPool): buffers the events it subscribes to (at most
 * buffer_size, dropping the oldest with an error), sends each to a RUNNING listener that said READY, and reads
 * the listener protocol back from its stdout: READY, then "RESULT n\n" and n bytes; OK acknowledges, anything
 * else rejects and re-buffers the event at the head; a protocol violation puts the listener in UNKNOWN for good
 * (until it restarts). Engine thread only.
 */
public final class ListenerPool {
    /** supervisord's EventListenerStates. */
    public enum State {
        READY, BUSY, ACKNOWLEDGED, UNKNOWN
    }

    /** An event in this pool's buffer, with the serials it was given when first accepted. */
    record Pending(Event event, long serial, long poolSerial) {
    }

    /** Protocol state of one listener process. */
    private static final class Listener {
        State state = State.ACKNOWLEDGED;
        Pending event;
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int resultLength = -1;
    }

    private static final byte[] READY = "READY\n".getBytes(StandardCharsets.US_ASCII);

    private final String name;
    private final List<String> subscriptions;
    private final int bufferSize;
    private final String identifier;
    private final MainLog log;
    private final Supplier<Iterable<Subprocess>> processes;
    private final Deque<Pending> buffer = new ArrayDeque<>();
    private final Map<Subprocess, Listener> listeners = new HashMap<>();
    private long poolSerial = -1;

    public ListenerPool(GroupConfig config, String identifier, MainLog log, Supplier<Iterable<Subprocess>> processes) {
        this.name = config.name();
        this.subscriptions = config.events();
        this.bufferSize = config.bufferSize();
        this.identifier = identifier;
        this.log = log;
        this.processes = processes;
    }

    public String name() {
        return name;
    }

    boolean subscribed(Event e) {
        return subscriptions.stream().anyMatch(e::is);
    }

    /** _acceptEvent: a new event (serial from the bus), appended; the oldest is dropped when full. */
    void accept(Event e, long serial) {
        buffer(new Pending(e, serial, ++poolSerial), false);
    }

    private void buffer(Pending p, boolean head) {
        if (head) {
            log.debug("rebuffering event " + p.serial() + " for pool " + name + " (buf size=" + buffer.size()
                    + ", max=" + bufferSize + ")");
        }
        if (buffer.size() >= bufferSize && !buffer.isEmpty()) {
            Pending dropped = buffer.pollFirst();
            log.error("pool " + name + " event buffer overflowed, discarding event " + dropped.serial());
        }
        if (head) {
            buffer.addFirst(p);
        } else {
            buffer.addLast(p);
        }
    }

    boolean hasWork() {
        return !buffer.isEmpty();
    }

    /** Sends buffered events, oldest first, while a listener is ready for one. */
    void dispatch() {
        while (!buffer.isEmpty()) {
            Pending p = buffer.peekFirst();
            if (!send(p)) {
                return;
            }
            buffer.pollFirst();
        }
    }

    private boolean send(Pending p) {
        for (Subprocess proc : processes.get()) {
            Listener l = listeners.get(proc);
            if (proc.state() != ProcessState.RUNNING || l == null || l.state != State.READY) {
                continue;
            }
            String envelope = "ver:3.0 server:" + identifier + " serial:" + p.serial() + " pool:" + name
                    + " poolserial:" + p.poolSerial() + " eventname:" + p.event().name() + " len:"
                    + p.event().length() + "\n" + p.event().payload();
            dev.radial.spoke.os.StdinPipe.Offer sent = proc.writeStdin(envelope.getBytes(StandardCharsets.UTF_8));
            if (sent == dev.radial.spoke.os.StdinPipe.Offer.CLOSED) {
                log.debug("epipe occurred while sending event " + p.serial() + " to listener " + proc.name()
                        + ", listener state unchanged");
                continue;
            }
            if (sent == dev.radial.spoke.os.StdinPipe.Offer.FULL) {
                // never blocks the engine: a listener that does not read its stdin is skipped, the event waits
                log.warn("stdin of listener " + proc.name() + " is full (" + dev.radial.spoke.os.StdinPipe.LIMIT
                        + " bytes wait); event " + p.serial() + " not sent to it");
                continue;
            }
            l.state = State.BUSY;
            l.event = p;
            log.debug("event " + p.serial() + " sent to listener " + proc.name());
            return true;
        }
        return false;
    }

    /** A listener process was spawned: it starts ACKNOWLEDGED, waiting for its READY. */
    public void spawned(Subprocess p) {
        listeners.put(p, new Listener());
    }

    /** A listener process ended: an event it was handling goes back to the head of the buffer. */
    public void ended(Subprocess p) {
        Listener l = listeners.remove(p);
        if (l != null && l.event != null) {
            buffer(l.event, true);
        }
    }

    /** Bytes from a listener's stdout: the protocol (handle_listener_state_change). */
    public void output(Subprocess p, byte[] data) {
        if (log.enabled(MainLog.Level.DEBG)) {
            log.debug(DebugOutput.listener(p.name(), "stdout", data));
        }
        Listener l = listeners.get(p);
        if (l == null) {
            return;
        }
        l.buffer.write(data, 0, data.length);
        process(p, l);
    }

    private void process(Subprocess p, Listener l) {
        while (l.buffer.size() > 0) {
            byte[] data = l.buffer.toByteArray();
            switch (l.state) {
                case UNKNOWN -> {
                    l.buffer.reset();
                    return;
                }
                case ACKNOWLEDGED -> {
                    if (data.length < READY.length) {
                        return;
                    }
                    if (startsWith(data, READY)) {
                        change(p, l, State.READY);
                        rest(l, data, READY.length);
                    } else {
                        change(p, l, State.UNKNOWN);
                        l.buffer.reset();
                        return;
                    }
                }
                case READY -> {
                    // spurious output while waiting for an event: supervisord is strict about it
                    change(p, l, State.UNKNOWN);
                    l.buffer.reset();
                    return;
                }
                case BUSY -> {
                    if (!busy(p, l, data)) {
                        return;
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    /** BUSY: "RESULT n\n" then n bytes. Returns false when more data is needed. */
    private boolean busy(Subprocess p, Listener l, byte[] data) {
        if (l.resultLength < 0) {
            int nl = indexOf(data, (byte) '\n');
            if (nl < 0) {
                return false;
            }
            String line = new String(data, 0, nl, StandardCharsets.UTF_8);
            rest(l, data, nl + 1);
            try {
                l.resultLength = Integer.parseInt(line.length() >= 7 ? line.substring(7) : "x");
            } catch (NumberFormatException e) {
                log.warn(p.name() + ": bad result line: '" + line + "'");
                change(p, l, State.UNKNOWN);
                l.buffer.reset();
                reject(l);
                return false;
            }
            return true;
        }
        if (data.length < l.resultLength) {
            return false;
        }
        String result = new String(data, 0, l.resultLength, StandardCharsets.UTF_8);
        rest(l, data, l.resultLength);
        l.resultLength = -1;
        if (result.equals("OK")) {
            log.debug(p.name() + ": event was processed");
            change(p, l, State.ACKNOWLEDGED);
            l.event = null;
        } else {
            // supervisor.dispatchers.default_handler: anything but OK rejects the event
            log.warn(p.name() + ": event was rejected");
            change(p, l, State.ACKNOWLEDGED);
            reject(l);
        }
        return true;
    }

    private void reject(Listener l) {
        if (l.event != null) {
            buffer(l.event, true);
            l.event = null;
        }
    }

    private void change(Subprocess p, Listener l, State to) {
        log.debug(p.name() + ": " + l.state + " -> " + to);
        l.state = to;
        if (to == State.UNKNOWN) {
            log.warn(p.name() + ": has entered the UNKNOWN state and will no longer receive events, this usually "
                    + "indicates the process violated the eventlistener protocol");
        }
    }

    private static void rest(Listener l, byte[] data, int from) {
        l.buffer.reset();
        l.buffer.write(data, from, data.length - from);
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] data, byte b) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
