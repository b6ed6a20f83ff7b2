package dev.radial.spoke.web;

import dev.radial.common.xmlrpc.Fault;
import dev.radial.common.xmlrpc.XmlRpc;
import dev.radial.common.xmlrpc.XmlRpcFault;
import dev.radial.spoke.http.Exchange;
import dev.radial.spoke.http.HttpRequest;
import dev.radial.spoke.http.Response;
import dev.radial.spoke.http.Router;
import dev.radial.spoke.rpc.RpcDispatcher;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * supervisord's web UI on the same URLs: {@code /} and {@code /index.html} (status and actions, 301 back with a
 * message), {@code /tail.html}, plus our {@code /status.json} (the live view), {@code /stylesheets/},
 * {@code /scripts/} and {@code /images/}. Auth is the server's, decided before any handler. Handlers run on the
 * selector thread and never block: data and actions come from the engine through {@link RpcDispatcher} futures.
 *
 * <p>Cross-site requests: an action that changes state is refused (403) when the browser says the request came from
 * another site ({@code Sec-Fetch-Site} other than {@code same-origin}/{@code none}, or an {@code Origin} that is not
 * this host). Clients that send neither (curl, scripts, supervisord-era tools) keep supervisord's GET behaviour.
 */
public final class WebUi {
    private static final Map<String, String> STATIC = Map.of("/stylesheets/radial.css", "text/css",
            "/scripts/radial.js", "text/javascript", "/images/icon.svg", "image/svg+xml");
    private static final Map<String, String> NO_CACHE = Map.of("Pragma", "no-cache", "Cache-Control", "no-cache",
            "Expires", "Thu, 01 Jan 1970 00:00:00 GMT");

    private final RpcDispatcher rpc;
    private final Actions actions;
    private final Map<String, byte[]> files = new LinkedHashMap<>();

