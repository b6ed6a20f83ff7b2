package dev.radial.spoke.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

/** Reads requests from and writes responses to one client connection (blocking, its own thread). */
public final class HttpConnection {
    static final int MAX_HEAD = 16 * 1024;
    static final int MAX_BODY = 2 * 1024 * 1024;

    /** The client sent something that is not HTTP, or too much of it. */
    static final class BadRequest extends IOException {
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final InputStream in;
    private final OutputStream out;
    private volatile long lastActivity = System.nanoTime();

    HttpConnection(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    long lastActivity() {
        return lastActivity;
    }

    void touch() {
        lastActivity = System.nanoTime();
    }

    /** The next request, or null at a clean end of stream. */
    HttpRequest read() throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        int prev = -1;
        int prev2 = -1;
        int prev3 = -1;
        // skip stray CRLFs between requests (supervisorctl's tail client sends one extra)
        while (true) {
            c = in.read();
            if (c < 0) {
                return null;
            }
            if (c != '\r' && c != '\n') {
                break;
            }
        }
        touch();
        head.append((char) c);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside the request head");
            }
            head.append((char) b);
            if (head.length() > MAX_HEAD) {
                throw new BadRequest(431, "request head over " + MAX_HEAD + " bytes");
            }
            if (b == '\n' && prev == '\r' && prev2 == '\n' && prev3 == '\r') {
                break;
            }
            if (b == '\n' && prev == '\n') {
                break;
            }
            prev3 = prev2;
            prev2 = prev;
            prev = b;
        }
        String[] lines = head.toString().split("\r?\n");
        String[] requestLine = lines[0].split(" ");
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
            throw new BadRequest(400, "bad request line");
        }
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(), lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body = new byte[0];
        String cl = headers.get("content-length");
        if (cl != null) {
            long len;
            try {
                len = Long.parseLong(cl);
            } catch (NumberFormatException e) {
                throw new BadRequest(400, "bad Content-Length");
            }
            if (len < 0) {
                throw new BadRequest(400, "bad Content-Length");
            }
            if (len > MAX_BODY) {
                throw new BadRequest(413, "request body over " + MAX_BODY + " bytes");
            }
            body = in.readNBytes((int) len);
            if (body.length < len) {
                throw new EOFException("connection closed inside the request body");
            }
        } else if (headers.containsKey("transfer-encoding")) {
            throw new BadRequest(411, "chunked request bodies are not supported; send Content-Length");
        }
        touch();
        return new HttpRequest(requestLine[0], requestLine[1], requestLine[2], headers, body);
    }

    /** Reads and discards what the client still sends, up to {@code limit} bytes or its end of stream. */
    void drain(long limit) throws IOException {
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while (total < limit && (n = in.read(buf)) >= 0) {
            total += n;
        }
    }

    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 411 -> "Length Required";
            case 413 -> "Request Entity Too Large";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            default -> "Error";
        };
    }

    public void respond(int status, String contentType, byte[] body, Map<String, String> extra, boolean close)
            throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        h.append("Server: Medusa/1.12\r\n");
        h.append("Date: ").append(DATE.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
        h.append("Content-Type: ").append(contentType).append("\r\n");
        h.append("Content-Length: ").append(body.length).append("\r\n");
        if (extra != null) {
            extra.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
        }
        if (close) {
            h.append("Connection: close\r\n");
        }
        h.append("\r\n");
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        touch();
    }

    /** Starts a chunked streaming response (logtail). */
    public void startChunked(String contentType, Map<String, String> extra) throws IOException {
        StringBuilder h = new StringBuilder("HTTP/1.1 200 OK\r\nServer: Medusa/1.12\r\n");
        h.append("Date: ").append(DATE.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
        h.append("Content-Type: ").append(contentType).append("\r\n");
        h.append("Transfer-Encoding: chunked\r\n");
        extra.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
        h.append("\r\n");
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    public void chunk(byte[] data, int len) throws IOException {
        if (len == 0) {
            return;
        }
        out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(data, 0, len);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        touch();
    }
}
