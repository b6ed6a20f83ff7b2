package dev.radial.spoke.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Binding glibc through the FFM API: downcall handles, errno captured by the call itself (never read later
 * from a thread-local the JVM may have clobbered), and the architecture the struct layouts are for.
 *
 * <p>Threading: handles are immutable and usable from any thread; the errno capture segment is per thread,
 * so {@link #errno()} is the errno of the calling thread's last capturing call.
 */
final class Ffm {
    /** The machines the struct layouts in {@link Layouts} are written for. */
    enum Arch {
        X86_64, AARCH64
    }

    static final Arch ARCH = arch(System.getProperty("os.arch"));
    static final Linker LINKER = Linker.nativeLinker();
    static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(java.lang.foreign.MemoryLayout.PathElement
            .groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final ThreadLocal<MemorySegment> STATE = ThreadLocal.withInitial(
            () -> Arena.ofAuto().allocate(CAPTURE));

    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    static final ValueLayout.OfLong LONG_UNALIGNED = ValueLayout.JAVA_LONG_UNALIGNED;
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT;
    static final ValueLayout PTR = ValueLayout.ADDRESS;

    private Ffm() {
    }

    static Arch arch(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64" -> Arch.X86_64;
            case "aarch64", "arm64" -> Arch.AARCH64;
            default -> throw new UnsupportedOperationException("the spoke's native layer has struct layouts for "
                    + "x86-64 and aarch64 Linux only, not " + osArch);
        };
    }

    /** A glibc function that sets errno: the handle takes the capture segment as its first argument. */
    static MethodHandle errnoCall(String name, FunctionDescriptor fd, Linker.Option... more) {
        Linker.Option[] opts = new Linker.Option[more.length + 1];
        opts[0] = CAPTURE_ERRNO;
        System.arraycopy(more, 0, opts, 1, more.length);
        return LINKER.downcallHandle(symbol(name), fd, opts);
    }

    /** A glibc function that reports errors in its return value (posix_spawn*) or cannot fail. */
    static MethodHandle call(String name, FunctionDescriptor fd, Linker.Option... opts) {
        return LINKER.downcallHandle(symbol(name), fd, opts);
    }

    static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsupportedOperationException(
                "glibc has no " + name + " (the spoke needs glibc 2.34 or later)"));
    }

    /** The calling thread's capture segment, passed as the first argument of an {@link #errnoCall}. */
    static MemorySegment state() {
        return STATE.get();
    }

    /** errno as the calling thread's last capturing call left it. */
    static int errno() {
        return (int) ERRNO.get(STATE.get(), 0L);
    }

    /** Wraps what a downcall may throw (nothing but linkage errors, which are bugs). */
    static RuntimeException fail(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }
}
