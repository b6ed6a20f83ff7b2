package dev.radial.common.client;

import dev.radial.common.xmlrpc.XmlRpc;
import dev.radial.common.xmlrpc.XmlRpcFault;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An XML-RPC client for supervisord's API over its unix socket or TCP, sending exactly the requests Python's
 * xmlrpclib sends for supervisorctl, so that it works against real supervisord as well as our spoke.
 * One keep-alive connection per client; not thread-safe (use one client per thread).
 *
 * <pre>{@code
 * try (SupervisorClient c = SupervisorClient.to(ServerUrl.parse("unix:///run/supervisor/h/supervisor.sock"))
 *         .credentials("user", "pw").timeout(Duration.ofSeconds(30)).open()) {
 *     Object infos = c.call("supervisor.getAllProcessInfo");
 * }
 * }</pre>
 */
public final class SupervisorClient implements AutoCloseable {
    /** The largest response accepted: readLog of a whole log file is the biggest thing the API returns. */
    public static final int MAX_RESPONSE = 64 * 1024 * 1024;

    /** Made on first use: a client without a timeout (ctl) never needs it. */
    private static final class Watchdog {
        static final ScheduledExecutorService EXECUTOR = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rpc-timeout");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts, on a daemon thread of its own, what the JDK does before the first unix-socket connection of a JVM,
     * so that it overlaps the caller's own start-up (reading its configuration) instead of delaying the first
     * call: the JDK's {@code sun.nio.ch.UnixDomainSockets} makes a {@code SecureRandom} when it is initialised,
     * which loads the security providers, 15-20 ms in a fresh JVM here (docs/benchmarks.md). The thread opens
     * and closes one unconnected unix socket; a failure is left to the real connection to report. Returns at
     * once; safe to call from any thread, any number of times (each call costs a thread).
     */
    public static void warmUpUnixSockets() {
        Thread t = new Thread(() -> {
            try {
                SocketChannel.open(StandardProtocolFamily.UNIX).close();
            } catch (IOException | RuntimeException ignored) {
                // the real connection reports it
            }
        }, "unix-socket-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** Options for a client; {@link #open()} makes it (connecting lazily, at the first call). */
    public static final class Builder {
        private final ServerUrl url;
        private String username;
        private String password;
        private Duration timeout;

        private Builder(ServerUrl url) {
            this.url = url;
        }

        /** Basic auth, sent when both are non-null (as xmlrpclib's SupervisorTransport does). */
        public Builder credentials(String username, String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        /** Abort a call that has no complete answer after this long (default: wait forever, like supervisorctl). */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public SupervisorClient open() {
            return new SupervisorClient(this);
        }
    }

    private final ServerUrl url;
    private final String username;
    private final String password;
    private final Duration timeout;
    private ClientConnection connection;

    private SupervisorClient(Builder b) {
        this.url = b.url;
        this.username = b.username;
        this.password = b.password;
        this.timeout = b.timeout;
    }

    public static Builder to(ServerUrl url) {
        return new Builder(url);
    }

    public ServerUrl url() {
        return url;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /**
     * Calls a method. Returns the decoded value (String, Integer, Boolean, Double, List, Map, byte[], Date).
     *
     * @throws XmlRpcFault the server answered with a fault
     * @throws HttpStatusException the server answered with an HTTP status other than 200 (401: bad credentials)
     * @throws IOException the connection failed: {@code java.net.ConnectException} when refused,
     *     {@code java.net.SocketException} "No such file or directory" when the socket file is missing
     */
    public Object call(String method, Object... params) throws IOException, XmlRpcFault {
        byte[] body = XmlRpc.call(method, Arrays.asList(params)).getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(256)
                .append("POST /RPC2 HTTP/1.1\r\n")
                .append("Host: ").append(url.hostHeader()).append("\r\n")
                .append("Accept-Encoding: identity\r\n")
                .append("User-Agent: radial-ctl\r\n")
                .append("Content-Type: text/xml\r\n")
                .append("Accept: text/xml\r\n");
        if (username != null && password != null) {
            head.append("Authorization: Basic ").append(basic(username, password)).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] response = exchange(head.toString(), body);
        try {
            return XmlRpc.parseResponse(response);
        } catch (XmlRpc.ParseException e) {
            throw new IOException("unreadable XML-RPC response from " + url + " to " + method + ": " + e.getMessage(), e);
        }
    }

    private byte[] exchange(String head, byte[] body) throws IOException {
        boolean reused = connection != null && connection.isOpen();
        try {
            return exchangeOnce(head, body);
        } catch (EOFException e) {
            // The server closes idle keep-alive connections; a request that met a closed connection before any
            // answer byte was never processed, so it is sent again once on a fresh connection.
            if (!reused) {
                throw e;
            }
            dropConnection();
            return exchangeOnce(head, body);
        }
    }

    private byte[] exchangeOnce(String head, byte[] body) throws IOException {
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> watchdog = null;
        try {
            if (connection == null || !connection.isOpen()) {
                connection = new ClientConnection(url);
            }
            ClientConnection conn = connection;
            if (timeout != null) {
                watchdog = Watchdog.EXECUTOR.schedule(() -> {
                    timedOut.set(true);
                    conn.close();
                }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            conn.send(head, body);
            ClientConnection.Head h = conn.readHead();
            byte[] response = conn.readBody(h, MAX_RESPONSE);
            if (h.closes()) {
                dropConnection();
            }
            if (h.status() != 200) {
                dropConnection();
                throw new HttpStatusException(url.hostHeader() + "/RPC2", h.status(), h.reason());
            }
            return response;
        } catch (IOException e) {
            dropConnection();
            if (timedOut.get()) {
                throw new SocketTimeoutException("no answer from " + url + " within " + timeout.toMillis() + " ms");
            }
            throw e;
        } finally {
            if (watchdog != null) {
                watchdog.cancel(false);
            }
        }
    }

    /**
     * A follower of a /logtail or /mainlogtail URL into {@code sink} on its own connection, as
     * {@code supervisorctl tail -f} does; {@link LogFollower#run()} streams until it is closed.
     */
    public LogFollower follow(String path, OutputStream sink) {
        return new LogFollower(url, path, username, password, sink);
    }

    static String basic(String username, String password) {
        return Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private void dropConnection() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    @Override
    public void close() {
        dropConnection();
    }
}
