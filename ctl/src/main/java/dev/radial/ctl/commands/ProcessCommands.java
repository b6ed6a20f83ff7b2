package dev.radial.ctl.commands;

import dev.radial.common.states.ProcessState;
import dev.radial.common.xmlrpc.Fault;
import dev.radial.common.xmlrpc.XmlRpcFault;
import dev.radial.ctl.Controller;
import dev.radial.ctl.LsbExit;
import dev.radial.ctl.Namespec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** status, start, stop, restart, signal, pid, clear: supervisorctl's process commands, output for output. */
final class ProcessCommands {
    private ProcessCommands() {
    }

    static List<Command> all() {
        return List.of(
                Command.of("status", """
                        status <name>\t\tGet status for a single process
                        status <gname>:*\tGet status for all processes in a group
                        status <name> <name>\tGet status for multiple named processes
                        status\t\t\tGet all process status info""", ProcessCommands::status),
                Command.of("start", """
                        start <name>\t\tStart a process
                        start <gname>:*\t\tStart all processes in a group
                        start <name> <name>\tStart multiple processes or groups
                        start all\t\tStart all processes""", ProcessCommands::start),
                Command.of("stop", """
                        stop <name>\t\tStop a process
                        stop <gname>:*\t\tStop all processes in a group
                        stop <name> <name>\tStop multiple processes or groups
                        stop all\t\tStop all processes""", ProcessCommands::stop),
                Command.of("restart", """
                        restart <name>\t\tRestart a process
                        restart <gname>:*\tRestart all processes in a group
                        restart <name> <name>\tRestart multiple processes or groups
                        restart all\t\tRestart all processes
                        Note: restart does not reread config files. For that, see reread and update.""",
                        ProcessCommands::restart),
                Command.of("signal", """
                        signal <signal name> <name>\t\tSignal a process
                        signal <signal name> <gname>:*\t\tSignal all processes in a group
                        signal <signal name> <name> <name>\tSignal multiple processes or groups
                        signal <signal name> all\t\tSignal all processes""", ProcessCommands::signal),
                Command.of("pid", """
                        pid\t\t\tGet the PID of supervisord.
                        pid <name>\t\tGet the PID of a single child process by name.
                        pid all\t\t\tGet the PID of every child process, one per line.""", ProcessCommands::pid),
                Command.of("clear", """
                        clear <name>\t\tClear a process' log files.
                        clear <name> <name>\tClear multiple process' log files
                        clear all\t\tClear all process' log files""", ProcessCommands::clear));
    }

    static List<String> words(String arg) {
        String s = arg.strip();
        return s.isEmpty() ? List.of() : List.of(s.split("\\s+"));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> structs(Object value) {
        return (List<Map<String, Object>>) value;
    }

    private static void status(Controller ctl, String arg) throws IOException, XmlRpcFault {
        if (!ctl.upcheck()) {
            // supervisorctl overrides upcheck's code: status exits 4 whatever the reason
            ctl.exitStatus(LsbExit.STATUS_UNKNOWN);
            return;
        }
        List<Map<String, Object>> all = structs(ctl.call("getAllProcessInfo"));
        List<String> names = words(arg);
        List<Map<String, Object>> matching;
        if (names.isEmpty() || names.contains("all")) {
            matching = ctl.scope() == null ? all : Scope.own(ctl, all, LsbExit.STATUS_UNKNOWN);
        } else {
            matching = new ArrayList<>();
            for (String name : names) {
                Namespec spec = Namespec.split(name);
                boolean found = false;
                for (Map<String, Object> info : all) {
                    boolean matched = info.get("group").equals(spec.group())
                            && (spec.process() == null || info.get("name").equals(spec.process()));
                    if (matched) {
                        found = true;
                        matching.add(info);
                    }
                }
                if (!found) {
                    ctl.output(spec.process() == null ? spec.group() + ": ERROR (no such group)"
                            : name + ": ERROR (no such process)");
                    ctl.exitStatus(LsbExit.STATUS_UNKNOWN);
                }
            }
        }
        showStatuses(ctl, matching);
        for (Map<String, Object> info : matching) {
            if (ProcessState.fromCode((Integer) info.get("state")).isStopped()) {
                ctl.exitStatus(LsbExit.STATUS_NOT_RUNNING);
            }
        }
    }

    /**
     * The status table: the name column is at least 30 wide, plus 3; the state column 10; then the description
     * (and ", health: healthy" for a process with health probes).
     */
    private static void showStatuses(Controller ctl, List<Map<String, Object>> infos) {
        int width = 30;
        List<String> specs = new ArrayList<>();
        for (Map<String, Object> info : infos) {
            String spec = Namespec.make((String) info.get("group"), (String) info.get("name"));
            specs.add(spec);
            width = Math.max(width, spec.length());
        }
        for (int i = 0; i < infos.size(); i++) {
            Map<String, Object> info = infos.get(i);
            // a process with health probes (ours) shows their verdict; without, the line is supervisorctl's
            Object health = info.get("health");
            String suffix = health == null || health.toString().isEmpty() ? "" : ", health: " + health;
            ctl.result(pad(specs.get(i), width + 3) + pad((String) info.get("statename"), 10) + info.get("description")
                    + suffix, info);
        }
    }

    static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** A result line plus its JSON record: {name, status (fault code, 80 is success), result or error}. */
    static void report(Controller ctl, String name, int code, String line, boolean ok) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", name);
        item.put("status", code);
        item.put(ok ? "result" : "error", line.substring(Math.min(line.length(), name.length() + 2)));
        ctl.result(line, item);
    }

