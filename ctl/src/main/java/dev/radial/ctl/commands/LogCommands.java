package dev.radial.ctl.commands;

import dev.radial.common.client.HttpStatusException;
import dev.radial.common.client.LogFollower;
import dev.radial.common.states.ProcessState;
import dev.radial.common.xmlrpc.Fault;
import dev.radial.common.xmlrpc.XmlRpcFault;
import dev.radial.ctl.Controller;
import dev.radial.ctl.LsbExit;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** tail, maintail and fg: reading and following process and main logs. */
final class LogCommands {
    private static final String TAIL_HELP = """
            tail [-f] <name> [stdout|stderr] (default stdout)
            Ex:
            tail -f <name>\t\tContinuous tail of named process stdout
            \t\t\tCtrl-C to exit.
            tail -100 <name>\tlast 100 *bytes* of process stdout
            tail <name> stderr\tlast 1600 *bytes* of process stderr""";
    private static final String MAINTAIL_HELP = """
            maintail -f \tContinuous tail of supervisor main log file (Ctrl-C to exit)
            maintail -100\tlast 100 *bytes* of supervisord main log file
            maintail\tlast 1600 *bytes* of supervisor main log file
            """;

    private LogCommands() {
    }

    static List<Command> all() {
        return List.of(Command.of("tail", TAIL_HELP, LogCommands::tail),
                Command.of("maintail", MAINTAIL_HELP, LogCommands::maintail),
                Command.of("fg", "fg <process>\tConnect to a process in foreground mode\n\t\tCtrl-C to exit",
                        LogCommands::fg));
    }

    private static void tail(Controller ctl, String arg) throws IOException, XmlRpcFault {
        if (!ctl.upcheck()) {
            return;
        }
        List<String> args = new ArrayList<>(ProcessCommands.words(arg));
        if (args.isEmpty() || args.size() > 3) {
            ctl.output(args.isEmpty() ? "Error: too few arguments" : "Error: too many arguments");
            ctl.exitStatus(LsbExit.GENERIC);
            ctl.output(TAIL_HELP);
            return;
        }
        String modifier = args.get(0).startsWith("-") ? args.remove(0) : null;
        String name;
        String channel = "stdout";
        if (args.size() == 1) {
            name = args.get(0);
        } else if (!args.isEmpty()) {
            name = args.get(0);
            channel = args.get(args.size() - 1).toLowerCase(java.util.Locale.ROOT);
            if (!channel.equals("stderr") && !channel.equals("stdout")) {
                ctl.output("Error: bad channel '" + channel + "'");
                ctl.exitStatus(LsbExit.GENERIC);
                return;
            }
        } else {
            ctl.output("Error: tail requires process name");
            ctl.exitStatus(LsbExit.GENERIC);
            return;
        }
        int bytes = 1600;
        if (modifier != null) {
            String what = modifier.substring(1);
            if (what.equals("f")) {
                follow(ctl, "/logtail/" + name + "/" + channel);
                return;
            }
            Integer n = pythonInt(what);
            if (n == null) {
                ctl.output("Error: bad argument " + modifier);
                ctl.exitStatus(LsbExit.GENERIC);
                return;
            }
            bytes = n;
        }
        try {
            String text = (String) ctl.call(channel.equals("stdout") ? "readProcessStdoutLog" : "readProcessStderrLog",
                    name, -bytes, 0);
            ctl.result(text,
                    Map.of("name", name, "channel", channel, "text", text));
        } catch (XmlRpcFault f) {
            ctl.exitStatus(LsbExit.GENERIC);
            if (f.code() == Fault.NO_FILE.code()) {
                ctl.output(name + ": ERROR (no log file)");
            } else if (f.code() == Fault.FAILED.code()) {
                ctl.output(name + ": ERROR (unknown error reading log)");
            } else if (f.code() == Fault.BAD_NAME.code()) {
                ctl.output(name + ": ERROR (no such process name)");
            } else {
                throw f;
            }
        }
    }

    private static void maintail(Controller ctl, String arg) throws IOException, XmlRpcFault {
        if (!ctl.upcheck()) {
            return;
        }
        List<String> args = ProcessCommands.words(arg);
        int bytes = 1600;
        if (args.size() > 1) {
            ctl.output("Error: too many arguments");
            ctl.exitStatus(LsbExit.GENERIC);
            ctl.output(MAINTAIL_HELP);
            return;
        } else if (args.size() == 1) {
            String a = args.get(0);
            Integer n = a.startsWith("-") ? pythonInt(a.substring(1)) : null;
            if (a.equals("-f")) {
                follow(ctl, "/mainlogtail");
                return;
            }
            if (n == null) {
                ctl.output("Error: bad argument " + a);
                ctl.exitStatus(LsbExit.GENERIC);
                return;
            }
            bytes = n;
        }
        try {
            String text = (String) ctl.call("readLog", -bytes, 0);
            ctl.result(text,
                    Map.of("name", "supervisord", "text", text));
        } catch (XmlRpcFault f) {
            ctl.exitStatus(LsbExit.GENERIC);
            if (f.code() == Fault.NO_FILE.code()) {
                ctl.output("supervisord: ERROR (no log file)");
            } else if (f.code() == Fault.FAILED.code()) {
                ctl.output("supervisord: ERROR (unknown error reading log)");
            } else {
                throw f;
            }
        }
    }

