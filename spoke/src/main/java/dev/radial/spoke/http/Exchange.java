package dev.radial.spoke.http;

import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request in progress and the way to answer it. {@link #respond}, {@link #refuse} and {@link #follow} may be
 * called from any thread, exactly one of them once; the answer is written by the server's selector thread. If the
 * client has gone (or was evicted) meanwhile, the answer is dropped.
 */
public final class Exchange {
    private final HttpServer server;
    private final Connection connection;
    private final HttpRequest request;
    private final AtomicBoolean answered = new AtomicBoolean();

    Exchange(HttpServer server, Connection connection, HttpRequest request) {
        this.server = server;
        this.connection = connection;
        this.request = request;
    }

    public HttpRequest request() {
        return request;
    }

    /** The server's selector thread, for work that must end there (it must not block). */
    public Executor loop() {
        return server.loop();
    }

    /** A description of the client for log lines: "unix client" or the TCP peer address. */
    public String peer() {
        return connection.peer;
    }

    public void respond(Response r) {
        if (answered.compareAndSet(false, true)) {
            server.loop().execute(() -> server.answer(connection, this, r));
        }
    }

    /** Answers a client's mistake with a short text and logs (rate-limited) what was refused and why. */
    public void refuse(int status, String why) {
        server.refusedLater(connection, "refused " + request.method() + " " + request.path() + ": " + status + " " + why,
                "handler " + status);
        respond(Response.text(status, why + "\n"));
    }

    /** Answers 500 "internal error" and logs {@code detail} (not sent to the client). */
    public void fail(String detail) {
        server.refusedLater(connection, "failed " + request.method() + " " + request.path() + ": 500 " + detail,
                "handler 500");
        respond(Response.text(500, "internal error\n"));
    }

    /**
     * Streams {@code file} like {@code tail -f}: its last {@code backlog} bytes, then what is appended, until the
     * client closes the connection.
     */
    public void follow(Path file, long backlog) {
        if (answered.compareAndSet(false, true)) {
            server.loop().execute(() -> server.follow(connection, this, file, backlog));
        }
    }
}
