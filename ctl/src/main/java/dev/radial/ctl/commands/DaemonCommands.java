package dev.radial.ctl.commands;

import dev.radial.common.client.ServerUrl;
import dev.radial.common.xmlrpc.Fault;
import dev.radial.common.xmlrpc.XmlRpcFault;
import dev.radial.ctl.Controller;
import dev.radial.ctl.LsbExit;
import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.Map;

/** shutdown, reload, version, open, and the shell's quit/exit/EOF. */
final class DaemonCommands {
    private DaemonCommands() {
    }

    static List<Command> all() {
        return List.of(
                Command.of("shutdown", "shutdown \tShut the remote supervisord down.", DaemonCommands::shutdown),
                Command.of("reload", "reload \t\tRestart the remote supervisord.", DaemonCommands::reload),
                Command.of("version", "version\t\t\tShow the version of the remote supervisord process",
                        DaemonCommands::version),
                Command.of("open", "open <url>\tConnect to a remote supervisord process.\n"
                        + "\t\t(for UNIX domain socket, use unix:///socket/path)", DaemonCommands::open),
                new Command("quit", DaemonCommands::quit, "quit\tExit the supervisor shell."),
                new Command("exit", DaemonCommands::quit, "exit\tExit the supervisor shell."),
                new Command("EOF", DaemonCommands::quit, "To quit, type ^D or use the quit command"));
    }

    private static boolean quit(Controller ctl, String arg) {
        ctl.output("");
        return true;
    }

    private static void shutdown(Controller ctl, String arg) throws IOException, XmlRpcFault {
        if (!Commands.noArguments(ctl, "shutdown", arg)) {
            return;
        }
        if (ctl.interactive() && !ctl.confirm("Really shut the remote supervisord process down y/N? ")) {
            return;
        }
        try {
            ctl.call("shutdown");
            ctl.result("Shut down",
                    Map.of("result", "shut down"));
        } catch (XmlRpcFault f) {
            if (f.code() != Fault.SHUTDOWN_STATE.code()) {
                ctl.exitStatus(LsbExit.GENERIC);
                throw f;
            }
            ctl.output("ERROR: already shutting down");
        } catch (ConnectException e) {
            ctl.exitStatus(LsbExit.GENERIC);
            ctl.output("ERROR: " + ctl.serverUrl() + " refused connection (already shut down?)");
        } catch (IOException e) {
            ctl.exitStatus(LsbExit.GENERIC);
            if (!Controller.isNoSuchFile(e)) {
                throw e;
            }
            ctl.output("ERROR: " + ctl.serverUrl() + " no such file (already shut down?)");
        }
    }

    private static void reload(Controller ctl, String arg) throws IOException, XmlRpcFault {
        if (!Commands.noArguments(ctl, "reload", arg)) {
            return;
        }
        if (ctl.interactive() && !ctl.confirm("Really restart the remote supervisord process y/N? ")) {
            return;
        }
        try {
            ctl.call("restart");
            ctl.result("Restarted supervisord",
                    Map.of("result", "restarted"));
        } catch (XmlRpcFault f) {
            ctl.exitStatus(LsbExit.GENERIC);
            if (f.code() != Fault.SHUTDOWN_STATE.code()) {
                throw f;
            }
            ctl.output("ERROR: already shutting down");
        }
    }

    private static void version(Controller ctl, String arg) throws IOException, XmlRpcFault {
        if (!Commands.noArguments(ctl, "version", arg)) {
            return;
        }
        if (!ctl.upcheck()) {
            return;
        }
        Object v = ctl.call("getSupervisorVersion");
        ctl.result(String.valueOf(v),
                    Map.of("version", v));
    }

    /** open URL: switch servers and show status; the exit status is left as it was. */
    private static void open(Controller ctl, String arg) throws IOException, XmlRpcFault {
        String url = arg.strip();
        if (!url.startsWith("unix:") && !url.startsWith("http:")) {
            ctl.output("ERROR: url must be http:// or unix://");
            ctl.exitStatus(LsbExit.GENERIC);
            return;
        }
        try {
            ctl.serverUrl(ServerUrl.parse(url));
        } catch (IllegalArgumentException e) {
            ctl.output("ERROR: " + e.getMessage());
            ctl.exitStatus(LsbExit.GENERIC);
            return;
        }
        int old = ctl.exitStatus();
        Commands.all().get("status").run(ctl, "");
        ctl.exitStatus(old);
    }
}
