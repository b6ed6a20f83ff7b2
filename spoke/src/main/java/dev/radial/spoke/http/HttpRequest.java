package dev.radial.spoke.http;

import java.util.Map;

/** One parsed HTTP request. Header names are lower case. */
public record HttpRequest(String method, String path, String version, Map<String, String> headers, byte[] body) {
    public boolean keepAlive() {
        String conn = headers.getOrDefault("connection", "").toLowerCase();
        if (version.equals("HTTP/1.0")) {
            return conn.contains("keep-alive");
        }
        return !conn.contains("close");
    }
}
