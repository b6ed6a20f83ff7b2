package dev.radial.spoke.engine;

/**
 * When the engine gives the C heap's free memory back to the kernel ({@code malloc_trim}): once the spoke has been
 * quiet for {@link #IDLE_NANOS} after some activity, and at most once per {@link #MIN_GAP_NANOS}.
 *
 * <p>Why: the JVM's JIT compiler takes its scratch memory from malloc (one C1 compilation of the JDK's class-file
 * generator at start-up used 6.3 MiB) and hands it back to malloc on a 5 s cycle (HotSpot's chunk pool cleaner);
 * glibc keeps such freed memory in its arenas, fragmented, for the life of the process: 6 MiB of anonymous memory
 * in an idle spoke with 100 programs (docs/benchmarks.md). Compilations follow activity, so the trim waits for a
 * quiet spell longer than that cycle. An idle spoke is not woken for it: nothing is due until something happens.
 *
 * <p>Threading: engine thread only (not thread-safe). The clock is passed in, so the policy is testable.
 */
final class HeapTrim {
    /** Quiet time before a trim: longer than HotSpot's 5 s chunk pool cleaning, so the compiler's memory is free. */
    static final long IDLE_NANOS = 6_000_000_000L;
    /** At most one trim a minute, however the activity comes and goes (a trim walks every arena: ~0.1-1 ms). */
    static final long MIN_GAP_NANOS = 60_000_000_000L;

    private final Runnable trim;
    private boolean pending;
    private long lastActivity;
    private boolean trimmed;
    private long lastTrim;

    HeapTrim(Runnable trim) {
        this.trim = trim;
    }

    /** Something happened (a command, an exit, output, a timer): a trim becomes due after the next quiet spell. */
    void activity(long nowNanos) {
        pending = true;
        lastActivity = nowNanos;
    }

    /**
     * Called before the loop waits: trims if due, and returns how long the wait may last for the next trim, in
     * milliseconds (rounded up), or -1 when none is pending.
     */
    int beforeWait(long nowNanos) {
        if (!pending) {
            return -1;
        }
        long due = lastActivity + IDLE_NANOS;
        if (trimmed && lastTrim + MIN_GAP_NANOS - due > 0) {
            due = lastTrim + MIN_GAP_NANOS;
        }
        long left = due - nowNanos;
        if (left <= 0) {
            pending = false;
            trimmed = true;
            lastTrim = nowNanos;
            trim.run();
            return -1;
        }
        return (int) Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000);
    }
}
