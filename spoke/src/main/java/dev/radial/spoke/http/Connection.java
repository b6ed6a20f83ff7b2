package dev.radial.spoke.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.radial.spoke.logging.FileChanges;

/**
 * One client connection of an {@link HttpServer}: buffered non-blocking reads, request parsing (auth decided from
 * the headers before any body byte is read), one request at a time (pipelined requests wait in the buffer until
 * the previous answer is written, so output per connection is one response or one follower chunk), and its
 * deadlines. Only the server's selector thread touches it.
 */
final class Connection {
    /** HEAD: reading a request head (or idle); BODY: reading a body; BUSY: a handler works on it. */
    enum Phase { HEAD, BODY, BUSY, STREAM, LINGER }

    private static final int INITIAL_BUFFER = 4096;
    private static final long LINGER_BYTES = 4L * 1024 * 1024;
    static final byte[] UNAUTHORIZED = "<html><body>Unauthorized</body></html>".getBytes(StandardCharsets.UTF_8);

    final HttpServer server;
    final SocketChannel channel;
    final String peer;
    final long opened;
    SelectionKey key;
    Phase phase = Phase.HEAD;
    boolean closed;

    private byte[] in = new byte[INITIAL_BUFFER];
    private int inLen;
    /** When the current request's first byte arrived (HEAD), its head ended (BODY), or lingering began. */
    private long phaseStart;
    private long lastActivity;
    private HttpRequest head;
    private byte[] body;
    private int bodyFilled;
    private long budgetHeld;
    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    private long writeStalledSince;
    private boolean closeAfterWrite;
    private boolean inputEof;
    private long lingered;
    Exchange current;
    private FileFollower follower;
    /** The follower's subscription to {@link FileChanges}: the spoke's own writes to the file wake it. */
    private FileChanges.Watch followerWatch;
    /** A change of the followed file was reported and its wake-up is queued (coalesces the writer's reports). */
    private final AtomicBoolean changeQueued = new AtomicBoolean();
    private boolean chunked;
    private long nextPoll;

    Connection(HttpServer server, SocketChannel channel, String peer, long now) {
        this.server = server;
        this.channel = channel;
        this.peer = peer;
        this.opened = now;
        this.lastActivity = now;
    }

    // ---- eviction ------------------------------------------------------------------------------

    /** Lower is evicted first at the connection cap; -1: never (an answer is being prepared). */
    int evictionRank() {
        return switch (phase) {
            case LINGER -> 0;
            case HEAD -> inLen == 0 && out.isEmpty() ? 1 : 2;
            case BODY -> 2;
            case STREAM -> 3;
            case BUSY -> -1;
        };
    }

    /** Among equal ranks, the oldest goes first. */
    long evictionAge() {
        return switch (phase) {
            case HEAD -> inLen == 0 ? lastActivity : phaseStart;
            case STREAM -> opened;
            default -> phaseStart;
        };
    }

    String describe() {
        return switch (evictionRank()) {
            case 0 -> "closing connection";
            case 1 -> "idle connection";
            case 2 -> "connection with an unfinished request";
            case 3 -> "log follower";
            default -> "busy connection";
        };
    }

    // ---- reading --------------------------------------------------------------------------------

    void onReadable(long now) {
        try {
            switch (phase) {
                case LINGER, STREAM -> discardInput(now);
                case BODY -> readBody(now);
                case HEAD, BUSY -> readHead(now);
            }
        } catch (IOException e) {
            close(); // the client went away
        }
    }

    private void discardInput(long now) throws IOException {
        ByteBuffer scratch = server.scratch();
        scratch.clear();
        int n = channel.read(scratch);
        if (n < 0) {
            close(); // a follower noticed its client closed, or a lingering close is over
            return;
        }
        lingered += n;
        if (phase == Phase.LINGER && lingered > LINGER_BYTES) {
            close();
        }
    }

    private void readBody(long now) throws IOException {
        int n = channel.read(ByteBuffer.wrap(body, bodyFilled, body.length - bodyFilled));
        if (n < 0) {
            close();
            return;
        }
        lastActivity = now;
        bodyFilled += n;
        if (bodyFilled == body.length) {
            HttpRequest req = head.withBody(body);
            head = null;
            body = null;
            dispatch(req);
        }
    }

    private void readHead(long now) throws IOException {
        if (inLen == in.length) {
            if (in.length >= server.limits().maxHead() || phase == Phase.BUSY) {
                interest(false); // full: wait until the buffered requests are served
                return;
            }
            in = Arrays.copyOf(in, Math.min(in.length * 2, server.limits().maxHead()));
        }
        int n = channel.read(ByteBuffer.wrap(in, inLen, in.length - inLen));
        if (n < 0) {
            inputEof = true;
            if (phase == Phase.HEAD) {
                close(); // whatever is buffered is not a complete request
            } else {
                interest(false); // answer the request in progress, then close
            }
            return;
        }
        lastActivity = now;
        inLen += n;
        if (phase == Phase.HEAD) {
            if (out.isEmpty()) {
                parse(now);
            } else {
                // the previous answer is still going out: the next request waits unread (flush resumes reading and
                // parses it once the answer is written), so a client that pipelines and never reads holds one answer
                interest(false);
            }
        }
    }

