package dev.radial.spoke.health;

import dev.radial.common.config.Probe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * TCP and HTTP probe attempts of every process, on one thread ({@code probes}) with one NIO selector: a
 * non-blocking connect, for HTTP a GET written and the status line read (at most {@link #STATUS_LINE_LIMIT}
 * bytes: the rest of the answer is never read, however large), each attempt bounded by its deadline. No
 * thread per probe; the engine thread never blocks on a socket. A host name is resolved on the probe
 * thread (the JVM caches answers): a slow resolver delays the other network probes, never the engine.
 *
 * <p>Threading: {@link #start} from any thread (the engine's); results are handed to the given executor.
 */
public final class NetworkProbes implements AutoCloseable {
    /** The longest status line read: an answer whose first line is longer is not HTTP. */
    static final int STATUS_LINE_LIMIT = 1024;

    /** An attempt under way; cancel() drops its result (the socket is closed by the probe thread). */
    public interface Pending {
        void cancel();
    }

    private final ConcurrentLinkedQueue<Op> incoming = new ConcurrentLinkedQueue<>();
    private final List<Op> active = new ArrayList<>();
    private Selector selector;
    private Thread thread;
    private volatile boolean closed;

    /**
     * Begins one attempt of a TCP or HTTP check; {@code done} gets the outcome on {@code deliver} exactly once,
     * unless cancelled first.
     */
    public Pending start(Probe.Check check, long timeoutNanos, Executor deliver, Consumer<Outcome> done) {
        Op op = new Op(check, timeoutNanos, deliver, done);
        if (!ensureThread()) {
            op.finish(Outcome.failure("the probe thread is closed"));
            return op;
        }
        incoming.add(op);
        selector.wakeup();
        return op;
    }

    private synchronized boolean ensureThread() {
        if (closed) {
            return false;
        }
        if (thread == null) {
            try {
                selector = Selector.open();
            } catch (IOException e) {
                return false;
            }
            thread = new Thread(this::loop, "probes");
            thread.setDaemon(true);
            thread.start();
        }
        return true;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (selector != null) {
            selector.wakeup();
        }
    }

    private void loop() {
        while (!closed) {
            try {
                Op op;
                while ((op = incoming.poll()) != null) {
                    begin(op);
                }
                long now = System.nanoTime();
                long wait = 0;
                for (Iterator<Op> it = active.iterator(); it.hasNext();) {
                    Op a = it.next();
                    if (a.done.get()) {
                        a.closeChannel(); // cancelled, or finished
                        it.remove();
                    } else if (now >= a.deadline) {
                        a.finish(Outcome.failure("timed out after " + ProbeRunner.seconds(a.timeoutNanos)
                                + (a.connected ? "" : " connecting")));
                        a.closeChannel();
                        it.remove();
                    } else {
                        long left = Math.max(1, (a.deadline - now) / 1_000_000);
                        wait = wait == 0 ? left : Math.min(wait, left);
                    }
                }
                if (!incoming.isEmpty()) {
                    continue;
                }
                // cancelled attempts are closed at the latest at their deadline, or at the next wake-up
                selector.select(wait);
                for (SelectionKey k : selector.selectedKeys()) {
                    ((Op) k.attachment()).ready(k);
                }
                selector.selectedKeys().clear();
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // one bad attempt must not end the thread of all the others
                for (Op a : List.copyOf(active)) {
                    a.finish(Outcome.failure("probe error: " + e.getMessage()));
                    a.closeChannel();
                }
                active.clear();
            }
        }
        for (Op a : active) {
            a.closeChannel();
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    private void begin(Op op) {
        if (op.done.get()) {
            return;
        }
        String host;
        int port;
        switch (op.check) {
            case Probe.HttpGet h -> {
                host = h.host();
                port = h.port();
            }
            case Probe.TcpConnect t -> {
                host = t.host();
                port = t.port();
            }
            case Probe.Command c -> throw new IllegalArgumentException("not a network probe: " + c);
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            op.finish(Outcome.failure("cannot resolve " + host));
            return;
        }
        try {
            op.channel = SocketChannel.open();
            op.channel.configureBlocking(false);
            active.add(op);
            if (op.channel.connect(address)) {
                op.connected(selector);
            } else {
                op.channel.register(selector, SelectionKey.OP_CONNECT, op);
            }
        } catch (IOException e) {
            op.finish(Outcome.failure(reason(e)));
            op.closeChannel();
            active.remove(op);
        }
    }

    static String reason(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.net.ConnectException) {
            return m != null && m.toLowerCase(java.util.Locale.ROOT).contains("refused") ? "connection refused"
                    : "cannot connect" + (m == null ? "" : ": " + m);
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /** One attempt; fields touched by the probe thread only, but {@link #done}. */
    private final class Op implements Pending {
        final Probe.Check check;
        final long timeoutNanos;
        final long deadline;
        final Executor deliver;
        final Consumer<Outcome> sink;
        final AtomicBoolean done = new AtomicBoolean();
        SocketChannel channel;
        boolean connected;
        ByteBuffer request;
        final ByteBuffer response = ByteBuffer.allocate(STATUS_LINE_LIMIT);

        Op(Probe.Check check, long timeoutNanos, Executor deliver, Consumer<Outcome> sink) {
            this.check = check;
            this.timeoutNanos = timeoutNanos;
            this.deadline = System.nanoTime() + timeoutNanos;
            this.deliver = deliver;
            this.sink = sink;
        }

        @Override
        public void cancel() {
            if (done.compareAndSet(false, true) && !closed) {
                selector.wakeup(); // the loop closes the socket
            }
        }

        void finish(Outcome o) {
            if (done.compareAndSet(false, true)) {
                deliver.execute(() -> sink.accept(o));
            }
        }

        void closeChannel() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        }

        void ready(SelectionKey k) {
            if (done.get()) {
                return;
            }
            try {
                if (k.isConnectable()) {
                    channel.finishConnect();
                    connected(selector);
                } else if (k.isWritable()) {
                    write(k);
                } else if (k.isReadable()) {
                    read(k);
                }
            } catch (IOException e) {
                finish(Outcome.failure(reason(e)));
            }
        }

        void connected(Selector sel) throws IOException {
            connected = true;
            if (check instanceof Probe.HttpGet h) {
                String hostHeader = (h.host().contains(":") ? "[" + h.host() + "]" : h.host()) + ":" + h.port();
                request = ByteBuffer.wrap(("GET " + h.path() + " HTTP/1.1\r\nHost: " + hostHeader
                        + "\r\nUser-Agent: radial-probe\r\nAccept: */*\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                channel.register(sel, SelectionKey.OP_WRITE, this);
            } else {
                finish(Outcome.success("connected"));
            }
        }

        void write(SelectionKey k) throws IOException {
            channel.write(request);
            if (!request.hasRemaining()) {
                k.interestOps(SelectionKey.OP_READ);
            }
        }

        void read(SelectionKey k) throws IOException {
            int n = channel.read(response);
            for (int i = 0; i < response.position(); i++) {
                if (response.get(i) == '\n') {
                    finish(statusLine(new String(response.array(), 0, i, StandardCharsets.ISO_8859_1).strip()));
                    return;
                }
            }
            if (n < 0) {
                finish(Outcome.failure(response.position() == 0 ? "connection closed without an answer"
                        : "not an HTTP answer"));
            } else if (!response.hasRemaining()) {
                finish(Outcome.failure("not an HTTP answer (no status line in the first " + STATUS_LINE_LIMIT
                        + " bytes)"));
            }
        }
    }

    /** "HTTP/1.1 204 No Content": a status of 200 to 399 is a success (Kubernetes' rule). */
    static Outcome statusLine(String line) {
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("[0-9]{3}")) {
            return Outcome.failure("not an HTTP answer");
        }
        int code = Integer.parseInt(parts[1]);
        return new Outcome(code >= 200 && code < 400, "HTTP " + code);
    }
}
