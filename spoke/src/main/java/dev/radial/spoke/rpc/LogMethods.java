package dev.radial.spoke.rpc;

import dev.radial.common.xmlrpc.Fault;
import dev.radial.common.xmlrpc.XmlRpcFault;
import dev.radial.spoke.engine.Engine;
import dev.radial.spoke.process.Subprocess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The log methods: readLog, read/tail of process logs, clearing. The engine thread resolves which file; the bytes
 * are read by {@link LogReads} (existence is checked there too: a stat is I/O), so a big read never runs on the
 * engine thread. Entry points: engine thread.
 */
final class LogMethods {
    private final Engine engine;
    private final Lookup lookup;
    private final LogReads reads;
    private final Path mainLog;

    LogMethods(Engine engine, Lookup lookup, Path mainLog) {
        this.engine = engine;
        this.lookup = lookup;
        this.reads = new LogReads(engine);
        this.mainLog = mainLog;
    }

    CompletableFuture<Object> readMainLog(int offset, int length) {
        Path file = mainLog;
        return reads.read(() -> {
            if (file == null || !Files.exists(file)) {
                throw file == null ? new XmlRpcFault(Fault.NO_FILE) : new XmlRpcFault(Fault.NO_FILE, file.toString());
            }
            return LogFiles.read(file, offset, length);
        });
    }

    boolean clearMainLog() throws XmlRpcFault {
        try {
            engine.log().clear();
        } catch (IOException e) {
            throw new XmlRpcFault(Fault.FAILED, "clearLog: " + e.getMessage());
        }
        engine.log().info("reopening log file");
        return true;
    }

    CompletableFuture<Object> readProcessLog(String name, int offset, int length, boolean stderr) throws XmlRpcFault {
        Subprocess p = lookup.process(name);
        Path file = stderr ? p.stderrLogPath() : p.stdoutLogPath();
        return reads.read(() -> {
            if (file == null || !Files.exists(file)) {
                throw file == null ? new XmlRpcFault(Fault.NO_FILE) : new XmlRpcFault(Fault.NO_FILE, file.toString());
            }
            return LogFiles.read(file, offset, length);
        });
    }

    CompletableFuture<Object> tailProcessLog(String name, int offset, int length, boolean stderr) throws XmlRpcFault {
        Subprocess p = lookup.process(name);
        Path file = stderr ? p.stderrLogPath() : p.stdoutLogPath();
        return reads.read(() -> file == null || !Files.exists(file) ? List.of("", 0, false)
                : LogFiles.tail(file, offset, length));
    }

    boolean clearProcessLogs(String name) throws XmlRpcFault {
        Subprocess p = lookup.process(name);
        try {
            if (p.stdoutLog() != null) {
                p.stdoutLog().clear();
            }
            if (p.stderrLog() != null) {
                p.stderrLog().clear();
            }
        } catch (IOException e) {
            throw new XmlRpcFault(Fault.FAILED, name);
        }
        return true;
    }

    List<Object> clearAllProcessLogs() {
        List<Object> out = new ArrayList<>();
        for (Subprocess p : lookup.all(false)) {
            XmlRpcFault fault = null;
            try {
                clearProcessLogs(Lookup.spec(p));
            } catch (XmlRpcFault e) {
                fault = e;
            }
            out.add(ProcessControl.status(p, fault));
        }
        return out;
    }

    /** For the logtail endpoint: the file behind a "name[/channel]" (engine thread). */
    Path logFile(String name, boolean stderr) throws XmlRpcFault {
        Subprocess p = lookup.process(name);
        return stderr ? p.stderrLogPath() : p.stdoutLogPath();
    }
}
