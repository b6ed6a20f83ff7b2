package dev.radial.spoke.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.spoke.PidReuse;
import dev.radial.spoke.process.ProcessLauncher.SignalResult;
import dev.radial.spoke.process.ProcessLauncher.SpawnRequest;
import dev.radial.spoke.process.ProcessLauncher.SpawnedChild;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FFM layer against the real kernel: layouts, spawn attributes, pidfds, epoll, stdin pipes, dispositions. */
class NativeLayerTest {
    private final NativeLauncher launcher = new NativeLauncher();

    /**
     * sizeof/offsetof from glibc 2.36's headers on x86-64 (gcc, recorded here); aarch64's epoll_event from the
     * kernel ABI (only x86-64 packs it). A layout that drifts from these reads the wrong fields.
     */
    @Test
    void structLayoutsMatchTheAbiOfEachArchitecture() {
        assertEquals(12, Layouts.epollEvent(Ffm.Arch.X86_64).byteSize());
        assertEquals(4, Layouts.epollEvent(Ffm.Arch.X86_64).byteOffset(PathElement.groupElement("data")));
        assertEquals(16, Layouts.epollEvent(Ffm.Arch.AARCH64).byteSize());
        assertEquals(8, Layouts.epollEvent(Ffm.Arch.AARCH64).byteOffset(PathElement.groupElement("data")));
        assertEquals(128, Layouts.SIGSET.byteSize());
        assertEquals(128, Layouts.SIGINFO.byteSize());
        assertEquals(8, Layouts.SI_CODE);
        assertEquals(16, Layouts.SI_PID);
        assertEquals(24, Layouts.SI_STATUS);
        assertEquals(152, Layouts.SIGACTION.byteSize());
        assertEquals(136, Layouts.SIGACTION.byteOffset(PathElement.groupElement("sa_flags")));
        assertEquals(80, Layouts.SPAWN_FILE_ACTIONS.byteSize());
        assertEquals(336, Layouts.SPAWN_ATTR.byteSize());
        assertEquals(8, Layouts.POLLFD.byteSize());
        assertEquals(Ffm.Arch.AARCH64, Ffm.arch("aarch64"));
        assertEquals(Ffm.Arch.X86_64, Ffm.arch("amd64"));
        var e = assertThrows(UnsupportedOperationException.class, () -> Ffm.arch("riscv64"));
        assertTrue(e.getMessage().contains("riscv64"), e.getMessage());
    }

    @Test
    void errnoIsCapturedByTheFailingCall() {
        assertEquals(-1, Native.LIBC.close(987_654));
        assertEquals(9, Native.errno()); // EBADF
        assertEquals("Bad file descriptor (EBADF)", Native.strerror(9));
        assertEquals(-1, Native.LIBC.kill(Integer.MAX_VALUE, 0));
        assertEquals(Native.ESRCH, Native.errno());
    }

