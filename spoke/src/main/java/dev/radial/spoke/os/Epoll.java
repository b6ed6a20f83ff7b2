package dev.radial.spoke.os;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * A level-triggered epoll set over raw fds, plus an eventfd so other threads can wake the loop. The
 * engine thread alone calls {@link #await}; {@link #wakeup} is safe from any thread.
 */
public final class Epoll implements AutoCloseable {
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    private static final int EVENT_SIZE = 12; // packed struct epoll_event on x86_64
    private static final int MAX_EVENTS = 256;
    private static final int EFD_NONBLOCK = 04000;
    private static final int EFD_CLOEXEC = 02000000;

    private final int epfd;
    private final int wakeFd;
    private final Pointer events = Memory.allocateDirect(Native.RUNTIME, EVENT_SIZE * MAX_EVENTS);
    private final Pointer one = Memory.allocateDirect(Native.RUNTIME, EVENT_SIZE);
    private final ByteBuffer wakeBuf = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());

    public Epoll() throws IOException {
        epfd = Native.LIBC.epoll_create1(Native.O_CLOEXEC);
        if (epfd < 0) {
            throw new IOException("epoll_create1: " + Native.strerror(Native.errno()));
        }
        wakeFd = Native.LIBC.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (wakeFd < 0) {
            throw new IOException("eventfd: " + Native.strerror(Native.errno()));
        }
        add(wakeFd);
    }

    public synchronized void add(int fd) throws IOException {
        one.putInt(0, EPOLLIN);
        one.putLong(4, fd);
        if (Native.LIBC.epoll_ctl(epfd, EPOLL_CTL_ADD, fd, one) != 0) {
            throw new IOException("epoll_ctl add fd " + fd + ": " + Native.strerror(Native.errno()));
        }
    }

    public synchronized void remove(int fd) {
        Native.LIBC.epoll_ctl(epfd, EPOLL_CTL_DEL, fd, one);
    }

    /** Ready fds (the wake fd is drained and not reported); waits up to timeoutMillis (-1 forever). */
    public int await(int timeoutMillis, int[] ready) {
        int n = Native.LIBC.epoll_wait(epfd, events, Math.min(MAX_EVENTS, ready.length), timeoutMillis);
        if (n < 0) {
            return 0; // EINTR: the caller loops
        }
        int count = 0;
        for (int i = 0; i < n; i++) {
            int fd = (int) events.getLong(i * EVENT_SIZE + 4);
            if (fd == wakeFd) {
                wakeBuf.clear();
                Native.LIBC.read(wakeFd, wakeBuf, 8);
            } else {
                ready[count++] = fd;
            }
        }
        return count;
    }

    /** Called for every RPC and every reaped child: reuses one buffer per calling thread. */
    public void wakeup() {
        Native.LIBC.write(wakeFd, ONE.get(), 8);
    }

    private static final ThreadLocal<ByteBuffer> ONE = ThreadLocal.withInitial(() -> {
        ByteBuffer b = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        b.putLong(0, 1L);
        return b;
    });

    @Override
    public void close() {
        Native.LIBC.close(wakeFd);
        Native.LIBC.close(epfd);
    }
}
