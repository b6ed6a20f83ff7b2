package dev.radial.spoke.rpc;

import dev.radial.common.states.ProcessState;
import dev.radial.spoke.engine.Engine;
import dev.radial.spoke.process.Subprocess;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * supervisord's NOT_DONE_YET callbacks as futures: a check runs after every state change of its process
 * and completes the future once it has an answer. Lives on the engine thread.
 */
final class Deferred implements Engine.StateListener {
    /** Returns null while not done, a value when done, or throws a fault. */
    interface Check {
        Object check() throws Exception;
    }

    private record Pending(Subprocess process, Check check, CompletableFuture<Object> future) {
    }

    private final List<Pending> pending = new ArrayList<>();

    CompletableFuture<Object> await(Subprocess p, Check check) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        if (!evaluate(new Pending(p, check, f))) {
            pending.add(new Pending(p, check, f));
        }
        return f;
    }

    private boolean evaluate(Pending w) {
        try {
            Object v = w.check().check();
            if (v != null) {
                w.future().complete(v);
                return true;
            }
            return false;
        } catch (Exception e) {
            w.future().completeExceptionally(e);
            return true;
        }
    }

    @Override
    public void changed(Subprocess p, ProcessState from, ProcessState to, boolean expected) {
        if (pending.isEmpty()) {
            return;
        }
        pending.removeIf(w -> w.process() == p && evaluate(w));
    }
}
