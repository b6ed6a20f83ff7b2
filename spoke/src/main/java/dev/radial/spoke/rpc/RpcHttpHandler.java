package dev.radial.spoke.rpc;

import dev.radial.common.xmlrpc.XmlRpc;
import dev.radial.common.xmlrpc.XmlRpcFault;
import dev.radial.spoke.engine.Engine;
import dev.radial.spoke.http.Exchange;
import dev.radial.spoke.http.HttpRequest;
import dev.radial.spoke.http.Response;
import dev.radial.spoke.http.Router;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;

/**
 * The spoke's HTTP endpoints: POST /RPC2, GET /logtail/name[/channel], GET /mainlogtail. Runs on the HTTP
 * server's selector thread and never blocks it: calls go to the engine ({@link RpcDispatcher}), and their results
 * are encoded back on the selector thread, so the engine thread does no XML work.
 */
public final class RpcHttpHandler {
    /** How much of a log a new follower gets first, as supervisord's tail_f_producer. */
    static final long FOLLOW_BACKLOG = 1024;

    private final Engine engine;
    private final RpcDispatcher dispatcher;
    private final SupervisorRpc supervisor;

    public RpcHttpHandler(Engine engine, RpcDispatcher dispatcher, SupervisorRpc supervisor) {
        this.engine = engine;
        this.dispatcher = dispatcher;
        this.supervisor = supervisor;
    }

    /** Registers the endpoints on {@code router} (other handlers, e.g. a web UI, may share it). */
    public Router routes(Router router) {
        return router.prefix("/RPC2", this::rpc).prefix("/logtail/", this::logtail)
                .exact("/mainlogtail", this::mainlogtail);
    }

    private void rpc(HttpRequest req, Exchange ex) {
        if (!req.method().equals("POST")) {
            ex.refuse(400, "XML-RPC requires POST");
            return;
        }
        XmlRpc.MethodCall call;
        try {
            call = XmlRpc.parseCall(req.body());
        } catch (XmlRpc.ParseException e) {
            ex.refuse(400, "bad XML-RPC request: " + e.getMessage());
            return;
        }
        dispatcher.call(call).whenCompleteAsync((value, error) -> {
            String xml;
            if (error == null) {
                try {
                    xml = XmlRpc.response(value);
                } catch (IllegalArgumentException e) {
                    ex.fail(call.method() + " returned what XML-RPC cannot encode: " + e.getMessage());
                    return;
                }
            } else {
                Throwable c = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                        : error;
                if (!(c instanceof XmlRpcFault f)) {
                    ex.fail(call.method() + " failed: " + c);
                    return;
                }
                xml = XmlRpc.fault(f.code(), f.faultString());
            }
            ex.respond(new Response(200, "text/xml", xml.getBytes(StandardCharsets.UTF_8), null));
        }, ex.loop());
    }

    /** supervisord's logtail_handler: GET /logtail/name or /logtail/group:name/stderr. */
    private void logtail(HttpRequest req, Exchange ex) {
        if (!req.method().equals("GET")) {
            ex.refuse(400, "log tails require GET");
            return;
        }
        String rest;
        try {
            rest = URLDecoder.decode(req.path().substring("/logtail/".length()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            ex.refuse(400, "bad escape in the path");
            return;
        }
        boolean stderr = rest.endsWith("/stderr");
        if (stderr || rest.endsWith("/stdout")) {
            rest = rest.substring(0, rest.length() - 7);
        }
        String name = rest;
        // the process table is the engine's: ask it there, then look at the file here
        engine.submit(() -> supervisor.logFile(name, stderr)).whenCompleteAsync((file, error) -> {
            if (error != null || file == null || !Files.exists(file)) {
                ex.respond(Response.text(404, "Not Found\n"));
            } else {
                ex.follow(file, FOLLOW_BACKLOG);
            }
        }, ex.loop());
    }

    private void mainlogtail(HttpRequest req, Exchange ex) {
        if (!req.method().equals("GET")) {
            ex.refuse(400, "log tails require GET");
            return;
        }
        Path file = supervisor.mainLog();
        if (file == null || !Files.exists(file)) {
            ex.respond(Response.text(404, "Not Found\n"));
        } else {
            ex.follow(file, FOLLOW_BACKLOG);
        }
    }
}