    /** The fault for a result code; an unknown code is an error, as supervisorctl's assertion makes it. */
    static Fault known(int code, String name) {
        Fault f = Fault.fromCode(code);
        if (f == null) {
            throw new IllegalStateException("Unknown result code " + code + " for " + name);
        }
        return f;
    }

    private static void startResult(Controller ctl, String group, String process, int code) {
        String name = Namespec.make(group, process);
        String reason = switch (known(code, name)) {
            case BAD_NAME -> "no such process";
            case NO_FILE -> "no such file";
            case NOT_EXECUTABLE -> "file is not executable";
            case ALREADY_STARTED -> "already started";
            case SPAWN_ERROR -> "spawn error";
            case ABNORMAL_TERMINATION -> "abnormal termination";
            case SUCCESS -> null;
            default -> throw new IllegalStateException("Unknown result code " + code + " for " + name);
        };
        report(ctl, name, code, reason == null ? name + ": started" : name + ": ERROR (" + reason + ")", reason == null);
        ctl.exitStatusFromFault(code, Fault.ALREADY_STARTED);
    }

    /** _signalresult, also used for stop ("stopped") and the FAILED case that prints the fault text alone. */
    private static void signalResult(Controller ctl, String group, String process, int code, String description,
            String success, Fault ignored) {
        String name = Namespec.make(group, process);
        String line = switch (known(code, name)) {
            case BAD_NAME -> name + ": ERROR (no such process)";
            case BAD_SIGNAL -> name + ": ERROR (bad signal name)";
            case NOT_RUNNING -> name + ": ERROR (not running)";
            case SUCCESS -> name + ": " + success;
            case FAILED -> description;
            default -> throw new IllegalStateException("Unknown result code " + code + " for " + name);
        };
        report(ctl, name, code, line, code == Fault.SUCCESS.code());
        ctl.exitStatusFromFault(code, ignored);
    }

    private static void eachResult(Object results, ResultPrinter printer) {
        for (Map<String, Object> r : structs(results)) {
            printer.print((String) r.get("group"), (String) r.get("name"), (Integer) r.get("status"),
                    (String) r.get("description"));
        }
    }

    @FunctionalInterface
    private interface ResultPrinter {
        void print(String group, String name, int code, String description);
    }

