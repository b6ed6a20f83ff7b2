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

    /**
     * The one downcall handle of every glibc function with fixed arguments: (function, errno capture, six longs) ->
     * long, called through {@link #call}. FFM spins a stub class and a family of lambda forms for each function
     * signature it links and keeps them for the process's life (an AOT cache does not archive them): with a handle
     * per signature the spoke had 24 stubs and 381 hidden classes, with this one 4 stubs and 142 hidden classes and
     * 1.8 MiB less anonymous memory (docs/benchmarks.md, "one downcall handle").
     *
     * <p>Why one signature fits every such function on the two ABIs the spoke runs on (SysV x86-64, AAPCS64): the
     * first six integer-class arguments (ints, longs, pointers) travel in registers, one each, whatever their C
     * type, so a pointer passed as its address and an int passed as a long (its low 32 bits, which is all the
     * callee reads) arrive where the callee looks; a callee with fewer parameters never reads the registers of the
     * unused ones (zero here); an int result is the low 32 bits of the returned register (callers cast). Variadic
     * functions ({@code fcntl}, {@code prctl}, {@code syscall}) keep handles of their own ({@link #errnoCall} with
     * {@code firstVariadicArg}): on x86-64 their callee reads {@code %al}, which only a variadic link sets.
     * Every call captures errno; the posix_spawn family, which returns its error number, ignores it.
     */
    private static final MethodHandle FIXED = LINKER.downcallHandle(
            FunctionDescriptor.of(LONG, LONG, LONG, LONG, LONG, LONG, LONG), CAPTURE_ERRNO);

    /** A glibc function with fixed arguments, to pass to {@link #call}. */
    static MemorySegment function(String name) {
        return symbol(name);
    }

    /**
     * Calls a function of {@link #function} with up to six integer or pointer arguments (pointers as {@link
     * #address}; unused ones 0) and returns its result as a long (cast an int result to int). errno is captured,
     * as with {@link #errnoCall}.
     */
    static long call(MemorySegment function, long a, long b, long c, long d, long e, long f) {
        try {
            return (long) FIXED.invokeExact(function, STATE.get(), a, b, c, d, e, f);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long call(MemorySegment function) {
        return call(function, 0, 0, 0, 0, 0, 0);
    }

    static long call(MemorySegment function, long a) {
        return call(function, a, 0, 0, 0, 0, 0);
    }

    static long call(MemorySegment function, long a, long b) {
        return call(function, a, b, 0, 0, 0, 0);
    }

    static long call(MemorySegment function, long a, long b, long c) {
        return call(function, a, b, c, 0, 0, 0);
    }

    static long call(MemorySegment function, long a, long b, long c, long d) {
        return call(function, a, b, c, d, 0, 0);
    }

    /**
     * The address of native memory, to pass to {@link #call}. A heap segment has none (its "address" is an offset),
     * so it is refused. The memory must stay allocated for the call: a segment of a confined or global arena, of a
     * field or thread-local of a live object, or one the calling wrapper keeps reachable
     * ({@link java.lang.ref.Reference#reachabilityFence}) until the call returns.
     */
    static long address(MemorySegment segment) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("a native call needs native memory, not a heap segment");
        }
        return segment.address();
    }

    /** A variadic glibc function that sets errno: the handle takes the capture segment as its first argument. */
    static MethodHandle errnoCall(String name, FunctionDescriptor fd, Linker.Option... more) {
        Linker.Option[] opts = new Linker.Option[more.length + 1];
        opts[0] = CAPTURE_ERRNO;
        System.arraycopy(more, 0, opts, 1, more.length);
        return LINKER.downcallHandle(symbol(name), fd, opts);
    }

    static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsupportedOperationException(
                "glibc has no " + name + " (the spoke needs glibc 2.34 or later)"));
    }

    /** The calling thread's capture segment, passed as the first argument of an {@link #errnoCall} handle. */
    static MemorySegment state() {
        return STATE.get();
    }

    /** errno as the calling thread's last capturing call (every {@link #call}, every {@link #errnoCall}) left it. */
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
