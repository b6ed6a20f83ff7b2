package dev.radial.bench;

/**
 * The JVM's memory floor: a {@code main} that only sleeps, run by the bench with the spoke's JVM flags, so that
 * the spoke's own share of its footprint can be told from the JVM's.
 */
public final class Floor {
    private Floor() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
