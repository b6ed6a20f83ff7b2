package dev.radial.spoke.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Signal dispositions the spoke inherited. HotSpot will not install a handler for a shutdown signal (TERM,
 * INT, HUP) that was ignored when the JVM started: {@code sun.misc.Signal.handle} then quietly keeps it
 * ignored. A spoke started as a background job of a script (INT ignored) or under nohup (HUP ignored) must
 * still obey them, as supervisord does; so an ignored signal is reset to its default first.
 */
public final class SignalDispositions {
    private SignalDispositions() {
    }

    /** True if sig is currently SIG_IGN. */
    public static boolean ignored(int sig) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = arena.allocate(Layouts.SIGACTION);
            if (Native.LIBC.sigaction(sig, MemorySegment.NULL, old) != 0) {
                throw new IllegalArgumentException("sigaction(" + sig + "): " + Native.strerror(Native.errno()));
            }
            return old.get(java.lang.foreign.ValueLayout.ADDRESS, Layouts.SA_HANDLER).address() == 1L; // SIG_IGN
        }
    }

    /**
     * Resets sig to SIG_DFL if it is ignored (a handler the JVM installed is left alone). Returns true if it was
     * ignored. Call before installing a Java handler for it.
     */
    public static boolean unignore(int sig) {
        if (!ignored(sig)) {
            return false;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment act = arena.allocate(Layouts.SIGACTION); // zeroed: SIG_DFL, empty mask, no flags
            if (Native.LIBC.sigaction(sig, act, MemorySegment.NULL) != 0) {
                throw new IllegalArgumentException("sigaction(" + sig + "): " + Native.strerror(Native.errno()));
            }
            return true;
        }
    }
}
