package dev.radial.spoke.os;

import static dev.radial.spoke.os.Ffm.INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A level-triggered epoll set over raw fds, plus an eventfd so other threads can wake the loop; the
 * {@code struct epoll_event} layout is the running architecture's ({@link Layouts#EPOLL_EVENT}).
 *
 * <p>Threading: the engine thread alone calls {@link #add}, {@link #modify}, {@link #remove}, {@link #await} and
 * {@link #close}; {@link #wakeup} is safe from any thread, also during and after {@link #close} (it then does
 * nothing: it never writes to a closed, possibly reused, descriptor).
 */
public final class Epoll implements AutoCloseable {
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    private static final int MAX_EVENTS = 256;
    private static final int EFD_NONBLOCK = 04000;
    private static final int EFD_CLOEXEC = 02000000;

    private static final MemorySegment CREATE = Ffm.function("epoll_create1");
    private static final MemorySegment CTL = Ffm.function("epoll_ctl");
    private static final MemorySegment WAIT = Ffm.function("epoll_wait");
    private static final MemorySegment EVENTFD = Ffm.function("eventfd");

    private final Arena arena = Arena.ofShared();
    private final int epfd;
    private final int wakeFd;
    private final MemorySegment events = arena.allocate(Layouts.EPOLL_EVENT, MAX_EVENTS);
    private final MemorySegment one = arena.allocate(Layouts.EPOLL_EVENT);
    private final MemorySegment drain = arena.allocate(8);
    private final Object wakeLock = new Object();
    private boolean closed; // guarded by wakeLock

    public Epoll() throws IOException {
        epfd = (int) Ffm.call(CREATE, Native.O_CLOEXEC);
        if (epfd < 0) {
            arena.close();
            throw new IOException("epoll_create1: " + Native.strerror(Native.errno()));
        }
        wakeFd = (int) Ffm.call(EVENTFD, 0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (wakeFd < 0) {
            int errno = Native.errno();
            Native.LIBC.close(epfd);
            arena.close();
            throw new IOException("eventfd: " + Native.strerror(errno));
        }
        add(wakeFd);
    }

    /** Watches fd for input (EPOLLIN). */
    public void add(int fd) throws IOException {
        add(fd, EPOLLIN);
    }

    public void add(int fd, int interest) throws IOException {
        if (ctl(EPOLL_CTL_ADD, fd, interest) != 0) {
            throw new IOException("epoll_ctl add fd " + fd + ": " + Native.strerror(Native.errno()));
        }
    }

    /** Changes what fd is watched for. */
    public void modify(int fd, int interest) throws IOException {
        if (ctl(EPOLL_CTL_MOD, fd, interest) != 0) {
            throw new IOException("epoll_ctl mod fd " + fd + ": " + Native.strerror(Native.errno()));
        }
    }

    /** Stops watching fd; an fd that was not watched (or already closed) is no error. */
    public void remove(int fd) {
        ctl(EPOLL_CTL_DEL, fd, 0);
    }

    private int ctl(int op, int fd, int interest) {
        one.set(INT, Layouts.EPOLL_EVENTS_OFFSET, interest);
        one.set(Ffm.LONG_UNALIGNED, Layouts.EPOLL_DATA_OFFSET, fd);
        return (int) Ffm.call(CTL, epfd, op, fd, Ffm.address(one)); // the arena's: freed only by close()
    }

    /**
     * Ready fds (the wake fd is drained and not reported); waits up to timeoutMillis (-1 forever). Returns 0 on
     * EINTR: the caller loops.
     */
    public int await(int timeoutMillis, int[] ready) {
        int max = Math.min(MAX_EVENTS, ready.length);
        int n = (int) Ffm.call(WAIT, epfd, Ffm.address(events), max, timeoutMillis);
        int count = 0;
        long size = Layouts.EPOLL_EVENT.byteSize();
        for (int i = 0; i < n; i++) {
            int fd = (int) events.get(Ffm.LONG_UNALIGNED, i * size + Layouts.EPOLL_DATA_OFFSET);
            if (fd == wakeFd) {
                Native.LIBC.read(wakeFd, drain, 8); // EAGAIN if another wake-up drained it first: fine
            } else {
                ready[count++] = fd;
            }
        }
        return count;
    }

    /** Called for every RPC and signal: wakes {@link #await}. */
    public void wakeup() {
        synchronized (wakeLock) {
            if (!closed) {
                Native.LIBC.write(wakeFd, ONE.get(), 8); // EAGAIN only when the counter is huge: still awake
            }
        }
    }

    private static final ThreadLocal<MemorySegment> ONE = ThreadLocal.withInitial(() -> {
        MemorySegment b = Arena.ofAuto().allocate(8);
        b.set(Ffm.LONG, 0, 1L);
        return b;
    });

    @Override
    public void close() {
        synchronized (wakeLock) {
            if (closed) {
                return;
            }
            closed = true;
            Native.LIBC.close(wakeFd);
            Native.LIBC.close(epfd);
        }
        arena.close();
    }
}
