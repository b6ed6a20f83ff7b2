package dev.radial.spoke.rpc;

import dev.radial.common.config.ConfigException;
import dev.radial.common.config.SupervisorConfig;
import dev.radial.common.states.SupervisorState;
import dev.radial.common.xmlrpc.Fault;
import dev.radial.common.xmlrpc.XmlRpcFault;
import dev.radial.spoke.engine.Engine;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code supervisor.*} namespace (supervisord's rpcinterface.SupervisorNamespaceRPCInterface): same
 * arguments, results, faults and fault strings. This class is the method table; the work is split by concern:
 * {@link DaemonMethods} (state, configuration, groups), {@link ProcessControl} (start, stop, signal, stdin),
 * {@link ProcessInfo} (info structs), {@link LogMethods} (log reads off the engine thread, clearing). Every method
 * is entered on the engine thread.
 */
public final class SupervisorRpc {
    public static final String API_VERSION = "3.0";
    public static final String SUPERVISOR_VERSION = "4.2.5";

    /** Re-reads the configuration for reloadConfig. */
    @FunctionalInterface
    public interface Reloader {
        SupervisorConfig reload() throws ConfigException;
    }

    private final Engine engine;
    private final Deferred deferred;
    private final int pid;
    private final Path mainLog;
    private final DaemonMethods daemon;
    private final ProcessControl control;
    private final ProcessInfo info;
    private final LogMethods logs;

    public SupervisorRpc(Engine engine, Reloader reloader, int pid, Path mainLog) {
        this.engine = engine;
        this.deferred = new Deferred(r -> engine.submit(() -> {
            r.run();
            return null;
        }));
        this.pid = pid;
        this.mainLog = mainLog;
        Lookup lookup = new Lookup(engine);
        this.daemon = new DaemonMethods(engine, reloader);
        this.control = new ProcessControl(lookup, deferred);
        this.info = new ProcessInfo(engine, lookup);
        this.logs = new LogMethods(engine, lookup, mainLog);
        engine.addListener(deferred);
    }

    void register(Map<String, RpcMethod> table) {
        add(table, "getAPIVersion", 0, 0, a -> API_VERSION, "string", "Return the version of the RPC API used by supervisord");
        add(table, "getVersion", 0, 0, a -> API_VERSION, "string", "Return the version of the RPC API used by supervisord");
        add(table, "getSupervisorVersion", 0, 0, a -> SUPERVISOR_VERSION, "string", "Return the version of the supervisor package in use by supervisord");
        add(table, "getIdentification", 0, 0, a -> engine.config().daemon().identifier(), "string", "Return identifying string of supervisord");
        add(table, "getState", 0, 0, a -> daemon.state(), "struct", "Return current state of supervisord as a struct");
        add(table, "getPID", 0, 0, a -> pid, "int", "Return the PID of supervisord");
        add(table, "readLog", 2, 2, a -> logs.readMainLog(Args.integer(a, 0), Args.integer(a, 1)), "string int int", "Read length bytes from name's log starting at offset");
        add(table, "readMainLog", 2, 2, a -> logs.readMainLog(Args.integer(a, 0), Args.integer(a, 1)), "string int int", "Read length bytes from name's log starting at offset");
        add(table, "clearLog", 0, 0, a -> logs.clearMainLog(), "boolean", "Clear the main log.");
        add(table, "shutdown", 0, 0, a -> {
            engine.shutdown();
            return true;
        }, "boolean", "Shut down the supervisor process");
        add(table, "restart", 0, 0, a -> {
            engine.restart();
            return true;
        }, "boolean", "Restart the supervisor process");
        add(table, "reloadConfig", 0, 0, a -> daemon.reloadConfig(), "array", "Reload the configuration.");
        add(table, "addProcessGroup", 1, 1, a -> daemon.addProcessGroup(Args.string(a, 0)), "boolean string", "Update the config for a running process from config file.");
        add(table, "removeProcessGroup", 1, 1, a -> daemon.removeProcessGroup(Args.string(a, 0)), "boolean string", "Remove a stopped process from the active configuration.");
        add(table, "startProcess", 1, 2, a -> control.startProcess(Args.string(a, 0), Args.flag(a, 1, true)), "boolean string boolean", "Start a process");
        add(table, "startProcessGroup", 1, 2, a -> control.startProcessGroup(Args.string(a, 0), Args.flag(a, 1, true)), "array string boolean", "Start all processes in the group named 'name'");
        add(table, "startAllProcesses", 0, 1, a -> control.startAll(Args.flag(a, 0, true)), "array boolean", "Start all processes listed in the configuration file");
        add(table, "stopProcess", 1, 2, a -> control.stopProcess(Args.string(a, 0), Args.flag(a, 1, true)), "boolean string boolean", "Stop a process named by name");
        add(table, "stopProcessGroup", 1, 2, a -> control.stopProcessGroup(Args.string(a, 0), Args.flag(a, 1, true)), "array string boolean", "Stop all processes in the process group named 'name'");
        add(table, "stopAllProcesses", 0, 1, a -> control.stopAll(Args.flag(a, 0, true)), "array boolean", "Stop all processes in the process list");
        add(table, "signalProcess", 2, 2, a -> control.signalProcess(Args.string(a, 0), String.valueOf(a.get(1))), "boolean string string", "Send an arbitrary UNIX signal to the process named by name");
        add(table, "signalProcessGroup", 2, 2, a -> control.signalProcessGroup(Args.string(a, 0), String.valueOf(a.get(1))), "array string string", "Send a signal to all processes in the group named 'name'");
        add(table, "signalAllProcesses", 1, 1, a -> control.signalAll(String.valueOf(a.get(0))), "array string", "Send a signal to all processes in the process list");
        add(table, "getAllConfigInfo", 0, 0, a -> info.allConfigInfo(), "array", "Get info about all available process configurations.");
        add(table, "getProcessInfo", 1, 1, a -> info.processInfo(Args.string(a, 0)), "struct string", "Get info about a process named name");
        add(table, "getAllProcessInfo", 0, 0, a -> info.allProcessInfo(), "array", "Get info about all processes");
        add(table, "readProcessStdoutLog", 3, 3, a -> logs.readProcessLog(Args.string(a, 0), Args.integer(a, 1), Args.integer(a, 2), false), "string string int int", "Read length bytes from name's stdout log starting at offset");
        add(table, "readProcessLog", 3, 3, a -> logs.readProcessLog(Args.string(a, 0), Args.integer(a, 1), Args.integer(a, 2), false), "string string int int", "Read length bytes from name's stdout log starting at offset");
        add(table, "readProcessStderrLog", 3, 3, a -> logs.readProcessLog(Args.string(a, 0), Args.integer(a, 1), Args.integer(a, 2), true), "string string int int", "Read length bytes from name's stderr log starting at offset");
        add(table, "tailProcessStdoutLog", 3, 3, a -> logs.tailProcessLog(Args.string(a, 0), Args.integer(a, 1), Args.integer(a, 2), false), "array string int int", "Provides a more efficient way to tail the (stdout) log than readProcessStdoutLog().");
        add(table, "tailProcessLog", 3, 3, a -> logs.tailProcessLog(Args.string(a, 0), Args.integer(a, 1), Args.integer(a, 2), false), "array string int int", "Provides a more efficient way to tail the (stdout) log than readProcessStdoutLog().");
        add(table, "tailProcessStderrLog", 3, 3, a -> logs.tailProcessLog(Args.string(a, 0), Args.integer(a, 1), Args.integer(a, 2), true), "array string int int", "Provides a more efficient way to tail the (stderr) log than readProcessStderrLog().");
        add(table, "clearProcessLogs", 1, 1, a -> logs.clearProcessLogs(Args.string(a, 0)), "boolean string", "Clear the stdout and stderr logs for the named process and reopen them.");
        add(table, "clearProcessLog", 1, 1, a -> logs.clearProcessLogs(Args.string(a, 0)), "boolean string", "Clear the stdout and stderr logs for the named process and reopen them.");
        add(table, "clearAllProcessLogs", 0, 0, a -> logs.clearAllProcessLogs(), "array", "Clear all process log files");
        add(table, "sendProcessStdin", 2, 2, a -> control.sendProcessStdin(Args.string(a, 0), a.get(1)), "boolean string string", "Send a string of chars to the stdin of the process name.");
        ProgramUpdate programs = new ProgramUpdate(engine, deferred);
        table.put("radial.updateProcessGroup", new RpcMethod("radial.updateProcessGroup", 1, 1,
                a -> programs.update(Args.string(a, 0)), List.of("struct", "string"),
                "Apply the reread configuration of one group program by program (a Radial extension)."));
        add(table, "sendRemoteCommEvent", 2, 2, a -> {
            engine.emit(dev.radial.spoke.events.Event.remoteCommunication(String.valueOf(a.get(0)),
                    String.valueOf(a.get(1))));
            return true;
        }, "boolean string string", "Send an event that will be received by event listener subprocesses subscribing to the RemoteCommunicationEvent.");
    }

    private void add(Map<String, RpcMethod> table, String name, int min, int max, RpcMethod.Impl impl, String sig,
            String help) {
        boolean stateless = name.equals("sendRemoteCommEvent");
        RpcMethod.Impl guarded = stateless ? impl : a -> {
            // every supervisor.* method but sendRemoteCommEvent refuses while shutting down
            if (engine.supervisorState() != SupervisorState.RUNNING) {
                throw new XmlRpcFault(Fault.SHUTDOWN_STATE);
            }
            return impl.call(a);
        };
        table.put("supervisor." + name, new RpcMethod("supervisor." + name, min, max, guarded, List.of(sig.split(" ")),
                help));
    }

    /** For the logtail endpoint: the file behind a "name[/channel]". Engine thread. */
    public Path logFile(String name, boolean stderr) throws XmlRpcFault {
        return logs.logFile(name, stderr);
    }

    /** The main log file (fixed for the daemon's life): any thread. */
    public Path mainLog() {
        return mainLog;
    }
}
