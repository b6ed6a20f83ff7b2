package dev.radial.spoke.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Handlers by path: exact paths first, then the longest matching prefix; anything else is 404. Built before the
 * server starts, read-only afterwards.
 */
public final class Router implements Handler {
    private record Prefix(String prefix, Handler handler) {
    }

    private final Map<String, Handler> exact = new LinkedHashMap<>();
    private final List<Prefix> prefixes = new ArrayList<>();

    /** Serves exactly {@code path} (the query string is not part of the match). */
    public Router exact(String path, Handler h) {
        exact.put(path, h);
        return this;
    }

    /** Serves every path that starts with {@code prefix}. */
    public Router prefix(String prefix, Handler h) {
        prefixes.add(new Prefix(prefix, h));
        prefixes.sort((a, b) -> b.prefix().length() - a.prefix().length());
        return this;
    }

    @Override
    public void handle(HttpRequest request, Exchange exchange) {
        String path = request.path();
        int q = path.indexOf('?');
        Handler h = exact.get(q < 0 ? path : path.substring(0, q));
        if (h == null) {
            for (Prefix p : prefixes) {
                if (path.startsWith(p.prefix())) {
                    h = p.handler();
                    break;
                }
            }
        }
        if (h == null) {
            exchange.respond(Response.text(404, "Not Found\n"));
            return;
        }
        h.handle(request, exchange);
    }
}