    /** Python's int() on a modifier: optional sign and surrounding spaces, digits (underscores between). */
    static Integer pythonInt(String s) {
        String t = s.strip();
        if (!t.matches("[+-]?\\d+(_\\d+)*")) {
            return null;
        }
        try {
            return Integer.parseInt(t.replace("_", ""));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** supervisorctl's _tailf: stream until the server ends it or Ctrl-C, which ends the command quietly. */
    private static void follow(Controller ctl, String path) {
        ctl.output("==> Press Ctrl-C to exit <==");
        PrintStream sink = ctl.out().stream();
        try (LogFollower follower = ctl.supervisor().follow(path, sink)) {
            boolean interrupted = untilInterrupt(follower, () -> follower.run());
            if (interrupted) {
                ctl.output("");
            }
        } catch (HttpStatusException e) {
            // http_client.Listener.error: "<url> <message>" on stderr; supervisorctl's exit status is untouched
            System.err.println(ctl.serverUrl() + path + " Cannot read, status code " + e.status());
        } catch (IOException e) {
            System.err.println(ctl.serverUrl() + path + " Cannot connect, error: " + e.getMessage());
        }
    }

    @FunctionalInterface
    private interface Blocking {
        void run() throws IOException;
    }

    /** Runs {@code body} with SIGINT closing {@code stop} instead of killing the JVM; true if it was interrupted. */
    private static boolean untilInterrupt(AutoCloseable stop, Blocking body) throws IOException {
        boolean[] interrupted = {false};
        SignalHandler previous = Signal.handle(new Signal("INT"), sig -> {
            interrupted[0] = true;
            try {
                stop.close();
            } catch (Exception ignored) {
                // closing is best effort
            }
        });
        try {
            body.run();
        } finally {
            Signal.handle(new Signal("INT"), previous);
        }
        return interrupted[0];
    }

    private static void fg(Controller ctl, String arg) throws IOException, XmlRpcFault {
        if (!ctl.upcheck()) {
            return;
        }
        List<String> names = ProcessCommands.words(arg);
        if (names.isEmpty()) {
            ctl.output("ERROR: no process name supplied");
            ctl.exitStatus(LsbExit.GENERIC);
            ctl.output("fg <process>\tConnect to a process in foreground mode\n\t\tCtrl-C to exit");
            return;
        }
        if (names.size() > 1) {
            ctl.output("ERROR: too many process names supplied");
            ctl.exitStatus(LsbExit.GENERIC);
            return;
        }
        String name = names.get(0);
        Map<String, Object> info;
        try {
            info = struct(ctl.call("getProcessInfo", name));
        } catch (XmlRpcFault f) {
            if (f.code() == Fault.BAD_NAME.code()) {
                ctl.output("ERROR: bad process name supplied");
                ctl.exitStatus(LsbExit.GENERIC);
            } else {
                ctl.output("ERROR: <Fault " + f.code() + ": '" + f.faultString() + "'>");
            }
            return;
        }
        if (!isRunning(info)) {
            ctl.output("ERROR: process not running");
            ctl.exitStatus(LsbExit.GENERIC);
            return;
        }
        ctl.output("==> Press Ctrl-C to exit <==");
        PrintStream sink = ctl.out().stream();
        LogFollower out = ctl.supervisor().follow("/logtail/" + name + "/stdout", sink);
        LogFollower err = ctl.supervisor().follow("/logtail/" + name + "/stderr", sink);
        List<Thread> readers = List.of(streamThread(out), streamThread(err));
        // supervisorctl: Ctrl-C (KeyboardInterrupt) or Ctrl-D (EOFError) prints "Exiting foreground" and the
        // command ends normally. SIGINT stops the log streams and interrupts the input side, which waits in
        // LineInput (interruptible) or in a call to the server.
        Thread self = Thread.currentThread();
        java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
        SignalHandler previous = Signal.handle(new Signal("INT"), sig -> {
            interrupted.set(true);
            out.close();
            err.close();
            self.interrupt();
        });
        try {
            forwardInput(ctl, name);
        } catch (IOException e) {
            if (!interrupted.get()) {
                throw e;
            }
        } finally {
            Signal.handle(new Signal("INT"), previous);
            Thread.interrupted(); // a SIGINT that came as the command ended must not hit the next one
            if (interrupted.get()) {
                ctl.close(); // a call interrupted midway closed its channel: the next command reconnects
            }
            ctl.output("Exiting foreground");
            out.close();
            err.close();
            for (Thread t : readers) {
                t.interrupt();
            }
        }
    }

    /** fg's input side: every line typed goes to the process's stdin until it dies or input ends. */
    private static void forwardInput(Controller ctl, String name) throws IOException, XmlRpcFault {
        String line;
        while ((line = ctl.input().readLine()) != null) {
            try {
                ctl.call("sendProcessStdin", name, line + "\n");
            } catch (XmlRpcFault f) {
                ctl.output(f.code() == Fault.NOT_RUNNING.code() ? "Process got killed"
                        : "ERROR: <Fault " + f.code() + ": '" + f.faultString() + "'>");
                return;
            }
            if (!isRunning(struct(ctl.call("getProcessInfo", name)))) {
                ctl.output("Process got killed");
                return;
            }
        }
    }

    private static Thread streamThread(LogFollower follower) {
        Thread t = new Thread(() -> {
            try {
                follower.run();
            } catch (IOException e) {
                System.err.println("fg: " + e.getMessage());
            }
        }, "fg-log");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> struct(Object o) {
        return (Map<String, Object>) o;
    }

    private static boolean isRunning(Map<String, Object> info) {
        return ((Integer) info.get("state")) == ProcessState.RUNNING.code();
    }
}
