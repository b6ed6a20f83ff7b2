package dev.radial.ctl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Reader;

/**
 * Standard input as lines that Ctrl-C can interrupt (a blocked read of a file descriptor cannot be): one daemon
 * thread reads a line only when a caller asks for one, and a caller interrupted while it waits ({@code fg} on
 * SIGINT) gets {@link InterruptedIOException}; the line, when it comes, goes to the next caller (the shell's
 * prompt), as with Python's raw_input. Only {@link #readLine} is supported, which is all ctl reads.
 *
 * <p>Threading: callers may be any thread; the pump thread is started on the first read.
 */
final class LineInput extends BufferedReader {
    private final BufferedReader source;
    private final Object lock = new Object();
    private Thread pump;
    private boolean wanted;
    private boolean ready;
    private boolean eof;
    private String line;
    private IOException error;

    LineInput(Reader in) {
        super(Reader.nullReader());
        this.source = in instanceof BufferedReader b ? b : new BufferedReader(in);
    }

    @Override
    public String readLine() throws IOException {
        synchronized (lock) {
            if (pump == null) {
                pump = new Thread(this::pump, "stdin");
                pump.setDaemon(true);
                pump.start();
            }
            while (!ready && !eof) {
                wanted = true;
                lock.notifyAll();
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading standard input");
                }
            }
            if (!ready) {
                return null; // end of input, for every later caller too
            }
            ready = false;
            if (error != null) {
                IOException e = error;
                error = null;
                throw e;
            }
            return line;
        }
    }

    private void pump() {
        while (true) {
            synchronized (lock) {
                while (!wanted) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                wanted = false;
            }
            String l = null;
            IOException failure = null;
            try {
                l = source.readLine();
            } catch (IOException e) {
                failure = e;
            }
            synchronized (lock) {
                line = l;
                error = failure;
                ready = true;
                eof = l == null && failure == null;
                lock.notifyAll();
                if (eof) {
                    return;
                }
            }
        }
    }

    @Override
    public int read() {
        throw new UnsupportedOperationException("LineInput reads lines only");
    }

    @Override
    public int read(char[] cbuf, int off, int len) {
        throw new UnsupportedOperationException("LineInput reads lines only");
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
