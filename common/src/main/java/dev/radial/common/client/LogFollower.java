package dev.radial.common.client;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One {@code GET /logtail/...} stream, sent as supervisorctl's own tail client sends it (empty Host over a unix
 * socket, "Accept-Encoding: chunked", Authorization only with a non-empty password). {@link #run()} blocks
 * until the stream ends; {@link #close()} from another thread (Ctrl-C) ends it.
 */
public final class LogFollower implements AutoCloseable {
    private final ServerUrl url;
    private final String path;
    private final String username;
    private final String password;
    private final OutputStream sink;
    private volatile ClientConnection connection;
    private volatile boolean closed;

    LogFollower(ServerUrl url, String path, String username, String password, OutputStream sink) {
        this.url = url;
        this.path = path;
        this.username = username;
        this.password = password;
        this.sink = sink;
    }

    /**
     * Follows until the server ends the body or {@link #close()} is called.
     *
     * @throws HttpStatusException the server refused (404 unknown process or no log file, 401 credentials)
     */
    public void run() throws IOException {
        StringBuilder head = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(url.isUnix() ? "" : url.host() + ":" + url.port()).append("\r\n")
                .append("Accept-Encoding: chunked\r\n")
                .append("Accept: */*\r\n")
                .append("User-agent: Supervisor HTTP Client\r\n");
        if (password != null && !password.isEmpty()) {
            head.append("Authorization: Basic ").append(SupervisorClient.basic(username, password)).append("\r\n");
        }
        head.append("\r\n");
        try (ClientConnection conn = new ClientConnection(url)) {
            connection = conn;
            if (closed) {
                return;
            }
            conn.send(head.toString(), new byte[0]);
            ClientConnection.Head h = conn.readHead();
            if (h.status() != 200) {
                throw new HttpStatusException(url + path, h.status(), h.reason());
            }
            if (h.chunked()) {
                byte[] chunk;
                while ((chunk = conn.readChunk()) != null) {
                    sink.write(chunk);
                    sink.flush();
                }
            } else {
                sink.write(conn.readBody(h, SupervisorClient.MAX_RESPONSE));
                sink.flush();
            }
        } catch (IOException e) {
            if (!closed) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        ClientConnection c = connection;
        if (c != null) {
            c.close();
        }
    }
}