    private static void start(Controller ctl, String arg) throws IOException, XmlRpcFault {
        if (!ctl.upcheck()) {
            return;
        }
        List<String> names = words(arg);
        if (names.isEmpty()) {
            ctl.output("Error: start requires a process name");
            ctl.exitStatus(LsbExit.INVALID_ARGS);
            ctl.output(Commands.all().get("start").help());
            return;
        }
        names = Scope.expandAll(ctl, names, LsbExit.GENERIC);
        if (names == null) {
            return;
        }
        ResultPrinter printer = (g, n, code, d) -> startResult(ctl, g, n, code);
        if (names.contains("all")) {
            eachResult(ctl.call("startAllProcesses"), printer);
            return;
        }
        for (String name : names) {
            Namespec spec = Namespec.split(name);
            if (spec.process() == null) {
                try {
                    eachResult(ctl.call("startProcessGroup", spec.group()), printer);
                } catch (XmlRpcFault f) {
                    if (f.code() != Fault.BAD_NAME.code()) {
                        ctl.exitStatus(LsbExit.GENERIC);
                        throw f;
                    }
                    ctl.output(spec.group() + ": ERROR (no such group)");
                    ctl.exitStatus(LsbExit.INVALID_ARGS);
                }
            } else {
                try {
                    ctl.call("startProcess", name);
                    report(ctl, spec.toString(), Fault.SUCCESS.code(), spec + ": started", true);
                } catch (XmlRpcFault f) {
                    startResult(ctl, spec.group(), spec.process(), f.code());
                }
            }
        }
    }

    private static void stop(Controller ctl, String arg) throws IOException, XmlRpcFault {
        if (!ctl.upcheck()) {
            return;
        }
        List<String> names = words(arg);
        if (names.isEmpty()) {
            ctl.output("Error: stop requires a process name");
            ctl.exitStatus(LsbExit.GENERIC);
            ctl.output(Commands.all().get("stop").help());
            return;
        }
        names = Scope.expandAll(ctl, names, LsbExit.GENERIC);
        if (names == null) {
            return;
        }
        ResultPrinter printer = (g, n, code, d) -> signalResult(ctl, g, n, code, d, "stopped", Fault.NOT_RUNNING);
        if (names.contains("all")) {
            eachResult(ctl.call("stopAllProcesses"), printer);
            return;
        }
        for (String name : names) {
            Namespec spec = Namespec.split(name);
            if (spec.process() == null) {
                try {
                    eachResult(ctl.call("stopProcessGroup", spec.group()), printer);
                } catch (XmlRpcFault f) {
                    ctl.exitStatus(LsbExit.GENERIC);
                    if (f.code() != Fault.BAD_NAME.code()) {
                        throw f;
                    }
                    ctl.output(spec.group() + ": ERROR (no such group)");
                }
            } else {
                try {
                    ctl.call("stopProcess", name);
                    report(ctl, spec.toString(), Fault.SUCCESS.code(), spec + ": stopped", true);
                } catch (XmlRpcFault f) {
                    printer.print(spec.group(), spec.process(), f.code(), f.faultString());
                }
            }
        }
    }

    private static void restart(Controller ctl, String arg) throws IOException, XmlRpcFault {
        if (!ctl.upcheck()) {
            return;
        }
        if (words(arg).isEmpty()) {
            ctl.output("Error: restart requires a process name");
            ctl.exitStatus(LsbExit.GENERIC);
            ctl.output(Commands.all().get("restart").help());
            return;
        }
        stop(ctl, arg);
        start(ctl, arg);
    }

