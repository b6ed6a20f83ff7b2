package dev.radial.spoke.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A complete answer: status, content type, body and extra headers (in order). */
public record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
    public Response {
        headers = headers == null ? Map.of() : headers;
    }

    public static Response text(int status, String message) {
        return new Response(status, "text/plain", message.getBytes(StandardCharsets.UTF_8), null);
    }
}