    private void consume(int n) {
        System.arraycopy(in, n, in, 0, inLen - n);
        inLen -= n;
    }

    /** Parses and dispatches the next buffered request, if it is complete. */
    private void parse(long now) {
        int skip = HttpWire.skipLineEnds(in, 0, inLen);
        if (skip > 0) {
            consume(skip);
        }
        if (inLen == 0) {
            phaseStart = 0;
            return;
        }
        if (phaseStart == 0) {
            phaseStart = now;
        }
        Limits limits = server.limits();
        int end = HttpWire.headEnd(in, 0, inLen);
        if (end < 0 || end > limits.maxHead()) {
            if (end > 0 || inLen >= limits.maxHead()) {
                refuse(null, 431, "request head over " + limits.maxHead() + " bytes", "head");
            }
            return;
        }
        HttpRequest req;
        long length;
        try {
            req = HttpWire.parseHead(in, 0, end);
            if (!server.auth().allows(req.headers())) {
                server.refused(this, "refused unauthenticated " + req.method() + " " + req.path() + ": 401", "auth");
                answer(req, new Response(401, "text/html", UNAUTHORIZED, Auth.CHALLENGE), true);
                return;
            }
            length = HttpWire.bodyLength(req);
        } catch (HttpWire.BadRequest e) {
            refuse(null, e.status, e.getMessage(), "bad");
            return;
        }
        if (length > limits.maxBody()) {
            refuse(req, 413, "request body of " + length + " bytes is over " + limits.maxBody(), "413");
            return;
        }
        consume(end);
        if (length <= inLen) {
            byte[] b = Arrays.copyOf(in, (int) length);
            consume((int) length);
            dispatch(req.withBody(b));
            return;
        }
        if (!server.reserveBody(length)) {
            refuse(req, 503, "too many request bodies in flight; try again", "budget");
            return;
        }
        budgetHeld = length;
        head = req;
        body = new byte[(int) length];
        System.arraycopy(in, 0, body, 0, inLen);
        bodyFilled = inLen;
        inLen = 0;
        phase = Phase.BODY;
        phaseStart = now;
    }

    private void dispatch(HttpRequest req) {
        phase = Phase.BUSY;
        phaseStart = 0;
        Exchange ex = new Exchange(server, this, req);
        current = ex;
        try {
            server.handler().handle(req, ex);
        } catch (RuntimeException | StackOverflowError e) {
            server.refused(this, "failed " + req.method() + " " + req.path() + ": 500 internal error (" + e + ")", "500");
            ex.respond(Response.text(500, "internal error\n"));
        }
    }

    // ---- answering ------------------------------------------------------------------------------

    /** A client's mistake found while reading: answered, logged, and the connection closed after it. */
    private void refuse(HttpRequest req, int status, String why, String kind) {
        server.refused(this, "refused " + (req == null ? "a request: " : req.method() + " " + req.path() + ": ") + status + " " + why, kind);
        answer(req, Response.text(status, why + "\n"), true);
    }

    /** Queues a complete response; errors and non-keep-alive requests close the connection after it. */
    void answer(HttpRequest req, Response r, boolean forceClose) {
        current = null;
        releaseBody();
        boolean close = forceClose || r.status() >= 400 || req == null || !req.keepAlive();
        String version = req == null ? "HTTP/1.1" : req.version();
        out.add(ByteBuffer.wrap(HttpWire.head(version, r.status(), r.contentType(), r.body().length, r.headers(),
                close)));
        if (r.body().length > 0) {
            out.add(ByteBuffer.wrap(r.body()));
        }
        closeAfterWrite = close || inputEof;
        phase = close ? Phase.LINGER : Phase.HEAD;
        phaseStart = 0;
        flush(server.now());
    }

    /** Starts a tail -f stream: chunked on HTTP/1.1, raw until close on HTTP/1.0 (medusa's way). */
    void follow(HttpRequest req, Path file, long backlog, Map<String, String> headers) {
        current = null;
        try {
            follower = new FileFollower(file, backlog);
        } catch (IOException e) {
            answer(req, Response.text(404, "Not Found\n"), false);
            return;
        }
        chunked = !req.http10();
        out.add(ByteBuffer.wrap(HttpWire.head(req.version(), 200, "text/plain;charset=utf-8", -1, headers,
                !chunked)));
        phase = Phase.STREAM;
        nextPoll = server.now();
        followerWatch = FileChanges.watch(file, this::fileChanged);
        flush(server.now());
    }

    /**
     * Any thread (the writer's): the followed file changed, so look at it on the next turn of the loop. At most
     * one wake-up is queued at a time, however often the writer reports.
     */
    private void fileChanged() {
        if (changeQueued.compareAndSet(false, true)) {
            server.loop().execute(() -> {
                changeQueued.set(false);
                nextPoll = 0;
            });
        }
    }

