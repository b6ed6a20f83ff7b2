package dev.radial.common.config;

import java.time.Duration;
import java.util.Locale;

/**
 * A health probe of a {@code [program:x]} (our extension, the {@code readiness_*} and {@code liveness_*} keys),
 * with Kubernetes' semantics: the first attempt {@code initialDelay} after the process became RUNNING, then one
 * every {@code period}; an attempt that has not succeeded within {@code timeout} failed; {@code successThreshold}
 * consecutive successes make it healthy, {@code failureThreshold} consecutive failures unhealthy.
 *
 * @param check            what one attempt does
 * @param initialDelay     from RUNNING to the first attempt
 * @param period           from the start of one attempt to the start of the next (never two at once)
 * @param timeout          how long one attempt may take, more than 0
 * @param successThreshold consecutive successes to become healthy, at least 1 (exactly 1 for liveness)
 * @param failureThreshold consecutive failures to become unhealthy, at least 1
 */
public record Probe(Check check, Duration initialDelay, Duration period, Duration timeout, int successThreshold,
        int failureThreshold) {
    /** Kubernetes' defaults: no initial delay, every 10 s, 1 s timeout, 1 success, 3 failures. */
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    /** Which of a program's two probes. */
    public enum Kind {
        /** Whether the program is ready for work: {@code health}, {@code depends_on=x:healthy}. */
        READINESS,
        /** Whether the program still works: failing it restarts the program. */
        LIVENESS;

        /** The key prefix and the word in messages: {@code readiness}, {@code liveness}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What one attempt does. */
    public sealed interface Check {
        /** The key's value as written back (status, logs). */
        String describe();
    }

    /** {@code *_command=}: run by {@code /bin/sh -c}; exit status 0 is a success. Output is discarded. */
    public record Command(String command) implements Check {
        public Command {
            if (command.isBlank()) {
                throw new IllegalArgumentException("the command is empty");
            }
        }

        @Override
        public String describe() {
            return "command " + command;
        }
    }

    /** {@code *_http=http://host:port/path}: a GET answered with a status of 200 to 399 is a success. */
    public record HttpGet(String host, int port, String path) implements Check {
        @Override
        public String describe() {
            return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + path;
        }
    }

    /** {@code *_tcp=[host:]port}: a TCP connection accepted is a success. */
    public record TcpConnect(String host, int port) implements Check {
        @Override
        public String describe() {
            return "tcp " + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    public Probe {
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("the period must be more than 0");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("the timeout must be more than 0");
        }
        if (successThreshold < 1 || failureThreshold < 1) {
            throw new IllegalArgumentException("thresholds must be at least 1");
        }
    }

    /** {@code http://host[:port][/path]}; the host is a name, an IPv4 address or a bracketed IPv6 address. */
    public static HttpGet parseHttp(String v) {
        String s = v.strip();
        if (s.regionMatches(true, 0, "https://", 0, 8)) {
            throw new IllegalArgumentException("'" + v + "': https is not supported (probe the plain HTTP port, "
                    + "or use a command such as curl -fsS https://...)");
        }
        if (!s.regionMatches(true, 0, "http://", 0, 7)) {
            throw new IllegalArgumentException("'" + v + "' is not an http:// URL");
        }
        String rest = s.substring(7);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "/" : rest.substring(slash);
        if (authority.contains("@")) {
            throw new IllegalArgumentException("'" + v + "': credentials in the URL are not supported");
        }
        if (path.chars().anyMatch(c -> c <= ' ' || c == 127)) {
            throw new IllegalArgumentException("'" + v + "': the path contains a space or a control character");
        }
        TcpConnect hp = hostPort(authority, 80, v);
        return new HttpGet(hp.host(), hp.port(), path);
    }

    /** {@code port}, {@code host:port} or {@code [v6]:port}; a port alone is on 127.0.0.1. */
    public static TcpConnect parseTcp(String v) {
        String s = v.strip();
        if (s.matches("[0-9]+")) {
            return new TcpConnect("127.0.0.1", port(s, v));
        }
        if (!s.contains(":") || s.endsWith(":")) {
            throw new IllegalArgumentException("'" + v + "' is not PORT or HOST:PORT");
        }
        return hostPort(s, -1, v);
    }

    private static TcpConnect hostPort(String authority, int defaultPort, String v) {
        String host;
        String portText;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + v + "': unclosed [ in the host");
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                throw new IllegalArgumentException("'" + v + "': expected :PORT after ]");
            }
            portText = after.isEmpty() ? null : after.substring(1);
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
            if (host.contains(":")) {
                throw new IllegalArgumentException("'" + v + "': write an IPv6 address in brackets, [::1]:80");
            }
        }
        if (host.isEmpty() || !host.matches("[A-Za-z0-9._:%-]+")) {
            throw new IllegalArgumentException("'" + v + "' names no valid host");
        }
        if (portText == null) {
            if (defaultPort < 0) {
                throw new IllegalArgumentException("'" + v + "' has no port");
            }
            return new TcpConnect(host, defaultPort);
        }
        return new TcpConnect(host, port(portText, v));
    }

    private static int port(String s, String v) {
        if (!s.matches("[0-9]{1,5}") || Integer.parseInt(s) < 1 || Integer.parseInt(s) > 65535) {
            throw new IllegalArgumentException("'" + v + "': the port must be 1 to 65535");
        }
        return Integer.parseInt(s);
    }
}
