package dev.radial.spoke.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * supervisord's HTTP server on a unix socket (JDK AF_UNIX) or TCP: HTTP/1.0 and 1.1 with keep-alive and
 * pipelining, Basic auth (plain or {SHA} passwords) on every path, decided from the headers before any body is
 * read.
 *
 * <p>Threading: ONE selector thread (epoll on Linux) accepts, reads, parses, writes, drives log followers and
 * enforces every deadline and bound in {@link Limits}; there is no thread per connection. Handlers run on it and
 * must not block: they answer through an {@link Exchange}, from any thread; answers are queued to the selector
 * thread ({@link #loop()}). The server never touches the engine: handlers submit to it.
 */
public final class HttpServer implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Path socketFile;
    private final Auth auth;
    private final Handler handler;
    private final Limits limits;
    private final Selector selector;
    private final RefusalLog refusals;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Executor loop = this::enqueue;
    /** Selector thread only. */
    private final Set<Connection> connections = new LinkedHashSet<>();
    private final ByteBuffer scratch = ByteBuffer.allocate(64 * 1024);
    private volatile int open;
    private long bodyBytes;
    private long now = System.nanoTime();
    private Thread thread;
    private volatile boolean closed;

    private HttpServer(ServerSocketChannel server, Path socketFile, String username, String password, Handler handler,
            Limits limits, Consumer<String> log, String name) throws IOException {
        this.server = server;
        this.socketFile = socketFile;
        this.auth = new Auth(username, password);
        this.handler = handler;
        this.limits = limits;
        this.refusals = new RefusalLog(log, name);
        this.selector = Selector.open();
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    /** Binds the unix socket: a stale file is replaced; mode applied before anyone can connect usefully. */
    public static HttpServer unix(Path file, int mode, int uid, int gid, String username, String password,
            Handler handler, Limits limits, Consumer<String> log) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ch.bind(UnixDomainSocketAddress.of(file), 64);
        Files.setPosixFilePermissions(file, dev.radial.common.util.FileModes.toPermissions(mode));
        if (uid >= 0 || gid >= 0) {
            Modes.chown(file, uid, gid);
        }
        return new HttpServer(ch, file, username, password, handler, limits, log, "unix_http_server");
    }

    public static HttpServer tcp(String host, int port, String username, String password, Handler handler,
            Limits limits, Consumer<String> log) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        ch.bind(host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port), 64);
        return new HttpServer(ch, null, username, password, handler, limits, log, "inet_http_server");
    }

    /** The bound TCP port (for tests binding port 0), or -1 on a unix socket. */
    public int port() {
        try {
            return server.getLocalAddress() instanceof InetSocketAddress a ? a.getPort() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    public HttpServer start(String name) {
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    // ---- package API for Connection and Exchange (selector thread unless said) ---------------------------

    Limits limits() {
        return limits;
    }

    Auth auth() {
        return auth;
    }

    Handler handler() {
        return handler;
    }

    ByteBuffer scratch() {
        return scratch;
    }

    long now() {
        return now;
    }

    /** Any thread. */
    Executor loop() {
        return loop;
    }

    boolean reserveBody(long n) {
        if (bodyBytes + n > limits.bodyBudget()) {
            return false;
        }
        bodyBytes += n;
        return true;
    }

    void releaseBody(long n) {
        bodyBytes -= n;
    }

    /** Any thread: logs a refusal on the selector thread. */
    void refusedLater(Connection c, String what, String kind) {
        enqueue(() -> refused(c, what, kind));
    }

    void refused(Connection c, String what, String kind) {
        refusals.log(kind, what + " (" + c.peer + ")", now);
    }

    void answer(Connection c, Exchange ex, Response r) {
        if (!c.closed && c.current == ex) {
            c.answer(ex.request(), r, false);
        }
    }

    void follow(Connection c, Exchange ex, Path file, long backlog) {
        if (!c.closed && c.current == ex) {
            Map<String, String> headers = new LinkedHashMap<>();
            try {
                headers.put("Last-Modified", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        java.time.ZonedDateTime.ofInstant(Files.getLastModifiedTime(file).toInstant(),
                                java.time.ZoneOffset.UTC)));
            } catch (IOException e) {
                c.answer(ex.request(), Response.text(404, "Not Found\n"), false);
                return;
            }
            headers.put("X-Accel-Buffering", "no");
            c.follow(ex.request(), file, backlog, headers);
        }
    }

    void closed(Connection c) {
        connections.remove(c);
        open = connections.size();
    }

    /** How many connections are open now (any thread; for tests and diagnostics). */
    public int openConnections() {
        return open;
    }

    private void enqueue(Runnable r) {
        if (closed) {
            return;
        }
        tasks.add(r);
        selector.wakeup();
    }

    // ---- the selector loop --------------------------------------------------------------------------

    private void run() {
        long nextDeadline = Long.MAX_VALUE;
        try {
            while (!closed) {
                long wait = nextDeadline == Long.MAX_VALUE ? 0 : Math.max(1, (nextDeadline - System.nanoTime()) / 1_000_000 + 1);
                if (nextDeadline != Long.MAX_VALUE && nextDeadline <= System.nanoTime()) {
                    selector.selectNow();
                } else {
                    selector.select(wait);
                }
                now = System.nanoTime();
                for (SelectionKey k : selector.selectedKeys()) {
                    if (!k.isValid()) {
                        continue;
                    }
                    if (k.isAcceptable()) {
                        accept();
                        continue;
                    }
                    Connection c = (Connection) k.attachment();
                    try {
                        if (k.isWritable()) {
                            c.onWritable(now);
                        }
                        if (k.isValid() && k.isReadable()) {
                            c.onReadable(now);
                        }
                    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                        // one connection's failure ends that connection, never the server
                        refusals.log("internal", "closed a connection after an internal error: " + e, now);
                        c.close();
                    }
                }
                selector.selectedKeys().clear();
                Runnable t;
                while ((t = tasks.poll()) != null) {
                    try {
                        t.run();
                    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                        refusals.log("internal", "internal error in the HTTP server: " + e, now);
                    }
                }
                nextDeadline = Long.MAX_VALUE;
                for (Connection c : new ArrayList<>(connections)) {
                    try {
                        nextDeadline = Math.min(nextDeadline, c.tick(now));
                    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                        refusals.log("internal", "closed a connection after an internal error: " + e, now);
                        c.close();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                refusals.log("internal", "HTTP server stopped: " + e, System.nanoTime());
            }
        } finally {
            shutdown();
        }
    }

    private void accept() {
        while (true) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                refusals.log("accept", "accept failed: " + e.getMessage(), now);
                return;
            }
            if (ch == null) {
                return;
            }
            String peer;
            try {
                peer = ch.getRemoteAddress() instanceof InetSocketAddress a ? a.toString() : "unix client";
                ch.configureBlocking(false);
            } catch (IOException e) {
                closeQuietly(ch);
                continue;
            }
            if (connections.size() >= limits.maxConnections() && !evictOne()) {
                refusals.log("cap", "refused a connection: all " + limits.maxConnections()
                        + " connections are busy with requests in progress (" + peer + ")", now);
                closeQuietly(ch);
                continue;
            }
            Connection c = new Connection(this, ch, peer, now);
            try {
                c.key = ch.register(selector, SelectionKey.OP_READ, c);
            } catch (IOException e) {
                closeQuietly(ch);
                continue;
            }
            connections.add(c);
            open = connections.size();
        }
    }

    /** At the cap: closes the connection that matters least (see {@link Connection#evictionRank}). */
    private boolean evictOne() {
        Connection victim = null;
        for (Connection c : connections) {
            int rank = c.evictionRank();
            if (rank < 0) {
                continue;
            }
            if (victim == null || rank < victim.evictionRank()
                    || rank == victim.evictionRank() && c.evictionAge() < victim.evictionAge()) {
                victim = c;
            }
        }
        if (victim == null) {
            return false;
        }
        refusals.log("evict", "connection limit " + limits.maxConnections() + " reached: closed the oldest "
                + victim.describe() + " (" + victim.peer + ") to serve a new client", now);
        victim.close();
        return true;
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void shutdown() {
        for (Connection c : new ArrayList<>(connections)) {
            c.close();
        }
        try {
            server.close();
            selector.close();
        } catch (IOException ignored) {
            // closing
        }
        if (socketFile != null) {
            try {
                Files.deleteIfExists(socketFile);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** Stops the selector thread, closes every connection and removes the socket file. */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        if (thread != null && Thread.currentThread() != thread) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (thread == null) {
            shutdown();
        }
    }
}
