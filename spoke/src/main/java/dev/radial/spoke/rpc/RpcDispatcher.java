package dev.radial.spoke.rpc;

import dev.radial.common.xmlrpc.Fault;
import dev.radial.common.xmlrpc.XmlRpc;
import dev.radial.common.xmlrpc.XmlRpcFault;
import dev.radial.spoke.engine.Engine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Routes XML-RPC calls to methods (the system.* namespace lives here). Calls run on the engine thread; nobody
 * waits for them: the answer is a future (encoded to XML by {@link RpcHttpHandler}, off the engine thread).
 */
public final class RpcDispatcher {
    private final Engine engine;
    private final Map<String, RpcMethod> methods = new TreeMap<>();

    public RpcDispatcher(Engine engine, SupervisorRpc supervisor) {
        this.engine = engine;
        supervisor.register(methods);
        methods.put("system.listMethods", new RpcMethod("system.listMethods", 0, 0,
                // exactly supervisord's 41 names: extensions (radial.*) are callable but not listed
                a -> new ArrayList<Object>(methods.keySet().stream().filter(n -> !n.startsWith("radial.")).toList()),
                List.of("array"), "Return an array listing the available method names"));
        methods.put("system.methodHelp", new RpcMethod("system.methodHelp", 1, 1, a -> {
            RpcMethod m = methods.get(Args.string(a, 0));
            if (m == null) {
                throw new XmlRpcFault(Fault.SIGNATURE_UNSUPPORTED);
            }
            return MethodHelp.of(m.name(), m.help());
        }, List.of("string", "string"), "Return a string showing the method's documentation"));
        methods.put("system.methodSignature", new RpcMethod("system.methodSignature", 1, 1, a -> {
            RpcMethod m = methods.get(Args.string(a, 0));
            if (m == null) {
                throw new XmlRpcFault(Fault.SIGNATURE_UNSUPPORTED);
            }
            return new ArrayList<Object>(m.signature());
        }, List.of("array", "string"), "Return an array describing the method signature"));
        methods.put("system.multicall", new RpcMethod("system.multicall", 1, 1, this::multicall,
                List.of("array", "array"), "Process an array of calls, and return an array of results."));
    }

    /**
     * Runs one call on the engine thread; the future completes (on the engine thread) with the result or fails
     * with its {@link XmlRpcFault}. Any thread.
     */
    public CompletableFuture<Object> call(XmlRpc.MethodCall call) {
        return invoke(call.method(), call.params());
    }

    CompletableFuture<Object> invoke(String name, List<Object> params) {
        // "_"-prefixed names are never callable (CVE-2017-11610); only "ns.method" is
        RpcMethod m = methods.get(name);
        if (m == null || name.startsWith("_") || name.contains("._")) {
            return CompletableFuture.failedFuture(new XmlRpcFault(Fault.UNKNOWN_METHOD));
        }
        if (params.size() < m.minArgs() || params.size() > m.maxArgs()) {
            return CompletableFuture.failedFuture(new XmlRpcFault(Fault.INCORRECT_PARAMETERS));
        }
        return engine.submitAsync(() -> {
            Object r = m.impl().call(params);
            if (r instanceof CompletableFuture<?> f) {
                return f.thenApply(x -> (Object) x);
            }
            return CompletableFuture.completedFuture(r);
        });
    }

    /** supervisord's multicall: results are NOT wrapped in one-element arrays; faults become structs. */
    private Object multicall(List<Object> args) throws XmlRpcFault {
        if (!(args.get(0) instanceof List<?> calls)) {
            throw new XmlRpcFault(Fault.INCORRECT_PARAMETERS);
        }
        List<CompletableFuture<Object>> results = new ArrayList<>();
        CompletableFuture<Object> chain = CompletableFuture.completedFuture(null);
        for (Object c : calls) {
            CompletableFuture<Object> slot = new CompletableFuture<>();
            results.add(slot);
            chain = chain.thenCompose(x -> one(c).handle((v, e) -> {
                slot.complete(e == null ? v : faultStruct(e));
                return null;
            }));
        }
        return chain.thenApply(x -> (Object) results.stream().map(CompletableFuture::join).toList());
    }

    private CompletableFuture<Object> one(Object call) {
        if (call instanceof Map<?, ?> m && m.get("methodName") == null) {
            return CompletableFuture.failedFuture(new XmlRpcFault(Fault.INCORRECT_PARAMETERS, "No methodName"));
        }
        if (!(call instanceof Map<?, ?> m) || !(m.get("methodName") instanceof String name)) {
            return CompletableFuture.failedFuture(new XmlRpcFault(Fault.INCORRECT_PARAMETERS));
        }
        if (name.equals("system.multicall")) {
            return CompletableFuture.failedFuture(new XmlRpcFault(Fault.INCORRECT_PARAMETERS, "Recursive system.multicall forbidden"));
        }
        Object params = m.get("params");
        if (m.containsKey("params") && params == null) {
            // supervisord calls func(*None): a TypeError, INCORRECT_PARAMETERS
            return CompletableFuture.failedFuture(new XmlRpcFault(Fault.INCORRECT_PARAMETERS));
        }
        List<Object> p = params instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
        // runs on the engine thread already: call the implementation directly
        RpcMethod method = methods.get(name);
        if (method == null) {
            return CompletableFuture.failedFuture(new XmlRpcFault(Fault.UNKNOWN_METHOD));
        }
        if (p.size() < method.minArgs() || p.size() > method.maxArgs()) {
            return CompletableFuture.failedFuture(new XmlRpcFault(Fault.INCORRECT_PARAMETERS));
        }
        try {
            Object r = method.impl().call(p);
            return r instanceof CompletableFuture<?> f ? f.thenApply(x -> (Object) x) : CompletableFuture.completedFuture(r);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Map<String, Object> faultStruct(Throwable e) {
        Throwable c = e instanceof CompletionException ? e.getCause() : e;
        Map<String, Object> m = new LinkedHashMap<>();
        if (c instanceof XmlRpcFault f) {
            m.put("faultCode", f.code());
            m.put("faultString", f.faultString());
        } else {
            m.put("faultCode", Fault.FAILED.code());
            m.put("faultString", "FAILED: " + c);
        }
        return m;
    }
}