    /** Sends what the follower has found, one bounded chunk at a time, only once the previous one is out. */
    private void pump(long now) {
        if (!out.isEmpty() || closed) {
            return;
        }
        ByteBuffer scratch = server.scratch();
        scratch.clear();
        boolean got;
        try {
            got = follower.poll(scratch);
        } catch (IOException e) {
            close();
            return;
        }
        if (!got) {
            nextPoll = now + server.limits().followPoll().toNanos();
            return;
        }
        scratch.flip();
        byte[] data = new byte[scratch.remaining()];
        scratch.get(data);
        if (chunked) {
            out.add(ByteBuffer.wrap(HttpWire.chunkHead(data.length)));
            out.add(ByteBuffer.wrap(data));
            out.add(ByteBuffer.wrap(HttpWire.CRLF));
        } else {
            out.add(ByteBuffer.wrap(data));
        }
        nextPoll = now; // more may be there: look again on the next turn of the loop
        flush(now);
    }

    // ---- writing --------------------------------------------------------------------------------

    void onWritable(long now) {
        flush(now);
    }

    private void flush(long now) {
        if (closed) {
            return;
        }
        try {
            while (!out.isEmpty()) {
                long n = channel.write(out.toArray(ByteBuffer[]::new));
                while (!out.isEmpty() && !out.peek().hasRemaining()) {
                    out.poll();
                }
                if (n == 0) {
                    break;
                }
                writeStalledSince = now;
            }
        } catch (IOException e) {
            close();
            return;
        }
        if (!out.isEmpty()) {
            if (writeStalledSince == 0) {
                writeStalledSince = now;
            }
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
            return;
        }
        writeStalledSince = 0;
        key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
        lastActivity = now;
        if (closeAfterWrite) {
            closeAfterWrite = false;
            if (inputEof) {
                close();
            } else {
                linger(now);
            }
        } else if (phase == Phase.HEAD) {
            interest(true);
            parse(now); // a pipelined request may be waiting in the buffer
        }
    }

    /**
     * Closing with unread request bytes makes the kernel reset the connection, which can destroy the answer before
     * the client reads it; so end our side, drain what the client still sends (bounded in bytes and time), close.
     */
    private void linger(long now) {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            close();
            return;
        }
        phase = Phase.LINGER;
        phaseStart = now;
        lingered = 0;
        interest(true);
    }

    private void interest(boolean read) {
        if (closed) {
            return;
        }
        int ops = key.interestOps();
        key.interestOps(read ? ops | SelectionKey.OP_READ : ops & ~SelectionKey.OP_READ);
    }

    // ---- deadlines ------------------------------------------------------------------------------

    /** Acts on an expired deadline; returns the next one (System.nanoTime), or Long.MAX_VALUE. */
    long tick(long now) {
        if (closed) {
            return Long.MAX_VALUE;
        }
        Limits l = server.limits();
        if (!out.isEmpty() && writeStalledSince != 0) {
            long d = writeStalledSince + l.writeTimeout().toNanos();
            if (now >= d) {
                server.refused(this, "closed a connection whose client stopped reading for "
                        + l.writeTimeout().toSeconds() + " s", "write");
                close();
                return Long.MAX_VALUE;
            }
            return d;
        }
        switch (phase) {
            case HEAD -> {
                if (inLen == 0 && phaseStart == 0) {
                    long d = lastActivity + l.idleTimeout().toNanos();
                    if (now >= d) {
                        close();
                        return Long.MAX_VALUE;
                    }
                    return d;
                }
                long d = phaseStart + l.headTimeout().toNanos();
                if (now >= d) {
                    refuse(null, 408, "request head not complete within " + l.headTimeout().toSeconds() + " s",
                            "408");
                    return tick(now);
                }
                return d;
            }
            case BODY -> {
                long d = phaseStart + l.bodyTimeout().toNanos();
                if (now >= d) {
                    refuse(head, 408, "request body not complete within " + l.bodyTimeout().toSeconds() + " s",
                            "408");
                    return tick(now);
                }
                return d;
            }
            case LINGER -> {
                long d = phaseStart + l.lingerTimeout().toNanos();
                if (phaseStart != 0 && now >= d) {
                    close();
                    return Long.MAX_VALUE;
                }
                return phaseStart == 0 ? Long.MAX_VALUE : d;
            }
            case STREAM -> {
                if (now >= nextPoll) {
                    pump(now);
                }
                return closed ? Long.MAX_VALUE : out.isEmpty() ? nextPoll : Long.MAX_VALUE;
            }
            default -> {
                return Long.MAX_VALUE;
            }
        }
    }

    // ---- closing --------------------------------------------------------------------------------

    private void releaseBody() {
        if (budgetHeld > 0) {
            server.releaseBody(budgetHeld);
            budgetHeld = 0;
        }
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        current = null;
        releaseBody();
        if (follower != null) {
            followerWatch.close();
            followerWatch = null;
            follower.close();
            follower = null;
        }
        out.clear();
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        server.closed(this);
    }
}
