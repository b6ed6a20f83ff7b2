package dev.radial.spoke.os;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import jnr.ffi.byref.IntByReference;

/**
 * The one thread that reaps: blocks in waitpid(-1) and hands every (pid, status) to the engine, including
 * orphans adopted as PID 1 or child subreaper. When there is no child at all it sleeps until the engine
 * spawns one (or SIGCHLD says an adopted orphan appeared).
 */
public final class Reaper implements Runnable {
    private final BiConsumer<Integer, ExitStatus> sink;
    private final Semaphore children = new Semaphore(0);
    private volatile boolean stopped;

    public Reaper(BiConsumer<Integer, ExitStatus> sink) {
        this.sink = sink;
    }

    /** Call after each spawn (and on SIGCHLD): there may be a child to wait for now. */
    public void wake() {
        children.release();
    }

    public void stop() {
        stopped = true;
        children.release();
    }

    public Thread start() {
        Thread t = new Thread(this, "reaper");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void run() {
        IntByReference status = new IntByReference();
        while (!stopped) {
            int pid = Native.LIBC.waitpid(-1, status, 0);
            if (pid > 0) {
                sink.accept(pid, ExitStatus.fromWaitStatus(status.intValue()));
                continue;
            }
            int errno = Native.errno();
            if (errno == Native.EINTR) {
                continue;
            }
            try {
                // ECHILD: nothing to wait for until the next spawn; the timeout is a safety net only
                children.drainPermits();
                children.tryAcquire(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
