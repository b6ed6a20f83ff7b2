package dev.radial.spoke.http;

import java.util.Map;

/**
 * One parsed HTTP request. Header names are lower case; {@code version} is "HTTP/1.0" or "HTTP/1.1" and the answer
 * carries the same version, as medusa does.
 */
public record HttpRequest(String method, String path, String version, Map<String, String> headers, byte[] body) {
    public boolean http10() {
        return version.equals("HTTP/1.0");
    }

    /** medusa's rule: HTTP/1.0 keeps the connection only on "Connection: keep-alive", HTTP/1.1 unless "close". */
    public boolean keepAlive() {
        String conn = headers.getOrDefault("connection", "").toLowerCase();
        if (http10()) {
            return conn.equals("keep-alive");
        }
        return !conn.equals("close");
    }

    HttpRequest withBody(byte[] b) {
        return new HttpRequest(method, path, version, headers, b);
    }
}
