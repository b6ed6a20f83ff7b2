package dev.radial.bench;

/**
 * How big each scenario is: the sizes, or tiny ones for the CI smoke run. {@code settleMillis}: how long
 * an idle daemon is left before memory and idle CPU are measured; 10 s at full size, past the spoke's start-up
 * transient (the JIT's scratch memory goes back to malloc on HotSpot's 5 s cycle and the engine trims the C heap
 * after 6 s of quiet: docs/benchmarks.md).
 */
record Sizes(int rounds, int spawn, long logBytes, int respawnsOurs, int respawnsSupervisord, int idlePrograms,
        int idleSeconds, int settleMillis, int statusRuns, int pushes, int loopSeconds) {
    static final Sizes FULL = new Sizes(3, 300, 1L << 30, 200, 20, 100, 30, 10000, 10, 5, 10);
    static final Sizes SMOKE = new Sizes(1, 10, 4L << 20, 5, 2, 5, 1, 200, 2, 1, 2);
}