    /**
     * Every fixed-argument function goes through one (function, six longs) -> long handle ({@link Ffm#call}): ints
     * and their signs arrive whole, an int result comes back from the low 32 bits, pointers arrive as addresses, and a
     * heap segment, which has no address, is refused before any call is made.
     */
    @Test
    void theOneDowncallSignatureCarriesIntsPointersAndResults() throws Exception {
        assertEquals(-1, Native.LIBC.close(-7)); // a negative int, sign-extended, is still -7 to close(2)
        assertEquals(9, Native.errno());
        int old = Native.LIBC.umask(0_027);
        assertEquals(0_027, Native.LIBC.umask(old));
        assertEquals(ProcessHandle.current().pid(), Native.LIBC.getpid());
        int[] fds = new int[2];
        assertEquals(0, Native.LIBC.pipe2(fds, Native.O_CLOEXEC));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocateFrom("through one handle");
            assertEquals(18, Native.LIBC.write(fds[1], out, 18));
            ByteBuffer in = ByteBuffer.allocateDirect(64);
            assertEquals(18, Native.LIBC.read(fds[0], in, 64));
            byte[] got = new byte[18];
            in.get(got);
            assertEquals("through one handle", new String(got, StandardCharsets.UTF_8));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Native.LIBC.write(fds[1], MemorySegment.ofArray(new byte[8]), 8));
            assertTrue(e.getMessage().contains("heap segment"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Native.LIBC.read(fds[0], ByteBuffer.allocate(8), 8));
        } finally {
            Native.LIBC.close(fds[0]);
            Native.LIBC.close(fds[1]);
        }
    }

    /**
     * A child starts with every signal at its default disposition (glibc's internal 32 and 33 included, which
     * glibc's own spawn would leave ignored) and nothing blocked, even when the spoke ignores a signal itself;
     * in its own process group; in the requested directory with the requested umask.
     */
    @Test
    void childStartsWithDefaultDispositionsEmptyMaskOwnGroup(@TempDir Path dir) throws Exception {
        int sigttou = 22;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ign = arena.allocate(Layouts.SIGACTION);
            ign.set(java.lang.foreign.ValueLayout.ADDRESS, Layouts.SA_HANDLER, MemorySegment.ofAddress(1)); // SIG_IGN
            assertEquals(0, Native.LIBC.sigaction(sigttou, ign, MemorySegment.NULL));
            assertTrue(SignalDispositions.ignored(sigttou));
            SpawnedChild c = launcher.spawn(new SpawnRequest("/bin/sh",
                    List.of("sh", "-c", "grep -E '^(SigIgn|SigBlk)' /proc/self/status; cut -d' ' -f5 /proc/self/stat;"
                            + " pwd; umask"), Map.of("PATH", "/usr/bin:/bin"), dir.toString(), 027, true));
            String out = readAll(c.stdout());
            Wait.Reaped r = awaitExit(c);
            assertEquals(new ExitStatus.Exited(0), r.status(), out);
            assertTrue(out.contains("SigIgn:\t0000000000000000"), out);
            assertTrue(out.contains("SigBlk:\t0000000000000000"), out);
            String[] lines = out.strip().split("\n");
            assertEquals(Integer.toString(c.pid()), lines[2].strip(), "its own process group: " + out);
            assertEquals(dir.toRealPath().toString(), lines[3].strip());
            assertEquals("0027", lines[4].strip());
            launcher.release(c);
            Native.LIBC.close(c.stdin());
            Native.LIBC.close(c.stdout());
        } finally {
            SignalDispositions.unignore(sigttou);
        }
        assertFalse(SignalDispositions.ignored(sigttou));
    }

    /**
     * argv and the environment reach the child exactly, each marshalled in one block (CStrings): empty strings,
     * '=' inside a value, UTF-8, many variables; stdout and stderr on pipes of their own when not merged.
     */
    @Test
    void childGetsExactlyItsArgvAndEnvironment() throws Exception {
        Map<String, String> env = new java.util.HashMap<>();
        for (int i = 0; i < 200; i++) {
            env.put("V" + i, "value " + i);
        }
        env.put("EMPTY", "");
        env.put("EQ", "a=b=c");
        env.put("UTF", "\u00e9t\u00e9 \u2603");
        SpawnedChild c = launcher.spawn(new SpawnRequest("/bin/sh", List.of("sh", "-c",
                "for a in \"$@\"; do printf '[%s]' \"$a\"; done; echo; cat /proc/self/environ; echo err >&2", "sh",
                "", "x y", "\u00fc"), env, null, null, false));
        String out = readAll(c.stdout());
        String err = readAll(c.stderr());
        assertEquals(new ExitStatus.Exited(0), awaitExit(c).status(), out + err);
        String[] parts = out.split("\n", 2);
        assertEquals("[][x y][\u00fc]", parts[0]);
        // sh may add PWD and the like; every variable given must be there, exactly
        java.util.Set<String> got = new java.util.HashSet<>(List.of(parts[1].split("\0")));
        for (Map.Entry<String, String> e : env.entrySet()) {
            assertTrue(got.contains(e.getKey() + "=" + e.getValue()), e.getKey() + " in " + got);
        }
        assertEquals("err\n", err);
        launcher.release(c);
        Native.LIBC.close(c.stdin());
        Native.LIBC.close(c.stdout());
        Native.LIBC.close(c.stderr());
    }

    @Test
    void spawnFailuresSaySo(@TempDir Path dir) {
        var e = assertThrows(dev.radial.spoke.process.ProcessLauncher.SpawnException.class, () -> launcher.spawn(
                new SpawnRequest("/bin/true", List.of("true"), Map.of(), dir.resolve("missing").toString(), null,
                        false)));
        assertTrue(e.getMessage().startsWith("couldn't chdir to " + dir.resolve("missing")), e.getMessage());
    }

    /**
     * The pid-reuse race of a separate reaper, forced: once a child is reaped its pid is given to somebody else's
     * process (ns_last_pid); a signal through the reaped child's pidfd reaches nobody (GONE), where kill(pid)
     * would have killed the stranger. (In the engine a reaped child is also forgotten in the same step, so
     * Subprocess never holds it afterwards; this is the second line of defence.)
     */
    @Test
    void aSignalAfterReapingNeverReachesARecycledPid() throws Exception {
        SpawnedChild c = launcher.spawn(new SpawnRequest("/bin/true", List.of("true"), Map.of(), null, null, true));
        assertTrue(c.pidfd() >= 0, "this kernel has pidfd_open");
        assertEquals(new ExitStatus.Exited(0), awaitExit(c).status());
        Process stranger = PidReuse.startWithPid(c.pid(), List.of("/bin/sleep", "60"));
        try {
            assertInstanceOf(SignalResult.Gone.class, launcher.signal(c, 9, false));
            assertFalse(stranger.waitFor(300, TimeUnit.MILLISECONDS), "the stranger with the recycled pid lives");
        } finally {
            stranger.destroyForcibly();
            stranger.waitFor(10, TimeUnit.SECONDS);
            launcher.release(c);
            Native.LIBC.close(c.stdin());
            Native.LIBC.close(c.stdout());
        }
    }

    /** A wake-up from another thread after close() writes nothing, not even to an fd number reused meanwhile. */
    @Test
    void wakeupAfterCloseTouchesNoReusedDescriptor() throws Exception {
        Epoll epoll = new Epoll();
        epoll.wakeup();
        int[] ready = new int[4];
        assertEquals(0, epoll.await(1000, ready), "the wake fd is drained, not reported");
        epoll.close();
        int[] fds = new int[2];
        int[] fds2 = new int[2];
        assertEquals(0, Native.LIBC.pipe2(fds, Native.O_CLOEXEC | Native.O_NONBLOCK));
        assertEquals(0, Native.LIBC.pipe2(fds2, Native.O_CLOEXEC | Native.O_NONBLOCK));
        try {
            epoll.wakeup(); // the pipes likely got the closed numbers back
            epoll.close(); // idempotent
            ByteBuffer b = ByteBuffer.allocateDirect(16);
            for (int fd : new int[] {fds[0], fds2[0]}) {
                assertEquals(-1, Native.LIBC.read(fd, b, 16), "nothing was written to a reused fd");
                assertEquals(Native.EAGAIN, Native.errno());
            }
        } finally {
            for (int fd : new int[] {fds[0], fds[1], fds2[0], fds2[1]}) {
                Native.LIBC.close(fd);
            }
        }
    }

    /**
     * A pipe nobody reads: offers never block, what does not fit waits (bounded), and beyond the bound an offer is
     * refused whole; once the reader drains, flush() delivers everything in order; EPIPE closes it.
     */
    @Test
    void stdinPipeIsBoundedAndNeverBlocks() throws Exception {
        int[] fds = new int[2];
        assertEquals(0, Native.LIBC.pipe2(fds, Native.O_CLOEXEC));
        assertTrue(Native.nonBlocking(fds[1]));
        StdinPipe pipe = new StdinPipe(fds[1]);
        byte[] chunk = new byte[300 * 1024];
        long accepted = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            long total = 0;
            for (int i = 0; i < 100; i++) {
                java.util.Arrays.fill(chunk, (byte) ('a' + i % 26));
                StdinPipe.Offer o = pipe.offer(chunk.clone());
                if (o == StdinPipe.Offer.FULL) {
                    return total;
                }
                assertNotEquals(StdinPipe.Offer.CLOSED, o);
                total += chunk.length;
            }
            return -1L;
        });
        long waiting = pipe.pendingBytes();
        assertTrue(waiting <= StdinPipe.LIMIT && waiting + chunk.length > StdinPipe.LIMIT,
                "refused only when the next chunk would overflow the bound: " + waiting + " wait");
        assertTrue(accepted > waiting, "the pipe took its share at once: " + accepted + " accepted");
        assertEquals(StdinPipe.Offer.FULL, pipe.offer(new byte[StdinPipe.LIMIT]));
        assertEquals(waiting, pipe.pendingBytes(), "a refused offer wrote and queued nothing");
        // drain: every byte arrives, in order
        ByteBuffer b = ByteBuffer.allocateDirect(1 << 16);
        long read = 0;
        int expectChunk = 0;
        long inChunk = 0;
        while (read < accepted) {
            b.clear();
            long n = Native.LIBC.read(fds[0], b, b.capacity());
            assertTrue(n > 0, "read " + n + " errno " + Native.errno());
            for (int i = 0; i < n; i++) {
                assertEquals((byte) ('a' + expectChunk % 26), b.get(i), "byte " + (read + i));
                if (++inChunk == chunk.length) {
                    inChunk = 0;
                    expectChunk++;
                }
            }
            read += n;
            if (pipe.pending()) {
                pipe.flush();
            }
        }
        assertFalse(pipe.pending());
        assertEquals(accepted, read);
        Native.LIBC.close(fds[0]);
        assertEquals(StdinPipe.Offer.CLOSED, pipe.offer("x".getBytes(StandardCharsets.UTF_8)), "EPIPE");
        pipe.close();
        pipe.close();
    }

    @Test
    void ignoredSignalIsResetToDefault() {
        int sigttin = 21;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ign = arena.allocate(Layouts.SIGACTION);
            ign.set(java.lang.foreign.ValueLayout.ADDRESS, Layouts.SA_HANDLER, MemorySegment.ofAddress(1));
            assertEquals(0, Native.LIBC.sigaction(sigttin, ign, MemorySegment.NULL));
        }
        assertTrue(SignalDispositions.ignored(sigttin));
        assertTrue(SignalDispositions.unignore(sigttin));
        assertFalse(SignalDispositions.ignored(sigttin));
        assertFalse(SignalDispositions.unignore(sigttin), "a default disposition is left alone");
    }

    private static String readAll(int fd) {
        StringBuilder sb = new StringBuilder();
        ByteBuffer b = ByteBuffer.allocateDirect(4096);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pfd = arena.allocate(Layouts.POLLFD);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                b.clear();
                long n = Native.LIBC.read(fd, b, b.capacity());
                if (n == 0) {
                    return sb.toString();
                }
                if (n > 0) {
                    byte[] bytes = new byte[(int) n];
                    b.get(0, bytes);
                    sb.append(new String(bytes, StandardCharsets.UTF_8));
                } else {
                    pfd.set(Ffm.INT, 0, fd);
                    pfd.set(Ffm.SHORT, 4, (short) 1);
                    Native.LIBC.poll(pfd, 1, 1000); // wait for data, not a bare sleep
                }
            }
        }
        throw new AssertionError("no EOF within 30 s; so far: " + sb);
    }

    private static Wait.Reaped awaitExit(SpawnedChild c) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pfd = arena.allocate(Layouts.POLLFD);
            pfd.set(Ffm.INT, 0, c.pidfd());
            pfd.set(Ffm.SHORT, 4, (short) 1);
            assertEquals(1, Native.LIBC.poll(pfd, 1, 30_000), "the pidfd turns readable when the child exits");
        }
        Wait.Reaped r = new Wait().reap(c.pid(), c.pidfd());
        assertNotNull(r);
        assertEquals(c.pid(), r.pid());
        return r;
    }
}
