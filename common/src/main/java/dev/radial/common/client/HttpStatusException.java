package dev.radial.common.client;

import java.io.IOException;

/** The server answered with an HTTP status other than 200 (Python's xmlrpclib.ProtocolError). */
public final class HttpStatusException extends IOException {
    private final int status;
    private final String reason;

    public HttpStatusException(String url, int status, String reason) {
        super("<ProtocolError for " + url + ": " + status + " " + reason + ">");
        this.status = status;
        this.reason = reason;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }
}
