package dev.radial.spoke.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * supervisord's HTTP server on a unix socket (JDK AF_UNIX) or TCP: HTTP/1.1 with keep-alive and
 * pipelining, Basic auth (plain or {SHA} passwords) on every path. Each connection has its own thread, at
 * most {@value #MAX_CONNECTIONS} at once, and a connection idle for {@value #IDLE_SECONDS} s is closed, so a
 * slow or stuck client holds only itself. Never touches the engine directly: handlers submit to it.
 */
public final class HttpServer implements AutoCloseable {
    static final int MAX_CONNECTIONS = 128;
    static final int IDLE_SECONDS = 120;

    private final ServerSocketChannel server;
    private final Path socketFile;
    private final String username;
    private final String password;
    private final Handler handler;
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
    private final Set<Conn> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService idleReaper;
    private volatile boolean closed;

    private record Conn(SocketChannel channel, HttpConnection http) {
    }

    private HttpServer(ServerSocketChannel server, Path socketFile, String username, String password,
            Handler handler) {
        this.server = server;
        this.socketFile = socketFile;
        this.username = username;
        this.password = password;
        this.handler = handler;
        this.idleReaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "http-idle");
            t.setDaemon(true);
            return t;
        });
        idleReaper.scheduleWithFixedDelay(this::closeIdle, 10, 10, TimeUnit.SECONDS);
    }

    /** Binds the unix socket: a stale file is replaced; mode applied before anyone can connect usefully. */
    public static HttpServer unix(Path file, int mode, int uid, int gid, String username, String password,
            Handler handler) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ch.bind(UnixDomainSocketAddress.of(file), 64);
        Files.setPosixFilePermissions(file, dev.radial.common.util.FileModes.toPermissions(mode));
        if (uid >= 0 || gid >= 0) {
            Modes.chown(file, uid, gid);
        }
        return new HttpServer(ch, file, username, password, handler);
    }

    public static HttpServer tcp(String host, int port, String username, String password, Handler handler)
            throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        ch.bind(host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port), 64);
        return new HttpServer(ch, null, username, password, handler);
    }

    public HttpServer start(String name) {
        Thread t = new Thread(this::acceptLoop, name);
        t.setDaemon(true);
        t.start();
        return this;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            if (!slots.tryAcquire()) {
                try {
                    c.close(); // over the limit: refuse rather than queue behind stuck clients
                } catch (IOException ignored) {
                    // closing anyway
                }
                continue;
            }
            Thread t = new Thread(() -> serve(c), "http-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(SocketChannel channel) {
        HttpConnection http = new HttpConnection(Channels.newInputStream(channel), Channels.newOutputStream(channel));
        Conn conn = new Conn(channel, http);
        open.add(conn);
        try {
            while (!closed) {
                HttpRequest req;
                try {
                    req = http.read();
                } catch (HttpConnection.BadRequest e) {
                    http.respond(e.status, "text/plain", (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8),
                            null, true);
                    lingeringClose(channel, http);
                    return;
                }
                if (req == null) {
                    return;
                }
                if (!authorized(req)) {
                    http.respond(401, "text/html", "<html><body>Unauthorized</body></html>".getBytes(
                            StandardCharsets.UTF_8), Map.of("WWW-Authenticate", "Basic realm=\"default\""), true);
                    lingeringClose(channel, http);
                    return;
                }
                if (!handler.handle(req, http) || !req.keepAlive()) {
                    return;
                }
            }
        } catch (IOException e) {
            // client went away
        } finally {
            open.remove(conn);
            slots.release();
            try {
                channel.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /**
     * Closing with unread request bytes makes the kernel reset the connection, and a reset can destroy the error
     * response before the client reads it. So: end our side, read what the client still sends (bounded in bytes
     * and time), then close.
     */
    private void lingeringClose(SocketChannel channel, HttpConnection http) {
        ScheduledFuture<?> deadline = idleReaper.schedule(() -> {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already closed
            }
        }, 2, TimeUnit.SECONDS);
        try {
            channel.shutdownOutput();
            http.drain(4 * 1024 * 1024);
        } catch (IOException ignored) {
            // the client closed first, or the deadline did
        } finally {
            deadline.cancel(false);
        }
    }

    private boolean authorized(HttpRequest req) {
        if (username == null) {
            return true;
        }
        String auth = req.headers().get("authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String user = decoded.substring(0, colon);
        String pass = decoded.substring(colon + 1);
        return MessageDigest.isEqual(user.getBytes(StandardCharsets.UTF_8), username.getBytes(StandardCharsets.UTF_8))
                && passwordMatches(pass);
    }

    private boolean passwordMatches(String given) {
        if (password.startsWith("{SHA}")) {
            try {
                byte[] sha = MessageDigest.getInstance("SHA-1").digest(given.getBytes(StandardCharsets.UTF_8));
                return MessageDigest.isEqual(HexFormat.of().formatHex(sha).getBytes(StandardCharsets.US_ASCII),
                        password.substring(5).toLowerCase().getBytes(StandardCharsets.US_ASCII));
            } catch (NoSuchAlgorithmException e) {
                return false;
            }
        }
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8));
    }

    private void closeIdle() {
        long limit = System.nanoTime() - TimeUnit.SECONDS.toNanos(IDLE_SECONDS);
        for (Conn c : open) {
            if (c.http().lastActivity() < limit) {
                try {
                    c.channel().close();
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        idleReaper.shutdownNow();
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Conn c : open) {
            try {
                c.channel().close();
            } catch (IOException ignored) {
                // closing
            }
        }
        if (socketFile != null) {
            try {
                Files.deleteIfExists(socketFile);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
