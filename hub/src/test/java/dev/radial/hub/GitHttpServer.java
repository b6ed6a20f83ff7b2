package dev.radial.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.radial.hub.web.HubHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * git's own smart-HTTP server ({@code git http-backend}, run as CGI per request) behind Basic auth, as a forge
 * serves a repository to a token: the transport the hub meets at GitHub, GitLab or Gitea, with the real git on the
 * far side. The accepted token can be changed while it runs (a rotation).
 */
final class GitHttpServer implements AutoCloseable {
    static {
        // the JDK reads its HTTP server's limits once per JVM, when the first server is made: make them the hub's
        // (HubHttp sets them as it loads), or every hub test after this one in the JVM runs without them
        try {
            Class.forName(HubHttp.class.getName(), true, GitHttpServer.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    private final HttpServer server;
    private final Path projectRoot;
    private final String user;
    private volatile String token;
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger served = new AtomicInteger();

    GitHttpServer(Path projectRoot, String user, String token) throws IOException {
        this.projectRoot = projectRoot;
        this.user = user;
        this.token = token;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base URL repositories are under: {@code http://127.0.0.1:PORT}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void acceptOnly(String newToken) {
        token = newToken;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + token)
                    .getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                refused.incrementAndGet();
                ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"git\"");
                ex.sendResponseHeaders(401, -1);
                return;
            }
            served.incrementAndGet();
            cgi(ex);
        }
    }

    private void cgi(HttpExchange ex) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("git", "http-backend");
        Map<String, String> env = pb.environment();
        env.put("GIT_PROJECT_ROOT", projectRoot.toString());
        env.put("GIT_HTTP_EXPORT_ALL", "1");
        env.put("REQUEST_METHOD", ex.getRequestMethod());
        env.put("PATH_INFO", ex.getRequestURI().getRawPath());
        env.put("QUERY_STRING", ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery());
        env.put("REMOTE_USER", user);
        env.put("REMOTE_ADDR", "127.0.0.1");
        putHeader(ex, env, "Content-Type", "CONTENT_TYPE");
        putHeader(ex, env, "Content-Encoding", "HTTP_CONTENT_ENCODING");
        putHeader(ex, env, "Git-Protocol", "GIT_PROTOCOL");
        Process p = pb.redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Thread feeder = Thread.ofVirtual().start(() -> {
            try (InputStream in = ex.getRequestBody(); OutputStream out = p.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // the backend stopped reading: its answer says why
            }
        });
        byte[] all = p.getInputStream().readAllBytes();
        try {
            feeder.join();
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int split = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        int skip = 4;
        if (split < 0) {
            split = indexOf(all, "\n\n".getBytes(StandardCharsets.ISO_8859_1));
            skip = 2;
        }
        if (split < 0) {
            ex.sendResponseHeaders(502, -1);
            return;
        }
        int status = 200;
        for (String line : new String(all, 0, split, StandardCharsets.ISO_8859_1).split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (name.equalsIgnoreCase("Status")) {
                status = Integer.parseInt(value.split(" ")[0]);
            } else {
                ex.getResponseHeaders().add(name, value);
            }
        }
        int bodyLength = all.length - split - skip;
        ex.sendResponseHeaders(status, bodyLength == 0 ? -1 : bodyLength);
        if (bodyLength > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(all, split + skip, bodyLength);
            }
        }
    }

    private static void putHeader(HttpExchange ex, Map<String, String> env, String header, String var) {
        String v = ex.getRequestHeaders().getFirst(header);
        if (v != null) {
            env.put(var, v);
        }
    }

    private static int indexOf(byte[] data, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= data.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
