package dev.radial.spoke.rpc;

import dev.radial.common.config.ConfigException;
import dev.radial.common.config.GroupConfig;
import dev.radial.common.config.ProcessConfig;
import dev.radial.common.config.Signals;
import dev.radial.common.config.SupervisorConfig;
import dev.radial.common.states.ProcessState;
import dev.radial.common.states.SupervisorState;
import dev.radial.common.xmlrpc.Fault;
import dev.radial.common.xmlrpc.XmlRpcFault;
import dev.radial.spoke.engine.Engine;
import dev.radial.spoke.process.ProcessGroup;
import dev.radial.spoke.process.Subprocess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The {@code supervisor.*} namespace (supervisord's rpcinterface.SupervisorNamespaceRPCInterface): same
 * arguments, results, faults and fault strings. Every method runs on the engine thread.
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
    private final Reloader reloader;
    private final Deferred deferred = new Deferred();
    private final int pid;
    private Path mainLog;

    public SupervisorRpc(Engine engine, Reloader reloader, int pid, Path mainLog) {
        this.engine = engine;
        this.reloader = reloader;
        this.pid = pid;
        this.mainLog = mainLog;
        engine.addListener(deferred);
    }

    void register(Map<String, RpcMethod> table) {
        add(table, "getAPIVersion", 0, 0, a -> API_VERSION, "string", "Return the version of the RPC API used by supervisord");
        add(table, "getVersion", 0, 0, a -> API_VERSION, "string", "Return the version of the RPC API used by supervisord");
        add(table, "getSupervisorVersion", 0, 0, a -> SUPERVISOR_VERSION, "string", "Return the version of the supervisor package in use by supervisord");
        add(table, "getIdentification", 0, 0, a -> engine.config().daemon().identifier(), "string", "Return identifying string of supervisord");
        add(table, "getState", 0, 0, a -> state(), "struct", "Return current state of supervisord as a struct");
        add(table, "getPID", 0, 0, a -> pid, "int", "Return the PID of supervisord");
        add(table, "readLog", 2, 2, a -> readMainLog(Args.integer(a, 0), Args.integer(a, 1)), "string int int", "Read length bytes from name's log starting at offset");
        add(table, "readMainLog", 2, 2, a -> readMainLog(Args.integer(a, 0), Args.integer(a, 1)), "string int int", "Read length bytes from name's log starting at offset");
        add(table, "clearLog", 0, 0, a -> clearMainLog(), "boolean", "Clear the main log.");
        add(table, "shutdown", 0, 0, a -> {
            engine.shutdown();
            return true;
        }, "boolean", "Shut down the supervisor process");
        add(table, "restart", 0, 0, a -> {
            engine.restart();
            return true;
        }, "boolean", "Restart the supervisor process");
        add(table, "reloadConfig", 0, 0, a -> reloadConfig(), "array", "Reload the configuration.");
        add(table, "addProcessGroup", 1, 1, a -> addProcessGroup(Args.string(a, 0)), "boolean string", "Update the config for a running process from config file.");
        add(table, "removeProcessGroup", 1, 1, a -> removeProcessGroup(Args.string(a, 0)), "boolean string", "Remove a stopped process from the active configuration.");
        add(table, "startProcess", 1, 2, a -> startProcess(Args.string(a, 0), Args.flag(a, 1, true)), "boolean string boolean", "Start a process");
        add(table, "startProcessGroup", 1, 2, a -> startProcessGroup(Args.string(a, 0), Args.flag(a, 1, true)), "array string boolean", "Start all processes in the group named 'name'");
        add(table, "startAllProcesses", 0, 1, a -> startAll(Args.flag(a, 0, true)), "array boolean", "Start all processes listed in the configuration file");
        add(table, "stopProcess", 1, 2, a -> stopProcess(Args.string(a, 0), Args.flag(a, 1, true)), "boolean string boolean", "Stop a process named by name");
        add(table, "stopProcessGroup", 1, 2, a -> stopProcessGroup(Args.string(a, 0), Args.flag(a, 1, true)), "array string boolean", "Stop all processes in the process group named 'name'");
        add(table, "stopAllProcesses", 0, 1, a -> stopAll(Args.flag(a, 0, true)), "array boolean", "Stop all processes in the process list");
        add(table, "signalProcess", 2, 2, a -> signalProcess(Args.string(a, 0), String.valueOf(a.get(1))), "boolean string string", "Send an arbitrary UNIX signal to the process named by name");
        add(table, "signalProcessGroup", 2, 2, a -> signalProcessGroup(Args.string(a, 0), String.valueOf(a.get(1))), "array string string", "Send a signal to all processes in the group named 'name'");
        add(table, "signalAllProcesses", 1, 1, a -> signalAll(String.valueOf(a.get(0))), "array string", "Send a signal to all processes in the process list");
        add(table, "getAllConfigInfo", 0, 0, a -> allConfigInfo(), "array", "Get info about all available process configurations.");
        add(table, "getProcessInfo", 1, 1, a -> processInfo(Args.string(a, 0)), "struct string", "Get info about a process named name");
        add(table, "getAllProcessInfo", 0, 0, a -> allProcessInfo(), "array", "Get info about all processes");
        add(table, "readProcessStdoutLog", 3, 3, a -> readProcessLog(Args.string(a, 0), Args.integer(a, 1), Args.integer(a, 2), false), "string string int int", "Read length bytes from name's stdout log starting at offset");
        add(table, "readProcessLog", 3, 3, a -> readProcessLog(Args.string(a, 0), Args.integer(a, 1), Args.integer(a, 2), false), "string string int int", "Read length bytes from name's stdout log starting at offset");
        add(table, "readProcessStderrLog", 3, 3, a -> readProcessLog(Args.string(a, 0), Args.integer(a, 1), Args.integer(a, 2), true), "string string int int", "Read length bytes from name's stderr log starting at offset");
        add(table, "tailProcessStdoutLog", 3, 3, a -> tailProcessLog(Args.string(a, 0), Args.integer(a, 1), Args.integer(a, 2), false), "array string int int", "Provides a more efficient way to tail the (stdout) log than readProcessStdoutLog().");
        add(table, "tailProcessLog", 3, 3, a -> tailProcessLog(Args.string(a, 0), Args.integer(a, 1), Args.integer(a, 2), false), "array string int int", "Provides a more efficient way to tail the (stdout) log than readProcessStdoutLog().");
        add(table, "tailProcessStderrLog", 3, 3, a -> tailProcessLog(Args.string(a, 0), Args.integer(a, 1), Args.integer(a, 2), true), "array string int int", "Provides a more efficient way to tail the (stderr) log than readProcessStderrLog().");
        add(table, "clearProcessLogs", 1, 1, a -> clearProcessLogs(Args.string(a, 0)), "boolean string", "Clear the stdout and stderr logs for the named process and reopen them.");
        add(table, "clearProcessLog", 1, 1, a -> clearProcessLogs(Args.string(a, 0)), "boolean string", "Clear the stdout and stderr logs for the named process and reopen them.");
        add(table, "clearAllProcessLogs", 0, 0, a -> clearAllProcessLogs(), "array", "Clear all process log files");
        add(table, "sendProcessStdin", 2, 2, a -> sendProcessStdin(Args.string(a, 0), a.get(1)), "boolean string string", "Send a string of chars to the stdin of the process name.");
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

    // ---- daemon -----------------------------------------------------------------------------

    private Map<String, Object> state() {
        SupervisorState s = engine.supervisorState();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("statecode", s.code());
        m.put("statename", s.name());
        return m;
    }

    private String readMainLog(int offset, int length) throws XmlRpcFault {
        if (mainLog == null || !Files.exists(mainLog)) {
            throw mainLog == null ? new XmlRpcFault(Fault.NO_FILE) : new XmlRpcFault(Fault.NO_FILE, mainLog.toString());
        }
        return LogFiles.read(mainLog, offset, length);
    }

    private boolean clearMainLog() throws XmlRpcFault {
        try {
            engine.log().clear();
        } catch (IOException e) {
            throw new XmlRpcFault(Fault.FAILED, "clearLog: " + e.getMessage());
        }
        engine.log().info("reopening log file");
        return true;
    }

    private List<Object> reloadConfig() throws XmlRpcFault {
        SupervisorConfig fresh;
        try {
            fresh = reloader.reload();
        } catch (ConfigException e) {
            throw new XmlRpcFault(Fault.CANT_REREAD, e.getMessage());
        }
        engine.config(fresh);
        Map<String, GroupConfig> cur = new LinkedHashMap<>();
        engine.groups().values().forEach(g -> cur.put(g.name(), g.config()));
        List<Object> added = new ArrayList<>();
        List<Object> changed = new ArrayList<>();
        List<Object> removed = new ArrayList<>();
        for (GroupConfig g : fresh.groups()) {
            if (!cur.containsKey(g.name())) {
                added.add(g.name());
            } else if (!cur.get(g.name()).equals(g)) {
                changed.add(g.name());
            }
        }
        for (String name : cur.keySet()) {
            if (fresh.group(name).isEmpty()) {
                removed.add(name);
            }
        }
        return List.of(List.of(added, changed, removed));
    }

    private boolean addProcessGroup(String name) throws XmlRpcFault {
        for (GroupConfig g : engine.config().groups()) {
            if (g.name().equals(name)) {
                if (!engine.addGroup(g)) {
                    throw new XmlRpcFault(Fault.ALREADY_ADDED, name);
                }
                return true;
            }
        }
        throw new XmlRpcFault(Fault.BAD_NAME, name);
    }

    private boolean removeProcessGroup(String name) throws XmlRpcFault {
        if (!engine.groups().containsKey(name)) {
            throw new XmlRpcFault(Fault.BAD_NAME, name);
        }
        if (!engine.removeGroup(name)) {
            throw new XmlRpcFault(Fault.STILL_RUNNING, name);
        }
        return true;
    }

    // ---- lookups ------------------------------------------------------------------------------

    private record Target(ProcessGroup group, Subprocess process) {
    }

    /** supervisord's _getGroupAndProcess: "name", "group:name", "group:" or "group:*". */
    private Target find(String namespec) throws XmlRpcFault {
        String groupName;
        String processName;
        int colon = namespec.indexOf(':');
        if (colon >= 0) {
            groupName = namespec.substring(0, colon);
            processName = namespec.substring(colon + 1);
            if (processName.isEmpty() || processName.equals("*")) {
                processName = null;
            }
        } else {
            groupName = namespec;
            processName = namespec;
        }
        ProcessGroup g = engine.groups().get(groupName);
        if (g == null) {
            throw new XmlRpcFault(Fault.BAD_NAME, namespec);
        }
        if (processName == null) {
            return new Target(g, null);
        }
        Subprocess p = g.processes().get(processName);
        if (p == null) {
            throw new XmlRpcFault(Fault.BAD_NAME, namespec);
        }
        return new Target(g, p);
    }

    private static String namespec(String group, String process) {
        return group.equals(process) ? process : group + ":" + process;
    }

    /** Processes as supervisord's _getAllProcesses: groups by (priority, name), or lexically. */
    private List<Subprocess> all(boolean lexical) {
        List<ProcessGroup> groups = new ArrayList<>(engine.groups().values());
        if (lexical) {
            groups.sort(Comparator.comparing(ProcessGroup::name));
        } else {
            groups = engine.sortedGroups();
        }
        List<Subprocess> out = new ArrayList<>();
        for (ProcessGroup g : groups) {
            List<Subprocess> ps = lexical ? new ArrayList<>(g.processes().values()) : g.sorted();
            if (lexical) {
                ps.sort(Comparator.comparing(Subprocess::name));
            }
            out.addAll(ps);
        }
        return out;
    }

    // ---- start / stop / signal ------------------------------------------------------------

    private Object startProcess(String name, boolean wait) throws XmlRpcFault {
        Target t = find(name);
        if (t.process() == null) {
            return startProcessGroup(t.group().name(), wait);
        }
        Subprocess p = t.process();
        try {
            p.checkCommand();
        } catch (Exception e) {
            throw new XmlRpcFault(Subprocess.isNotFound(e) ? Fault.NO_FILE : Fault.NOT_EXECUTABLE, e.getMessage());
        }
        if (p.state().isRunning()) {
            throw new XmlRpcFault(Fault.ALREADY_STARTED, name);
        }
        if (p.state() == ProcessState.UNKNOWN) {
            throw new XmlRpcFault(Fault.FAILED, name + " is in an unknown process state");
        }
        p.spawn();
        if (p.spawnerr() != null) {
            throw new XmlRpcFault(Fault.SPAWN_ERROR, name);
        }
        p.transition();
        if (wait && p.state() != ProcessState.RUNNING) {
            return deferred.await(p, () -> {
                if (p.spawnerr() != null) {
                    throw new XmlRpcFault(Fault.SPAWN_ERROR, name);
                }
                if (p.state() != ProcessState.STARTING && p.state() != ProcessState.RUNNING) {
                    throw new XmlRpcFault(Fault.ABNORMAL_TERMINATION, name);
                }
                return p.state() == ProcessState.RUNNING ? Boolean.TRUE : null;
            });
        }
        return true;
    }

    private Object stopProcess(String name, boolean wait) throws XmlRpcFault {
        Target t = find(name);
        if (t.process() == null) {
            return stopProcessGroup(t.group().name(), wait);
        }
        Subprocess p = t.process();
        if (!p.state().isRunning()) {
            throw new XmlRpcFault(Fault.NOT_RUNNING, name);
        }
        String msg = p.stop();
        if (msg != null) {
            throw new XmlRpcFault(Fault.FAILED, msg);
        }
        if (wait && !p.state().isStopped()) {
            return deferred.await(p, () -> p.state().isStopped() ? Boolean.TRUE : null);
        }
        return true;
    }

    private Object signalProcess(String name, String signal) throws XmlRpcFault {
        Target t = find(name);
        if (t.process() == null) {
            return signalProcessGroup(t.group().name(), signal);
        }
        int sig;
        try {
            sig = Signals.parse(signal);
        } catch (IllegalArgumentException e) {
            throw new XmlRpcFault(Fault.BAD_SIGNAL, signal);
        }
        if (!t.process().state().isSignallable()) {
            throw new XmlRpcFault(Fault.NOT_RUNNING, name);
        }
        String msg = t.process().signal(sig);
        if (msg != null) {
            throw new XmlRpcFault(Fault.FAILED, msg);
        }
        return true;
    }

    private ProcessGroup group(String name) throws XmlRpcFault {
        ProcessGroup g = engine.groups().get(name);
        if (g == null) {
            throw new XmlRpcFault(Fault.BAD_NAME, name);
        }
        return g;
    }

    private Object startProcessGroup(String name, boolean wait) throws XmlRpcFault {
        return forAll(group(name).sorted(), p -> !p.state().isRunning(), p -> startProcess(spec(p), wait));
    }

    private Object stopProcessGroup(String name, boolean wait) throws XmlRpcFault {
        // ascending like supervisord's stopProcessGroup (only its shutdown goes in descending order)
        return forAll(group(name).sorted(), p -> p.state().isRunning(), p -> stopProcess(spec(p), wait));
    }

    private Object signalProcessGroup(String name, String signal) throws XmlRpcFault {
        return forAll(group(name).sorted(), p -> p.state().isRunning(), p -> signalProcess(spec(p), signal));
    }

    private Object startAll(boolean wait) {
        return forAll(all(false), p -> !p.state().isRunning(), p -> startProcess(spec(p), wait));
    }

    private Object stopAll(boolean wait) {
        return forAll(all(false), p -> p.state().isRunning(), p -> stopProcess(spec(p), wait));
    }

    private Object signalAll(String signal) {
        return forAll(all(false), p -> p.state().isRunning(), p -> signalProcess(spec(p), signal));
    }

    private String spec(Subprocess p) {
        return namespec(p.group(), p.name());
    }

    @FunctionalInterface
    private interface Action {
        Object apply(Subprocess p) throws XmlRpcFault;
    }

    /** supervisord's make_allfunc: act on every matching process, then collect a status struct for each. */
    private CompletableFuture<Object> forAll(List<Subprocess> processes, Predicate<Subprocess> predicate,
            Action action) {
        List<CompletableFuture<Map<String, Object>>> results = new ArrayList<>();
        for (Subprocess p : processes) {
            if (!predicate.test(p)) {
                continue;
            }
            CompletableFuture<Object> f;
            try {
                Object r = action.apply(p);
                f = r instanceof CompletableFuture<?> cf ? cf.thenApply(x -> (Object) x)
                        : CompletableFuture.completedFuture(r);
            } catch (XmlRpcFault e) {
                f = CompletableFuture.failedFuture(e);
            }
            results.add(f.handle((v, e) -> status(p, e)));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(x -> (Object) results.stream().map(CompletableFuture::join).toList());
    }

    private static Map<String, Object> status(Subprocess p, Throwable e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("group", p.group());
        Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
        if (cause instanceof XmlRpcFault f) {
            m.put("status", f.code());
            m.put("description", f.faultString());
        } else if (cause != null) {
            m.put("status", Fault.FAILED.code());
            m.put("description", "FAILED: " + cause.getMessage());
        } else {
            m.put("status", Fault.SUCCESS.code());
            m.put("description", "OK");
        }
        return m;
    }

    // ---- info -------------------------------------------------------------------------------

    private Map<String, Object> processInfo(String name) throws XmlRpcFault {
        Target t = find(name);
        if (t.process() == null) {
            throw new XmlRpcFault(Fault.BAD_NAME, name);
        }
        return info(t.process());
    }

    private List<Object> allProcessInfo() {
        List<Object> out = new ArrayList<>();
        for (Subprocess p : all(true)) {
            out.add(info(p));
        }
        return out;
    }

    static Map<String, Object> info(Subprocess p) {
        long now = System.currentTimeMillis() / 1000;
        int start = (int) (p.laststartWall() / 1000);
        int stop = (int) (p.laststopWall() / 1000);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("group", p.group());
        m.put("start", start);
        m.put("stop", stop);
        m.put("now", (int) now);
        m.put("state", p.state().code());
        m.put("statename", p.state().name());
        m.put("spawnerr", p.spawnerr() == null ? "" : p.spawnerr());
        m.put("exitstatus", p.exitstatus());
        Path out = p.stdoutLogPath();
        Path err = p.stderrLogPath();
        m.put("logfile", out == null ? "" : out.toString());
        m.put("stdout_logfile", out == null ? "" : out.toString());
        m.put("stderr_logfile", err == null ? "" : err.toString());
        m.put("pid", p.pid());
        m.put("description", describe(p, start, stop, (int) now));
        return m;
    }

    private static final DateTimeFormatter STOPPED_AT = DateTimeFormatter.ofPattern("MMM dd hh:mm a", Locale.ENGLISH);

    /** supervisord's _interpretProcessInfo. */
    static String describe(Subprocess p, int start, int stop, int now) {
        switch (p.state()) {
            case RUNNING -> {
                long up = Math.max(0, now - start);
                long days = up / 86400;
                long rest = up % 86400;
                String hms = String.format("%d:%02d:%02d", rest / 3600, (rest % 3600) / 60, rest % 60);
                String uptime = days == 0 ? hms : days + (days == 1 ? " day, " : " days, ") + hms;
                return "pid " + p.pid() + ", uptime " + uptime;
            }
            case FATAL, BACKOFF -> {
                String err = p.spawnerr();
                return err == null || err.isEmpty() ? "unknown error (try \"tail " + p.name() + "\")" : err;
            }
            case STOPPED, EXITED -> {
                if (start == 0) {
                    return "Not started";
                }
                return STOPPED_AT.format(LocalDateTime.ofInstant(Instant.ofEpochSecond(stop), ZoneId.systemDefault()));
            }
            default -> {
                return "";
            }
        }
    }

    private List<Object> allConfigInfo() {
        List<Object> out = new ArrayList<>();
        Map<String, ProcessGroup> active = engine.groups();
        for (GroupConfig g : engine.config().groups()) {
            boolean inuse = active.containsKey(g.name());
            for (ProcessConfig pc : g.processes()) {
                Subprocess running = inuse ? active.get(g.name()).processes().get(pc.name()) : null;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("autostart", pc.autostart());
                m.put("directory", pc.directory() == null ? "none" : pc.directory());
                m.put("uid", pc.uid() == null ? "none" : (Object) pc.uid());
                m.put("command", pc.command());
                m.put("exitcodes", new ArrayList<Object>(pc.exitcodes()));
                m.put("group", g.name());
                m.put("group_prio", g.priority());
                m.put("inuse", inuse);
                m.put("killasgroup", pc.killasgroup());
                m.put("name", pc.name());
                m.put("process_prio", pc.priority());
                m.put("redirect_stderr", pc.redirectStderr());
                m.put("startretries", pc.startretries());
                m.put("startsecs", pc.startsecs());
                m.put("stdout_capture_maxbytes", (int) pc.stdout().captureMaxbytes());
                m.put("stdout_events_enabled", pc.stdout().eventsEnabled());
                m.put("stdout_logfile", ConfigInfo.logfile(pc.stdout(), running == null ? null : running.stdoutLogPath()));
                m.put("stdout_logfile_backups", pc.stdout().backups());
                m.put("stdout_logfile_maxbytes", (int) pc.stdout().maxbytes());
                m.put("stdout_syslog", pc.stdout().syslog());
                m.put("stopsignal", pc.stopsignal());
                m.put("stopwaitsecs", pc.stopwaitsecs());
                m.put("stderr_capture_maxbytes", (int) pc.stderr().captureMaxbytes());
                m.put("stderr_events_enabled", pc.stderr().eventsEnabled());
                m.put("stderr_logfile", ConfigInfo.logfile(pc.stderr(), running == null ? null : running.stderrLogPath()));
                m.put("stderr_logfile_backups", pc.stderr().backups());
                m.put("stderr_logfile_maxbytes", (int) pc.stderr().maxbytes());
                m.put("stderr_syslog", pc.stderr().syslog());
                m.put("serverurl", ConfigInfo.serverurl(pc.serverurl()));
                out.add(m);
            }
        }
        out.sort(Comparator.comparing((Object o) -> (String) ((Map<?, ?>) o).get("name")));
        return out;
    }

    // ---- process logs and stdin -------------------------------------------------------------

    private Subprocess process(String name) throws XmlRpcFault {
        Target t = find(name);
        if (t.process() == null) {
            throw new XmlRpcFault(Fault.BAD_NAME, name);
        }
        return t.process();
    }

    private String readProcessLog(String name, int offset, int length, boolean stderr) throws XmlRpcFault {
        Subprocess p = process(name);
        Path file = stderr ? p.stderrLogPath() : p.stdoutLogPath();
        if (file == null || !Files.exists(file)) {
            throw file == null ? new XmlRpcFault(Fault.NO_FILE) : new XmlRpcFault(Fault.NO_FILE, file.toString());
        }
        return LogFiles.read(file, offset, length);
    }

    private List<Object> tailProcessLog(String name, int offset, int length, boolean stderr) throws XmlRpcFault {
        Subprocess p = process(name);
        Path file = stderr ? p.stderrLogPath() : p.stdoutLogPath();
        if (file == null || !Files.exists(file)) {
            return List.of("", 0, false);
        }
        return LogFiles.tail(file, offset, length);
    }

    private boolean clearProcessLogs(String name) throws XmlRpcFault {
        Subprocess p = process(name);
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

    private List<Object> clearAllProcessLogs() {
        List<Object> out = new ArrayList<>();
        for (Subprocess p : all(false)) {
            XmlRpcFault fault = null;
            try {
                clearProcessLogs(namespec(p.group(), p.name()));
            } catch (XmlRpcFault e) {
                fault = e;
            }
            out.add(status(p, fault));
        }
        return out;
    }

    private boolean sendProcessStdin(String name, Object chars) throws XmlRpcFault {
        byte[] data;
        if (chars instanceof String s) {
            data = s.getBytes(StandardCharsets.UTF_8);
        } else if (chars instanceof byte[] b) {
            data = b;
        } else {
            throw new XmlRpcFault(Fault.INCORRECT_PARAMETERS, Args.pyStr(chars));
        }
        Subprocess p = process(name);
        if (!p.state().isRunning() || p.pid() == 0) {
            throw new XmlRpcFault(Fault.NOT_RUNNING, name);
        }
        return switch (p.writeStdin(data)) {
            case WRITTEN, QUEUED -> true;
            case CLOSED -> throw new XmlRpcFault(Fault.NO_FILE, name);
            // the engine never blocks on a child's stdin: a child that does not read it fills a bounded buffer
            case FULL -> throw new XmlRpcFault(Fault.FAILED, "stdin of " + name + " is full: "
                    + dev.radial.spoke.os.StdinPipe.LIMIT + " bytes wait for the process to read them");
        };
    }

    /** For the logtail endpoint: the file behind a "name[/channel]". */
    public Path logFile(String name, boolean stderr) throws XmlRpcFault {
        Subprocess p = process(name);
        return stderr ? p.stderrLogPath() : p.stdoutLogPath();
    }

    public Path mainLog() {
        return mainLog;
    }
}
