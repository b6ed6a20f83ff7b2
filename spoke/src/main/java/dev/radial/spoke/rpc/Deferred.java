package dev.radial.spoke.rpc;

import dev.radial.common.states.ProcessState;
import dev.radial.spoke.engine.Engine;
import dev.radial.spoke.process.Subprocess;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * supervisord's NOT_DONE_YET callbacks as futures: a check runs after every state change of its process
 * and completes the future once it has an answer. Lives on the engine thread.
 *
 * <p>A future completed from a state change is completed later, by {@code later} (the engine's command queue), never
 * inside the listener call: what depends on it (the next call of a multicall: the start after a stop) must not run
 * in the middle of the state machine's transition, where that start ended as ABNORMAL_TERMINATION.
 */
final class Deferred implements Engine.StateListener {
    /** Returns null while not done, a value when done, or throws a fault. */
    interface Check {
        Object check() throws Exception;
    }

    private record Pending(Subprocess process, Check check, CompletableFuture<Object> future) {
    }

    private final List<Pending> pending = new ArrayList<>();
    private final Executor later;

    Deferred(Executor later) {
        this.later = later;
    }

    CompletableFuture<Object> await(Subprocess p, Check check) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        if (!evaluate(new Pending(p, check, f))) {
            pending.add(new Pending(p, check, f));
        }
        return f;
    }

    private boolean evaluate(Pending w) {
        Runnable done = outcome(w);
        if (done == null) {
            return false;
        }
        done.run();
        return true;
    }

    /** What completes the future once the check has an answer; null while it has none. */
    private static Runnable outcome(Pending w) {
        try {
            Object v = w.check().check();
            return v == null ? null : () -> w.future().complete(v);
        } catch (Exception e) {
            return () -> w.future().completeExceptionally(e);
        }
    }

    @Override
    public void changed(Subprocess p, ProcessState from, ProcessState to, boolean expected) {
        if (pending.isEmpty()) {
            return;
        }
        List<Runnable> ready = new ArrayList<>();
        pending.removeIf(w -> {
            if (w.process() != p) {
                return false;
            }
            Runnable done = outcome(w);
            if (done != null) {
                ready.add(done);
            }
            return done != null;
        });
        ready.forEach(later::execute);
    }
}