    private static void signal(Controller ctl, String arg) throws IOException, XmlRpcFault {
        if (!ctl.upcheck()) {
            return;
        }
        List<String> args = words(arg);
        if (args.size() < 2) {
            ctl.output("Error: signal requires a signal name and a process name");
            ctl.output(Commands.all().get("signal").help());
            ctl.exitStatus(LsbExit.GENERIC);
            return;
        }
        String sig = args.get(0);
        List<String> names = Scope.expandAll(ctl, args.subList(1, args.size()), LsbExit.GENERIC);
        if (names == null) {
            return;
        }
        ResultPrinter printer = (g, n, code, d) -> signalResult(ctl, g, n, code, d, "signalled", null);
        if (names.contains("all")) {
            eachResult(ctl.call("signalAllProcesses", sig), printer);
            return;
        }
        for (String name : names) {
            Namespec spec = Namespec.split(name);
            if (spec.process() == null) {
                try {
                    eachResult(ctl.call("signalProcessGroup", spec.group(), sig), printer);
                } catch (XmlRpcFault f) {
                    if (f.code() != Fault.BAD_NAME.code()) {
                        throw f;
                    }
                    ctl.output(spec.group() + ": ERROR (no such group)");
                    ctl.exitStatus(LsbExit.GENERIC);
                }
            } else {
                try {
                    ctl.call("signalProcess", name, sig);
                    report(ctl, spec.toString(), Fault.SUCCESS.code(), spec + ": signalled", true);
                } catch (XmlRpcFault f) {
                    printer.print(spec.group(), spec.process(), f.code(), f.faultString());
                }
            }
        }
    }

    private static void pid(Controller ctl, String arg) throws IOException, XmlRpcFault {
        if (!ctl.upcheck()) {
            return;
        }
        List<String> names = words(arg);
        if (names.isEmpty()) {
            Object pid = ctl.call("getPID");
            ctl.result(String.valueOf(pid),
                    Map.of("name", "supervisord", "pid", pid));
        } else if (names.contains("all")) {
            List<Map<String, Object>> infos = structs(ctl.call("getAllProcessInfo"));
            for (Map<String, Object> info : ctl.scope() == null ? infos : Scope.own(ctl, infos, LsbExit.GENERIC)) {
                ctl.result(String.valueOf(info.get("pid")),
                    Map.of("name", Namespec.make((String) info.get("group"), (String) info.get("name")),
                        "pid", info.get("pid")));
            }
        } else {
            for (String name : names) {
                try {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> info = (Map<String, Object>) ctl.call("getProcessInfo", name);
                    int pid = (Integer) info.get("pid");
                    ctl.result(String.valueOf(pid),
                    Map.of("name", name, "pid", pid));
                    if (pid == 0) {
                        ctl.exitStatus(LsbExit.NOT_RUNNING);
                    }
                } catch (XmlRpcFault f) {
                    ctl.exitStatus(LsbExit.GENERIC);
                    if (f.code() != Fault.BAD_NAME.code()) {
                        throw f;
                    }
                    ctl.output("No such process " + name);
                }
            }
        }
    }

    private static void clearResult(Controller ctl, String group, String process, int code) {
        String name = Namespec.make(group, process);
        String line = switch (known(code, name)) {
            case BAD_NAME -> name + ": ERROR (no such process)";
            case FAILED -> name + ": ERROR (failed)";
            case SUCCESS -> name + ": cleared";
            default -> throw new IllegalStateException("Unknown result code " + code + " for " + name);
        };
        report(ctl, name, code, line, code == Fault.SUCCESS.code());
        ctl.exitStatusFromFault(code, null);
    }

    private static void clear(Controller ctl, String arg) throws IOException, XmlRpcFault {
        if (!ctl.upcheck()) {
            return;
        }
        List<String> names = words(arg);
        if (names.isEmpty()) {
            ctl.output("Error: clear requires a process name");
            ctl.exitStatus(LsbExit.GENERIC);
            ctl.output(Commands.all().get("clear").help());
            return;
        }
        if (names.contains("all") && ctl.scope() != null) {
            names = Scope.own(ctl, structs(ctl.call("getAllProcessInfo")), LsbExit.GENERIC).stream()
                    .map(i -> Namespec.make((String) i.get("group"), (String) i.get("name"))).toList();
        } else if (names.contains("all")) {
            eachResult(ctl.call("clearAllProcessLogs"), (g, n, code, d) -> clearResult(ctl, g, n, code));
            return;
        }
        for (String name : names) {
            Namespec spec = Namespec.split(name);
            try {
                ctl.call("clearProcessLogs", name);
                report(ctl, spec.toString(), Fault.SUCCESS.code(), spec + ": cleared", true);
            } catch (XmlRpcFault f) {
                clearResult(ctl, spec.group(), spec.process(), f.code());
            }
        }
    }
}
