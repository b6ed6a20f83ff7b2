package dev.radial.spoke.rpc;

import dev.radial.common.xmlrpc.Fault;
import dev.radial.common.xmlrpc.XmlRpcFault;
import dev.radial.spoke.engine.Engine;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Log file reads for RPC calls, off the engine thread: one worker thread that exists only while reads are queued
 * (it ends after {@value #KEEP_ALIVE_SECONDS} s without work), at most {@value #MAX_QUEUED} reads waiting (beyond:
 * a FAILED fault at once). The result is handed back ON the engine thread, like every future an RPC method returns
 * (multicall continues its chain there).
 */
final class LogReads {
    static final int MAX_QUEUED = 32;
    static final int KEEP_ALIVE_SECONDS = 10;

    private final Engine engine;
    private final ThreadPoolExecutor worker;

    LogReads(Engine engine) {
        this.engine = engine;
        this.worker = new ThreadPoolExecutor(1, 1, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(MAX_QUEUED), r -> {
                    Thread t = new Thread(r, "log-read");
                    t.setDaemon(true);
                    return t;
                });
        worker.allowCoreThreadTimeOut(true);
    }

    CompletableFuture<Object> read(Callable<Object> io) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        try {
            worker.execute(() -> {
                Object result;
                try {
                    result = io.call();
                } catch (Throwable t) {
                    engine.submit(() -> f.completeExceptionally(t));
                    return;
                }
                engine.submit(() -> f.complete(result));
            });
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new XmlRpcFault(Fault.FAILED, "too many log reads in progress"));
        }
        return f;
    }
}
