package dev.radial.spoke.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.radial.spoke.os.Native;
import java.lang.foreign.Arena;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The C-heap trim policy on an injected clock, and the real malloc_trim call. */
class HeapTrimTest {
    private static final long S = 1_000_000_000L;

    @Test
    void trimsOnceAfterAQuietSpellAndNeverWhileIdle() {
        AtomicInteger trims = new AtomicInteger();
        HeapTrim t = new HeapTrim(trims::incrementAndGet);
        assertEquals(-1, t.beforeWait(0), "nothing happened yet: no wake-up for it");
        t.activity(10 * S);
        assertEquals(6000, t.beforeWait(10 * S));
        assertEquals(1, t.beforeWait(16 * S - 1), "rounded up, never a busy wait");
        t.activity(12 * S); // more activity pushes it back
        assertEquals(4000, t.beforeWait(14 * S));
        assertEquals(0, trims.get());
        assertEquals(-1, t.beforeWait(18 * S));
        assertEquals(1, trims.get());
        assertEquals(-1, t.beforeWait(100 * S), "idle after the trim: nothing due");
        assertEquals(1, trims.get());
    }

    @Test
    void atMostOneTrimAMinute() {
        AtomicInteger trims = new AtomicInteger();
        HeapTrim t = new HeapTrim(trims::incrementAndGet);
        t.activity(0);
        t.beforeWait(6 * S);
        assertEquals(1, trims.get());
        t.activity(7 * S);
        assertEquals(59_000, t.beforeWait(7 * S), "the minute since the last trim, not the 6 s of quiet");
        t.beforeWait(65 * S);
        assertEquals(1, trims.get());
        t.beforeWait(66 * S);
        assertEquals(2, trims.get());
        t.activity(200 * S);
        assertEquals(6000, t.beforeWait(200 * S), "long after the last trim: the quiet spell alone");
    }

    @Test
    void mallocTrimReleasesFreedMemoryInTheMiddleOfAnArena() {
        // 64 MiB in 32 KiB blocks (below glibc's mmap threshold, so from an arena), every other one freed: the
        // arena cannot shrink from its top by itself, only malloc_trim gives those pages back
        Arena[] arenas = new Arena[2048];
        for (int i = 0; i < arenas.length; i++) {
            arenas[i] = Arena.ofConfined();
            arenas[i].allocate(32 * 1024).fill((byte) 1);
        }
        for (int i = 0; i < arenas.length; i += 2) {
            arenas[i].close();
        }
        assertEquals(1, Native.LIBC.mallocTrim());
        for (int i = 1; i < arenas.length; i += 2) {
            arenas[i].close();
        }
    }
}
