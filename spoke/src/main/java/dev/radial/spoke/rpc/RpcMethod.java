package dev.radial.spoke.rpc;

import java.util.List;

/**
 * One XML-RPC method: its arity and implementation. The implementation runs on the engine thread and
 * returns a value or a CompletableFuture (deferred, like supervisord's NOT_DONE_YET callbacks) that
 * completes on the engine thread too.
 *
 * @param signature supervisord's methodSignature: return type, then parameter types
 */
record RpcMethod(String name, int minArgs, int maxArgs, Impl impl, List<String> signature, String help) {
    @FunctionalInterface
    interface Impl {
        Object call(List<Object> args) throws Exception;
    }
}
