package dev.radial.spoke.engine;

import dev.radial.spoke.process.Subprocess;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * The engine's deadlines on the monotonic clock of {@code ProcessHost.nanoTime}: a process's next transition
 * (startsecs, stopwaitsecs, backoff) or an action (probe attempts). Due ones are taken in deadline order.
 *
 * <p>Threading: engine thread only.
 */
final class Timers {
    private record Timer(long deadline, Subprocess process, Runnable action) {
    }

    private final PriorityQueue<Timer> queue = new PriorityQueue<>(Comparator.comparingLong(Timer::deadline));

    void transition(Subprocess p, long deadlineNanos) {
        queue.add(new Timer(deadlineNanos, p, null));
    }

    void action(long deadlineNanos, Runnable action) {
        queue.add(new Timer(deadlineNanos, null, action));
    }

    /** Runs the due actions and hands the processes due for a transition to {@code due}; whether any was due. */
    boolean runDue(long nowNanos, Consumer<Subprocess> due) {
        boolean any = false;
        while (!queue.isEmpty() && queue.peek().deadline() <= nowNanos) {
            Timer t = queue.poll();
            any = true;
            if (t.action() != null) {
                t.action().run();
            } else {
                due.accept(t.process());
            }
        }
        return any;
    }

    /** Milliseconds until the next deadline, rounded up (never a busy wait before it), or -1 if none. */
    int millisToNext(long nowNanos) {
        if (queue.isEmpty()) {
            return -1;
        }
        long waitNanos = queue.peek().deadline() - nowNanos;
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, (waitNanos + 999_999) / 1_000_000));
    }
}