    public WebUi(RpcDispatcher rpc, Supplier<ZonedDateTime> clock) {
        this.rpc = rpc;
        this.actions = new Actions(rpc, clock);
        for (String p : STATIC.keySet()) {
            try (InputStream in = WebUi.class.getResourceAsStream(p.substring(p.lastIndexOf('/') + 1))) {
                if (in == null) {
                    throw new IllegalStateException("resource missing from the jar: " + p);
                }
                files.put(p, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Registers the pages on {@code router} (next to the RPC endpoints). */
    public Router routes(Router router) {
        router.exact("/", this::status).exact("/index.html", this::status).exact("/tail.html", this::tail)
                .exact("/status.json", this::json);
        for (String p : STATIC.keySet()) {
            router.exact(p, this::file);
        }
        return router;
    }

    private static boolean methodOk(HttpRequest req, Exchange ex) {
        if (req.method().equals("GET") || req.method().equals("POST")) {
            return true;
        }
        ex.respond(Response.text(404, "Not Found\n")); // supervisord's ui handler matches only GET and POST
        return false;
    }

    /** The query string, and for a form POST its body, as supervisord's continue_request: first value, blanks dropped. */
    static Map<String, String> form(HttpRequest req) {
        Map<String, String> form = new LinkedHashMap<>();
        int q = req.path().indexOf('?');
        if (q >= 0) {
            parse(req.path().substring(q + 1), form, false);
        }
        if (req.method().equals("POST") && req.body() != null) {
            parse(new String(req.body(), StandardCharsets.UTF_8), form, true);
        }
        return form;
    }

    private static void parse(String s, Map<String, String> form, boolean override) {
        for (String pair : s.split("[&;]")) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                continue;
            }
            try {
                String k = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (override) {
                    form.put(k, v);
                } else {
                    form.putIfAbsent(k, v);
                }
            } catch (IllegalArgumentException e) {
                // a malformed escape: Python's unquote keeps it; we drop the pair
            }
        }
    }

    private void status(HttpRequest req, Exchange ex) {
        if (!methodOk(req, ex)) {
            return;
        }
        Map<String, String> form = form(req);
        String action = form.get("action");
        if (action == null) {
            render(ex, form.get("message"));
            return;
        }
        if (!Actions.readOnly(action) && crossSite(req)) {
            ex.refuse(403, "cross-site request refused: actions must come from this server's own pages");
            return;
        }
        actions.run(form.get("processname"), action).whenCompleteAsync((message, e) -> {
            if (e != null) {
                ex.refuse(500, "unknown action");
                return;
            }
            Map<String, String> h = new LinkedHashMap<>(NO_CACHE);
            h.put("Location", serverUrl(req) + "/?message=" + Html.q(message));
            ex.respond(new Response(301, "text/html;charset=utf-8", new byte[0], h));
        }, ex.loop());
    }

    private void render(Exchange ex, String message) {
        CompletableFuture<Object> infos = call("supervisor.getAllProcessInfo");
        CompletableFuture<Object> ident = call("supervisor.getIdentification");
        infos.thenCombine(ident, (i, id) -> Pages.status(cast(i), message, String.valueOf(id)))
                .whenCompleteAsync((html, e) -> {
                    if (e != null) {
                        ex.respond(html(503, "<!DOCTYPE html><title>Supervisor</title><p>"
                                + Html.esc(fault(e).faultString()) + "</p>"));
                    } else {
                        ex.respond(html(200, html));
                    }
                }, ex.loop());
    }

    private void tail(HttpRequest req, Exchange ex) {
        if (!methodOk(req, ex)) {
            return;
        }
        Map<String, String> form = form(req);
        String name = form.get("processname");
        String l = form.getOrDefault("limit", "1024");
        // supervisord: min(-1024, -limit) when limit is digits, else -1024
        long lim = l.chars().allMatch(Character::isDigit) && !l.isEmpty() && l.length() < 10 ? Long.parseLong(l) : 1024;
        int limit = (int) Math.max(1024, Math.min(lim, Integer.MAX_VALUE));
        if (name == null) {
            ex.respond(html(200, Pages.tail(null, "No process name found", limit)));
            return;
        }
        call("supervisor.readProcessStdoutLog", name, -limit, 0).handle((text, e) -> {
            if (e == null) {
                return String.valueOf(text);
            }
            XmlRpcFault f = fault(e);
            return f.code() == Fault.NO_FILE.code() ? "No file for " + name
                    : "ERROR: unexpected rpc fault [" + f.code() + "] " + f.faultString();
        }).whenCompleteAsync((text, e) -> ex.respond(html(200, Pages.tail(name, text, limit))), ex.loop());
    }

    private void json(HttpRequest req, Exchange ex) {
        if (!req.method().equals("GET")) {
            ex.refuse(405, "status.json requires GET");
            return;
        }
        call("supervisor.getAllProcessInfo").whenCompleteAsync((v, e) -> {
            Object body = e == null ? Map.of("processes", v) : Map.of("error", fault(e).faultString());
            Map<String, String> h = new LinkedHashMap<>(NO_CACHE);
            ex.respond(new Response(e == null ? 200 : 503, "application/json",
                    Html.json(body).getBytes(StandardCharsets.UTF_8), h));
        }, ex.loop());
    }

    private void file(HttpRequest req, Exchange ex) {
        String p = req.path();
        int q = p.indexOf('?');
        p = q < 0 ? p : p.substring(0, q);
        ex.respond(new Response(200, STATIC.get(p), files.get(p), Map.of("Cache-Control", "max-age=3600")));
    }

    /**
     * True when a browser tells us the request was made by another site's page. {@code Sec-Fetch-Site} is sent by
     * every current browser on every request and cannot be set by a page; {@code Origin} covers older ones for
     * POSTs and fetches. A typed URL or bookmark is "none".
     */
    static boolean crossSite(HttpRequest req) {
        String site = req.headers().get("sec-fetch-site");
        if (site != null) {
            return !site.equals("same-origin") && !site.equals("none");
        }
        // no Sec-Fetch-Site (an older browser): the Origin's host must be ours; its scheme is not compared, since
        // behind a TLS-terminating proxy the page is https:// while this server sees plain HTTP
        String origin = req.headers().get("origin");
        String host = req.headers().get("host");
        if (origin == null) {
            return false;
        }
        int scheme = origin.indexOf("://");
        return host == null || scheme < 0 || !origin.substring(scheme + 3).equalsIgnoreCase(host.strip());
    }

    /** medusa's get_server_url: http://host[:port] from the Host header, :80 left out. */
    static String serverUrl(HttpRequest req) {
        String host = req.headers().getOrDefault("host", "localhost").strip();
        if (host.endsWith(":80")) {
            host = host.substring(0, host.length() - 3);
        }
        return "http://" + host;
    }

    private CompletableFuture<Object> call(String method, Object... params) {
        return rpc.call(new XmlRpc.MethodCall(method, List.of(params)));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> cast(Object o) {
        return (List<Map<String, Object>>) o;
    }

    private static XmlRpcFault fault(Throwable e) {
        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return c instanceof XmlRpcFault f ? f : new XmlRpcFault(Fault.FAILED, String.valueOf(c));
    }

    private static Response html(int status, String body) {
        return new Response(status, "text/html;charset=utf-8", body.getBytes(StandardCharsets.UTF_8), NO_CACHE);
    }
}
