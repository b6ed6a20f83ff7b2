package dev.radial.spoke.http;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

/** The bytes of HTTP: finding and parsing a request head, formatting response heads and chunks. Pure functions. */
final class HttpWire {
    private HttpWire() {
    }

    /** The client sent something that is not HTTP, or too much of it: answered with {@code status}, then closed. */
    static final class BadRequest extends Exception {
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** How many CR/LF bytes start at {@code from} (stray line ends between requests are skipped, as medusa does). */
    static int skipLineEnds(byte[] b, int from, int to) {
        int i = from;
        while (i < to && (b[i] == '\r' || b[i] == '\n')) {
            i++;
        }
        return i - from;
    }

    /** The index just past the head's terminating blank line (CRLFCRLF or LFLF) in b[from, to), or -1. */
    static int headEnd(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != '\n') {
                continue;
            }
            if (i + 1 < to && b[i + 1] == '\n') {
                return i + 2;
            }
            if (i + 2 < to && b[i + 1] == '\r' && b[i + 2] == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    /** Parses a head (request line and headers, without body); the body length is checked by the caller. */
    static HttpRequest parseHead(byte[] b, int from, int to) throws BadRequest {
        String head = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r?\n");
        String[] requestLine = lines[0].split(" ");
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.") || requestLine[0].isEmpty()
                || requestLine[1].isEmpty()) {
            throw new BadRequest(400, "bad request line");
        }
        String version = requestLine[2].equals("HTTP/1.0") ? "HTTP/1.0" : "HTTP/1.1";
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                String name = lines[i].substring(0, colon).trim().toLowerCase();
                String value = lines[i].substring(colon + 1).trim();
                // two Content-Lengths (or two Transfer-Encodings) frame one request two ways: refused, never
                // resolved by "the last one wins", so no proxy in front can be smuggled past
                if (headers.put(name, value) != null && (name.equals("content-length")
                        || name.equals("transfer-encoding"))) {
                    throw new BadRequest(400, "duplicate " + name + " header");
                }
            }
        }
        return new HttpRequest(requestLine[0], requestLine[1], version, Map.copyOf(headers), new byte[0]);
    }

    /** The declared body length: 0 without Content-Length; chunked request bodies are refused (411). */
    static long bodyLength(HttpRequest head) throws BadRequest {
        String cl = head.headers().get("content-length");
        if (head.headers().containsKey("transfer-encoding")) {
            // with or without a Content-Length beside it (an ambiguous framing): refused
            throw new BadRequest(cl == null ? 411 : 400, "chunked request bodies are not supported; send Content-Length");
        }
        if (cl == null) {
            return 0;
        }
        if (!cl.isEmpty() && cl.length() <= 18 && cl.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Long.parseLong(cl); // digits only: no sign, no overflow
        }
        throw new BadRequest(400, "bad Content-Length");
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 411 -> "Length Required";
            case 413 -> "Request Entity Too Large";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }

    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    /**
     * A response head as medusa writes it: the request's HTTP version in the status line; on HTTP/1.0 "Connection:
     * Keep-Alive" when the client asked to keep it and nothing otherwise (checked against supervisord 4.2.5); on
     * HTTP/1.1 "Connection: close" when the connection ends after it.
     *
     * @param length the Content-Length, or -1 for a streamed body (chunked on HTTP/1.1, raw until close on 1.0)
     */
    static byte[] head(String version, int status, String contentType, long length, Map<String, String> extra,
            boolean close) {
        StringBuilder h = new StringBuilder(256);
        h.append(version).append(' ').append(status).append(' ').append(reason(status)).append("\r\n");
        h.append("Server: Medusa/1.12\r\n");
        h.append("Date: ").append(DATE.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
        h.append("Content-Type: ").append(contentType).append("\r\n");
        if (length >= 0) {
            h.append("Content-Length: ").append(length).append("\r\n");
        } else if (!version.equals("HTTP/1.0")) {
            h.append("Transfer-Encoding: chunked\r\n");
        }
        extra.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
        if (version.equals("HTTP/1.0")) {
            if (!close) {
                h.append("Connection: Keep-Alive\r\n"); // closing is HTTP/1.0's default: medusa says nothing then
            }
        } else if (close) {
            h.append("Connection: close\r\n");
        }
        h.append("\r\n");
        return h.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] chunkHead(int len) {
        return (Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    static final byte[] CRLF = {'\r', '\n'};
}
