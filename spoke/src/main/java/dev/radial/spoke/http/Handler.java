package dev.radial.spoke.http;

/**
 * Serves one request. Runs on the server's selector thread, so it must not block: it answers at once or hands the
 * work elsewhere (the engine, a worker) and answers later through {@link Exchange#respond} from any thread.
 */
@FunctionalInterface
public interface Handler {
    void handle(HttpRequest request, Exchange exchange);
}
