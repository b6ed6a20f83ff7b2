package dev.radial.spoke.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * The parent's end of a child's stdin: non-blocking, with a bounded buffer for what the pipe cannot take yet.
 * A child that does not read its stdin can never block the engine: data that would make more than
 * {@link #LIMIT} bytes wait is refused whole ({@link Offer#FULL}), never half-written (so one offer is at most
 * {@link #LIMIT} bytes). What waits is written when the engine sees
 * the pipe writable ({@link #flush}) and dropped when the child goes away.
 *
 * <p>Threading: engine thread only.
 */
public final class StdinPipe {
    /** Bytes that may wait beyond what the kernel's pipe buffer (64 KiB) holds. */
    public static final int LIMIT = 1 << 20;
    private static final int CHUNK = 64 * 1024;
    /** One scratch buffer for the engine thread's writes. */
    private static final ThreadLocal<MemorySegment> SCRATCH = ThreadLocal.withInitial(
            () -> Arena.ofAuto().allocate(CHUNK));

    /** What became of data offered to the child's stdin. */
    public enum Offer {
        /** All of it is in the pipe. */
        WRITTEN,
        /** Accepted; part of it waits for the child to read. */
        QUEUED,
        /** Refused: {@link #LIMIT} bytes already wait (the child does not read its stdin). */
        FULL,
        /** Refused: the child closed its stdin (EPIPE) or exited. */
        CLOSED
    }

    private final int fd;
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private int headOffset;
    private long pendingBytes;
    private boolean closed;
    private boolean fdClosed;

    public StdinPipe(int fd) {
        this.fd = fd;
    }

    public int fd() {
        return fd;
    }

    /** True while bytes wait for the pipe to become writable. */
    public boolean pending() {
        return pendingBytes > 0;
    }

    public long pendingBytes() {
        return pendingBytes;
    }

    public boolean closed() {
        return closed;
    }

    /** Offers data: written now as far as the pipe takes it, the rest queued, or refused whole. */
    public Offer offer(byte[] data) {
        if (closed) {
            return Offer.CLOSED;
        }
        if (pendingBytes + data.length > LIMIT) {
            return Offer.FULL; // checked first, so that a refusal writes nothing
        }
        int written = 0;
        if (pending.isEmpty()) {
            written = writeSome(data, 0);
            if (written < 0) {
                return Offer.CLOSED;
            }
            if (written == data.length) {
                return Offer.WRITTEN;
            }
        }
        byte[] rest = written == 0 ? data : java.util.Arrays.copyOfRange(data, written, data.length);
        pending.addLast(rest);
        pendingBytes += rest.length;
        return Offer.QUEUED;
    }

    /** The pipe is writable: writes what waits. Returns true while something still waits. */
    public boolean flush() {
        while (!closed && !pending.isEmpty()) {
            byte[] head = pending.peekFirst();
            int n = writeSome(head, headOffset);
            if (n < 0) {
                return false;
            }
            headOffset += n;
            pendingBytes -= n;
            if (headOffset < head.length) {
                return true; // the pipe is full again
            }
            pending.pollFirst();
            headOffset = 0;
        }
        return false;
    }

    /** Writes from data[offset..] until the pipe is full; -1 (and closed) on EPIPE or another error. */
    private int writeSome(byte[] data, int offset) {
        MemorySegment scratch = SCRATCH.get();
        int done = 0;
        while (offset + done < data.length) {
            int len = Math.min(CHUNK, data.length - offset - done);
            MemorySegment.copy(data, offset + done, scratch, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, len);
            long n = Native.LIBC.write(fd, scratch, len);
            if (n < 0) {
                int errno = Native.errno();
                if (errno == Native.EINTR) {
                    continue;
                }
                if (errno == Native.EAGAIN) {
                    return done;
                }
                dropAll();
                return -1;
            }
            done += (int) n;
            if (n < len) {
                return done;
            }
        }
        return done;
    }

    private void dropAll() {
        closed = true;
        pending.clear();
        pendingBytes = 0;
        headOffset = 0;
    }

    /** Closes the fd and drops what waits (the child exited). */
    public void close() {
        dropAll();
        if (!fdClosed) {
            fdClosed = true;
            Native.LIBC.close(fd);
        }
    }
}
