package dev.radial.spoke.dispatch;

import dev.radial.common.config.LogFormat;
import dev.radial.spoke.logging.DebugOutput;
import dev.radial.spoke.logging.LineFormatter;
import dev.radial.spoke.logging.MainLog;
import dev.radial.spoke.logging.RotatingFile;
import dev.radial.spoke.os.Native;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Drains one child pipe (stdout or stderr) on the engine thread: to the channel's log file, and, when
 * forwarding is on, to the spoke's own stdout/stderr as {@code name | line}; at {@code loglevel=debug} each
 * chunk also goes to the main log as supervisord writes it ({@code 'name' stdout output:\n...}; an event
 * listener's stdout is logged by its pool instead). Reads are non-blocking and large, so one thread keeps up
 * with many children.
 */
public final class OutputDispatcher {
    private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;]*[a-zA-Z]");

    private final String processName;
    private final String channelName;
    private final int fd;
    private final RotatingFile log;
    private final PrintStream forward;
    private final boolean stripAnsi;
    private final StringBuilder partialLine = new StringBuilder();
    private final Hooks hooks;
    /** The main log when it is at debug level, else null (supervisord's log_to_mainlog). */
    private final MainLog debugLog;
    /** log_format= other than plain: what frames the lines for the log file and for forwarding; null for plain. */
    private final LineFormatter fileFormat;
    private final LineFormatter forwardFormat;
    private boolean closed;

    /**
     * What else happens to a channel's output, each optional (null): an event listener's protocol reads its
     * stdout as it comes; capture mode takes the data between the tokens out of the log; log events
     * (*_events_enabled) see what is logged.
     */
    public record Hooks(Consumer<byte[]> protocol, Capture capture, Consumer<byte[]> logEvents) {
        public static final Hooks NONE = new Hooks(null, null, null);

        boolean none() {
            return protocol == null && capture == null && logEvents == null;
        }
    }

    public OutputDispatcher(String processName, String channelName, int fd, RotatingFile log, PrintStream forward,
            boolean stripAnsi, Hooks hooks, MainLog mainLog) {
        this(processName, channelName, fd, log, forward, stripAnsi, hooks, mainLog, LogFormat.PLAIN);
    }

    /** As above, with {@code log_format=}: PLAIN writes the bytes as they come, as supervisord. */
    public OutputDispatcher(String processName, String channelName, int fd, RotatingFile log, PrintStream forward,
            boolean stripAnsi, Hooks hooks, MainLog mainLog, LogFormat format) {
        this.fileFormat = log == null ? null : LineFormatter.of(format, processName, channelName, "");
        this.forwardFormat = forward == null ? null : LineFormatter.of(format, processName, channelName,
                processName + " | ");
        this.processName = processName;
        this.channelName = channelName;
        this.fd = fd;
        this.log = log;
        this.forward = forward;
        this.stripAnsi = stripAnsi;
        this.hooks = hooks;
        this.debugLog = mainLog != null && mainLog.enabled(MainLog.Level.DEBG) && hooks.protocol() == null
                ? mainLog : null;
    }

    public int fd() {
        return fd;
    }

    public String channel() {
        return channelName;
    }

    public RotatingFile log() {
        return log;
    }

    /**
     * Reads what is available into the shared buffer and dispatches it.
     *
     * @return false at end of file (the child closed its end): the caller closes and unregisters
     */
    public boolean readAvailable(ByteBuffer buffer) {
        if (closed) {
            return false;
        }
        for (int round = 0; round < 16; round++) {
            buffer.clear();
            long n = Native.LIBC.read(fd, buffer, buffer.capacity());
            if (n == 0) {
                flushPartial();
                return false;
            }
            if (n < 0) {
                int errno = Native.errno();
                return errno == Native.EAGAIN || errno == Native.EINTR;
            }
            buffer.position(0).limit((int) n);
            dispatch(buffer);
            if (n < buffer.capacity()) {
                return true;
            }
        }
        return true;
    }

    private void dispatch(ByteBuffer data) {
        if (!stripAnsi && forward == null && debugLog == null && hooks.none() && fileFormat == null) {
            writeLog(data); // the common case: straight from the read buffer to the file
            return;
        }
        byte[] b = new byte[data.remaining()];
        data.get(b);
        if (hooks.protocol() != null) {
            hooks.protocol().accept(b);
        }
        if (stripAnsi) {
            b = ANSI.matcher(new String(b, StandardCharsets.UTF_8)).replaceAll("").getBytes(StandardCharsets.UTF_8);
        }
        if (hooks.capture() != null) {
            hooks.capture().feed(b, this::logged, piece -> {
                if (hooks.logEvents() != null) {
                    hooks.logEvents().accept(piece);
                }
            });
        } else {
            logged(b);
        }
    }

    /** Output that is logged: forwarded, written, and a PROCESS_LOG event when enabled. */
    private void logged(byte[] b) {
        if (b.length == 0) {
            return;
        }
        if (forwardFormat != null) {
            forwardFormatted(forwardFormat.feed(b, 0, b.length));
        } else if (forward != null) {
            forwardLines(new String(b, StandardCharsets.UTF_8));
        }
        writeLog(ByteBuffer.wrap(b));
        if (debugLog != null) {
            debugLog.debug(DebugOutput.channel(processName, channelName, b));
        }
        if (hooks.logEvents() != null) {
            hooks.logEvents().accept(b);
        }
    }

    private void writeLog(ByteBuffer data) {
        if (fileFormat != null && data.hasRemaining()) {
            byte[] raw = new byte[data.remaining()];
            data.get(raw);
            byte[] lines = fileFormat.feed(raw, 0, raw.length);
            writeRaw(ByteBuffer.wrap(lines));
            return;
        }
        writeRaw(data);
    }

    private void forwardFormatted(byte[] lines) {
        if (lines.length > 0) {
            forward.write(lines, 0, lines.length);
            forward.flush();
        }
    }

    private void writeRaw(ByteBuffer data) {
        if (log != null) {
            try {
                log.write(data);
            } catch (IOException e) {
                // a full disk must not stop the child: the data is dropped, as supervisord does
            }
        }
    }

    private void forwardLines(String s) {
        partialLine.append(s);
        int nl;
        StringBuilder out = new StringBuilder();
        while ((nl = partialLine.indexOf("\n")) >= 0) {
            out.append(processName).append(" | ").append(partialLine, 0, nl + 1);
            partialLine.delete(0, nl + 1);
        }
        if (partialLine.length() > 8192) {
            out.append(processName).append(" | ").append(partialLine).append('\n');
            partialLine.setLength(0);
        }
        if (out.length() > 0) {
            forward.print(out);
            forward.flush();
        }
    }

    private void flushPartial() {
        if (fileFormat != null) {
            writeRaw(ByteBuffer.wrap(fileFormat.flush()));
        }
        if (forwardFormat != null) {
            forwardFormatted(forwardFormat.flush());
        }
        if (forward != null && partialLine.length() > 0) {
            forward.print(processName + " | " + partialLine + "\n");
            forward.flush();
            partialLine.setLength(0);
        }
    }

    /** Closes the pipe; a pending partial line (forwarded, or framed by log_format=) is written first. */
    public void close() {
        if (!closed) {
            flushPartial(); // the exit can be reaped before EOF (a grandchild keeps the pipe open)
            closed = true;
            Native.LIBC.close(fd);
        }
    }
}
