package dev.radial.spoke.engine;

import dev.radial.spoke.dispatch.OutputDispatcher;
import dev.radial.spoke.logging.MainLog;
import dev.radial.spoke.os.Epoll;
import dev.radial.spoke.os.StdinPipe;
import dev.radial.spoke.process.Subprocess;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * What the engine's epoll set watches besides pidfds and its eventfd, and what to do when a descriptor is ready:
 * child output pipes (read into the process's dispatcher; at EOF the process is told its pipe closed), child
 * stdin pipes with bytes waiting (watched for EPOLLOUT until flushed), and other descriptors with a handler of
 * their own (health-probe commands' output).
 *
 * <p>Threading: engine thread only, like the epoll set it adds to.
 */
final class Watches {
    private final Epoll epoll;
    private final MainLog log;
    private final Map<Integer, OutputDispatcher> outputs = new HashMap<>();
    private final Map<Integer, Subprocess> ownerOfOutput = new HashMap<>();
    private final Map<Integer, StdinPipe> stdins = new HashMap<>();
    private final Map<Integer, Runnable> handlers = new HashMap<>();

    Watches(Epoll epoll, MainLog log) {
        this.epoll = epoll;
        this.log = log;
    }

    void output(OutputDispatcher d, Subprocess p) {
        outputs.put(d.fd(), d);
        ownerOfOutput.put(d.fd(), p);
        try {
            epoll.add(d.fd());
        } catch (IOException e) {
            log.error("cannot watch output of " + p.name() + ": " + e.getMessage());
        }
    }

    void unwatchOutput(OutputDispatcher d) {
        if (outputs.remove(d.fd()) != null) {
            ownerOfOutput.remove(d.fd());
            epoll.remove(d.fd());
        }
    }

    void stdin(StdinPipe pipe) {
        if (stdins.putIfAbsent(pipe.fd(), pipe) == null) {
            try {
                epoll.add(pipe.fd(), Epoll.EPOLLOUT);
            } catch (IOException e) {
                stdins.remove(pipe.fd());
                log.warn("cannot watch a stdin pipe: " + e.getMessage());
            }
        }
    }

    void unwatchStdin(StdinPipe pipe) {
        if (stdins.remove(pipe.fd()) != null) {
            epoll.remove(pipe.fd());
        }
    }

    /** Watches fd for input; {@code ready} runs each time it is readable (or at EOF). */
    void handler(int fd, Runnable ready) throws IOException {
        handlers.put(fd, ready);
        try {
            epoll.add(fd);
        } catch (IOException e) {
            handlers.remove(fd);
            throw e;
        }
    }

    void unwatchHandler(int fd) {
        if (handlers.remove(fd) != null) {
            epoll.remove(fd);
        }
    }

    /** Reads a ready output pipe (at EOF its process is told); false if fd is not one. */
    boolean readOutput(int fd, ByteBuffer readBuffer) {
        OutputDispatcher d = outputs.get(fd);
        if (d == null) {
            return false;
        }
        if (!d.readAvailable(readBuffer)) {
            Subprocess owner = ownerOfOutput.get(fd);
            if (owner != null) {
                owner.pipeClosed(d);
            }
        }
        return true;
    }

    /** Serves a ready descriptor with a handler or a stdin pipe; nothing if it is neither (unwatched meanwhile). */
    void readyOther(int fd) {
        Runnable handler = handlers.get(fd);
        if (handler != null) {
            handler.run();
            return;
        }
        StdinPipe in = stdins.get(fd);
        if (in != null && !in.flush()) {
            unwatchStdin(in); // all written, or the child closed it
        }
    }
}
