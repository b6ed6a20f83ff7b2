package dev.radial.spoke.http;

import java.time.Duration;

/**
 * Every bound of the HTTP server. A client that exceeds one is answered (413, 431, 408, 503) or closed, and the
 * refusal is logged; nothing a client does can grow the server past these.
 *
 * @param maxConnections open connections at once; at the cap an idle connection (or the oldest log follower) is
 *                       evicted so a new client is still served
 * @param maxHead        bytes of a request line plus headers (431 beyond)
 * @param maxBody        bytes of one request body (413 before the body is read)
 * @param bodyBudget     bytes of request bodies buffered across all connections at once (503 beyond)
 * @param headTimeout    from a request's first byte to the end of its head (408: slowloris)
 * @param bodyTimeout    from the end of the head to the end of the body (408)
 * @param idleTimeout    a keep-alive connection with no request in progress
 * @param writeTimeout   pending output that makes no progress (a client that stopped reading)
 * @param lingerTimeout  after an error answer, how long unread request bytes are drained before closing
 * @param followPoll     how often a log follower looks at its file unprompted: the spoke's own writes wake it at
 *                       once ({@link dev.radial.spoke.logging.FileChanges}), so this only bounds the delay for a
 *                       writer outside the spoke (supervisord's loop looks once a second)
 */
public record Limits(int maxConnections, int maxHead, int maxBody, long bodyBudget, Duration headTimeout,
        Duration bodyTimeout, Duration idleTimeout, Duration writeTimeout, Duration lingerTimeout,
        Duration followPoll) {
    public static Limits defaults() {
        return new Limits(128, 16 * 1024, 2 * 1024 * 1024, 32L * 1024 * 1024, Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(120), Duration.ofSeconds(120), Duration.ofSeconds(2),
                Duration.ofSeconds(1));
    }

    public Limits withMaxConnections(int n) {
        return new Limits(n, maxHead, maxBody, bodyBudget, headTimeout, bodyTimeout, idleTimeout, writeTimeout,
                lingerTimeout, followPoll);
    }

    public Limits withTimeouts(Duration head, Duration body, Duration idle, Duration write) {
        return new Limits(maxConnections, maxHead, maxBody, bodyBudget, head, body, idle, write, lingerTimeout,
                followPoll);
    }

    public Limits withFollowPoll(Duration poll) {
        return new Limits(maxConnections, maxHead, maxBody, bodyBudget, headTimeout, bodyTimeout, idleTimeout,
                writeTimeout, lingerTimeout, poll);
    }
}
