package dev.radial.ctl.commands;

import dev.radial.common.xmlrpc.XmlRpcFault;
import dev.radial.ctl.Controller;
import java.io.IOException;

/** One supervisorctl command: what it does with its argument string, and its help text. */
public record Command(String name, Action action, String help) {
    @FunctionalInterface
    public interface Action {
        /** Runs the command; true ends the interactive shell (quit, exit, EOF). */
        boolean run(Controller ctl, String arg) throws IOException, XmlRpcFault;
    }

    public boolean run(Controller ctl, String arg) throws IOException, XmlRpcFault {
        return action.run(ctl, arg);
    }

    /** A command that never ends the shell. */
    static Command of(String name, String help, Body body) {
        return new Command(name, (ctl, arg) -> {
            body.run(ctl, arg);
            return false;
        }, help);
    }

    @FunctionalInterface
    interface Body {
        void run(Controller ctl, String arg) throws IOException, XmlRpcFault;
    }
}
