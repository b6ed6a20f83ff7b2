package dev.radial.spoke.http;

import java.io.IOException;

/** Serves one request on a connection; returns false to close the connection afterwards. */
@FunctionalInterface
public interface Handler {
    boolean handle(HttpRequest request, HttpConnection connection) throws IOException;
}
