package dev.radial.common.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 connection to a supervisord (unix socket or TCP), kept alive across requests. Blocking and
 * single-threaded: {@link #close()} from another thread is how a caller aborts a request that takes too long.
 */
final class ClientConnection implements AutoCloseable {
    static final int MAX_HEAD = 64 * 1024;

    /** A response head; the body is read separately so that it can be streamed. */
    record Head(int status, String reason, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        boolean chunked() {
            String te = header("transfer-encoding");
            return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
        }

        boolean closes() {
            String c = header("connection");
            return c != null && c.equalsIgnoreCase("close");
        }
    }

    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;

    ClientConnection(ServerUrl url) throws IOException {
        channel = url.connect();
        in = new BufferedInputStream(Channels.newInputStream(channel), 16 * 1024);
        out = Channels.newOutputStream(channel);
    }

    void send(String head, byte[] body) throws IOException {
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        out.write(all);
        out.flush();
    }

    Head readHead() throws IOException {
        String statusLine = readLine();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP response: '" + statusLine + "'");
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: '" + statusLine + "'");
        }
        Map<String, String> headers = new TreeMap<>();
        int total = statusLine.length();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            total += line.length();
            if (total > MAX_HEAD) {
                throw new IOException("HTTP response head larger than " + MAX_HEAD + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        return new Head(status, parts.length > 2 ? parts[2] : "", headers);
    }

    /** The whole body of a response with Content-Length or chunked encoding, at most {@code limit} bytes. */
    byte[] readBody(Head head, int limit) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (head.chunked()) {
            byte[] chunk;
            while ((chunk = readChunk()) != null) {
                if (body.size() + chunk.length > limit) {
                    throw new IOException("HTTP response body larger than " + limit + " bytes");
                }
                body.write(chunk);
            }
            return body.toByteArray();
        }
        String len = head.header("content-length");
        if (len == null) {
            // no length: the body runs to the end of the connection
            byte[] buf = in.readNBytes(limit + 1);
            if (buf.length > limit) {
                throw new IOException("HTTP response body larger than " + limit + " bytes");
            }
            return buf;
        }
        long n;
        try {
            n = Long.parseLong(len.trim());
        } catch (NumberFormatException e) {
            throw new IOException("bad Content-Length '" + len + "'");
        }
        if (n > limit || n < 0) {
            throw new IOException("HTTP response body of " + n + " bytes exceeds " + limit);
        }
        byte[] buf = in.readNBytes((int) n);
        if (buf.length < n) {
            throw new EOFException("connection closed after " + buf.length + " of " + n + " body bytes");
        }
        return buf;
    }

    /** The next chunk of a chunked body, or null after the last one. */
    byte[] readChunk() throws IOException {
        String sizeLine = readLine();
        int semi = sizeLine.indexOf(';');
        String hex = (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim();
        int size;
        try {
            size = Integer.parseInt(hex, 16);
        } catch (NumberFormatException e) {
            throw new IOException("bad chunk size '" + sizeLine + "'");
        }
        if (size < 0 || size > 16 * 1024 * 1024) {
            throw new IOException("chunk of " + size + " bytes is too large");
        }
        if (size == 0) {
            while (!readLine().isEmpty()) {
                // trailers
            }
            return null;
        }
        byte[] data = in.readNBytes(size);
        if (data.length < size) {
            throw new EOFException("connection closed inside a chunk");
        }
        readLine();
        return data;
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException(sb.length() == 0 ? "connection closed by the server" : "connection closed mid-line");
            }
            if (c == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') {
                    sb.setLength(n - 1);
                }
                return sb.toString();
            }
            if (sb.length() >= MAX_HEAD) {
                throw new IOException("HTTP line longer than " + MAX_HEAD + " bytes");
            }
            sb.append((char) c);
        }
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }
}
