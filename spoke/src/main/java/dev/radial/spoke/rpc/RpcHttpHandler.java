package dev.radial.spoke.rpc;

import dev.radial.common.xmlrpc.XmlRpc;
import dev.radial.common.xmlrpc.XmlRpcFault;
import dev.radial.spoke.http.Handler;
import dev.radial.spoke.http.HttpConnection;
import dev.radial.spoke.http.HttpRequest;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** The spoke's HTTP endpoints: POST /RPC2, GET /logtail/name[/channel], GET /mainlogtail. */
public final class RpcHttpHandler implements Handler {
    private final RpcDispatcher dispatcher;
    private final SupervisorRpc supervisor;

    public RpcHttpHandler(RpcDispatcher dispatcher, SupervisorRpc supervisor) {
        this.dispatcher = dispatcher;
        this.supervisor = supervisor;
    }

    @Override
    public boolean handle(HttpRequest req, HttpConnection conn) throws IOException {
        String path = req.path();
        if (path.startsWith("/RPC2")) {
            if (!req.method().equals("POST")) {
                return text(conn, 400, "XML-RPC requires POST\n", req);
            }
            XmlRpc.MethodCall call;
            try {
                call = XmlRpc.parseCall(req.body());
            } catch (XmlRpc.ParseException e) {
                return text(conn, 400, "bad XML-RPC request: " + e.getMessage() + "\n", req);
            }
            String body;
            try {
                body = dispatcher.execute(call);
            } catch (RuntimeException e) {
                return text(conn, 500, "internal error\n", req);
            }
            conn.respond(200, "text/xml", body.getBytes(StandardCharsets.UTF_8), null, !req.keepAlive());
            return true;
        }
        if (req.method().equals("GET") && path.startsWith("/logtail/")) {
            String rest = URLDecoder.decode(path.substring("/logtail/".length()), StandardCharsets.UTF_8);
            boolean stderr = false;
            if (rest.endsWith("/stderr")) {
                stderr = true;
                rest = rest.substring(0, rest.length() - 7);
            } else if (rest.endsWith("/stdout")) {
                rest = rest.substring(0, rest.length() - 7);
            }
            Path file;
            try {
                file = supervisor.logFile(rest, stderr);
            } catch (XmlRpcFault e) {
                return text(conn, 404, "Not Found\n", req);
            }
            return follow(conn, file, req);
        }
        if (req.method().equals("GET") && path.equals("/mainlogtail")) {
            return follow(conn, supervisor.mainLog(), req);
        }
        return text(conn, 404, "Not Found\n", req);
    }

    private static boolean text(HttpConnection conn, int status, String msg, HttpRequest req) throws IOException {
        conn.respond(status, "text/plain", msg.getBytes(StandardCharsets.UTF_8), null, status >= 400 || !req.keepAlive());
        return status < 400 && req.keepAlive();
    }

    /**
     * tail -f as supervisord's logtail handler: the last 1024 bytes, then whatever is appended, re-opening
     * when the file is replaced (rotation) and announcing truncation. Runs until the client disconnects.
     */
    private static boolean follow(HttpConnection conn, Path file, HttpRequest req) throws IOException {
        if (file == null || !Files.exists(file)) {
            return text(conn, 404, "Not Found\n", req);
        }
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.ofInstant(Files.getLastModifiedTime(file).toInstant(), ZoneOffset.UTC)));
        extra.put("X-Accel-Buffering", "no");
        conn.startChunked("text/plain;charset=utf-8", extra);
        byte[] buf = new byte[64 * 1024];
        RandomAccessFile f = new RandomAccessFile(file.toFile(), "r");
        Object inode = key(file);
        try {
            long pos = Math.max(0, f.length() - 1024);
            while (true) {
                long len = f.length();
                if (len < pos) {
                    byte[] msg = "==> File truncated <==\n".getBytes(StandardCharsets.UTF_8);
                    conn.chunk(msg, msg.length);
                    pos = 0;
                }
                if (len > pos) {
                    f.seek(pos);
                    int n = f.read(buf, 0, (int) Math.min(buf.length, len - pos));
                    if (n > 0) {
                        conn.chunk(buf, n);
                        pos += n;
                        continue;
                    }
                }
                Object now = Files.exists(file) ? key(file) : inode;
                if (!now.equals(inode)) {
                    f.close();
                    f = new RandomAccessFile(file.toFile(), "r");
                    inode = now;
                    pos = 0;
                    continue;
                }
                // following a growing file has no event to wait on here; a short sleep bounds the lag
                Thread.sleep(200);
                conn.chunk(new byte[0], 0);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            f.close();
        }
    }

    private static Object key(Path file) throws IOException {
        Object k = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        return k == null ? file.toString() : k;
    }
}
