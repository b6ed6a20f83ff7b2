package dev.radial.ctl;

import dev.radial.common.client.HttpStatusException;
import dev.radial.common.client.ServerUrl;
import dev.radial.common.client.SupervisorClient;
import dev.radial.common.xmlrpc.Fault;
import dev.radial.common.xmlrpc.XmlRpcFault;
import dev.radial.ctl.commands.Command;
import dev.radial.ctl.commands.Commands;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.List;
import java.util.Map;

/**
 * supervisorctl's Controller for one server: runs command lines, keeps the exit status, talks to the server
 * through one keep-alive {@link SupervisorClient}.
 */
public final class Controller implements AutoCloseable {
    /** The API version supervisorctl insists on (rpcinterface.API_VERSION). */
    public static final String API_VERSION = "3.0";

    private final Map<String, Command> commands = Commands.all();
    private final Output out;
    private final BufferedReader in;
    private ServerUrl serverUrl;
    private String username;
    private String password;
    private final boolean interactive;
    private int exitStatus = LsbExit.SUCCESS;
    private SupervisorClient client;
    private String scope;

    public Controller(ServerUrl serverUrl, String username, String password, boolean interactive, Output out,
            BufferedReader in) {
        this.serverUrl = serverUrl;
        this.username = username;
        this.password = password;
        this.interactive = interactive;
        this.out = out;
        this.in = in;
    }

    public int exitStatus() {
        return exitStatus;
    }

    public void exitStatus(int status) {
        this.exitStatus = status;
    }

    /**
     * Wheel-wide use (-w, --all, without --all-groups): the spoke whose own group {@code all} and a bare
     * {@code status} mean on this server, instead of every group it has loaded.
     */
    public Controller scope(String spoke) {
        this.scope = spoke;
        return this;
    }

    /** The spoke this controller is scoped to, or null for supervisorctl's "everything". */
    public String scope() {
        return scope;
    }

    public boolean interactive() {
        return interactive;
    }

    public ServerUrl serverUrl() {
        return serverUrl;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** The {@code open} command: talk to another server from now on. */
    public void serverUrl(ServerUrl url) {
        close();
        this.serverUrl = url;
    }

    public BufferedReader input() {
        return in;
    }

    public void output(String text) {
        out.line(text);
    }

    /** A result: supervisorctl's line in text mode, the record with --json. */
    public void result(String line, Map<String, Object> record) {
        out.result(line, record);
    }

    /** Results known all at once, in order: {@link Output#results}. */
    public void results(List<String> lines, List<Map<String, Object>> records) {
        out.results(lines, records);
    }

    public Output out() {
        return out;
    }

    public SupervisorClient supervisor() {
        if (client == null) {
            client = SupervisorClient.to(serverUrl).credentials(username, password).open();
        }
        return client;
    }

    /** Calls supervisor.{@code method}. */
    public Object call(String method, Object... params) throws IOException, XmlRpcFault {
        return supervisor().call("supervisor." + method, params);
    }

    /**
     * One line as supervisorctl's onecmd runs it: a blank line does nothing; an unknown command or a failure
     * sets exit status 1 with supervisorctl's message. Returns true when the line ends the shell.
     */
    public boolean onecmd(String line) {
        Parsed p = Parsed.of(line);
        if (p == null) {
            return false;
        }
        Command command = p.command().isEmpty() ? null : commands.get(p.command());
        if (command == null) {
            output("*** Unknown syntax: " + p.line());
            exitStatus = LsbExit.GENERIC;
            return false;
        }
        try {
            return command.run(this, p.arg());
        } catch (HttpStatusException e) {
            if (e.status() == 401) {
                output("Server requires authentication");
                if (interactive && askCredentials()) {
                    return onecmd(line);
                }
            } else {
                output(pythonError(e));
            }
            exitStatus = LsbExit.GENERIC;
        } catch (XmlRpcFault | IOException | RuntimeException e) {
            output(pythonError(e));
            exitStatus = LsbExit.GENERIC;
        }
        return false;
    }

    /**
     * supervisorctl's upcheck: getVersion must answer "3.0". Prints the reason and sets the exit status when
     * not; faults and errors other than the ones supervisorctl names propagate to {@link #onecmd}.
     */
    public boolean upcheck() throws IOException, XmlRpcFault {
        try {
            Object api = call("getVersion");
            if (!API_VERSION.equals(api)) {
                output("Sorry, this version of supervisorctl expects to talk to a server with API version "
                        + API_VERSION + ", but the remote version is " + api + ".");
                exitStatus = LsbExit.NOT_INSTALLED;
                return false;
            }
            return true;
        } catch (XmlRpcFault f) {
            if (f.code() == Fault.UNKNOWN_METHOD.code()) {
                output("Sorry, supervisord responded but did not recognize the supervisor namespace commands that "
                        + "supervisorctl uses to control it.  Please check that the [rpcinterface:supervisor] "
                        + "section is enabled in the configuration file (see sample.conf).");
                exitStatus = LsbExit.UNIMPLEMENTED_FEATURE;
                return false;
            }
            exitStatus = LsbExit.GENERIC;
            throw f;
        } catch (ConnectException e) {
            output(serverUrl + " refused connection");
            exitStatus = LsbExit.INSUFFICIENT_PRIVILEGES;
            return false;
        } catch (SocketException e) {
            if (isNoSuchFile(e)) {
                output(serverUrl + " no such file");
                exitStatus = LsbExit.NOT_RUNNING;
                return false;
            }
            exitStatus = LsbExit.GENERIC;
            throw e;
        }
    }

    /**
     * set_exitstatus_from_xmlrpc_fault: SPAWN_ERROR, ABNORMAL_TERMINATION and NOT_RUNNING mean a dead program
     * (7); the ignored code and SUCCESS change nothing; anything else is 1.
     */
    public void exitStatusFromFault(int code, Fault ignored) {
        if ((ignored != null && code == ignored.code()) || code == Fault.SUCCESS.code()) {
            return;
        }
        if (code == Fault.SPAWN_ERROR.code() || code == Fault.ABNORMAL_TERMINATION.code()
                || code == Fault.NOT_RUNNING.code()) {
            exitStatus = LsbExit.NOT_RUNNING;
        } else {
            exitStatus = LsbExit.GENERIC;
        }
    }

    public static boolean isNoSuchFile(IOException e) {
        return e instanceof SocketException && e.getMessage() != null
                && e.getMessage().contains("No such file or directory");
    }

    /** The line supervisorctl prints for an exception it did not expect, with Python's class names. */
    static String pythonError(Exception e) {
        if (e instanceof XmlRpcFault f) {
            return "error: <class 'xmlrpc.client.Fault'>, <Fault " + f.code() + ": '" + f.faultString() + "'>";
        }
        if (e instanceof HttpStatusException h) {
            return "error: <class 'xmlrpc.client.ProtocolError'>, " + h.getMessage();
        }
        if (e instanceof ConnectException) {
            return "error: <class 'ConnectionRefusedError'>, [Errno 111] Connection refused";
        }
        if (e instanceof IOException io && isNoSuchFile(io)) {
            return "error: <class 'FileNotFoundError'>, [Errno 2] No such file or directory";
        }
        return "error: <class '" + e.getClass().getSimpleName() + "'>, " + e.getMessage();
    }

    /** A y/N question in the interactive shell (shutdown, reload). */
    public boolean confirm(String question) throws IOException {
        System.out.print(question);
        System.out.flush();
        String answer = in.readLine();
        return answer != null && answer.toLowerCase(java.util.Locale.ROOT).startsWith("y");
    }

    private boolean askCredentials() {
        Console console = System.console();
        try {
            System.out.print("Username:");
            System.out.flush();
            String user = in.readLine();
            String pass;
            if (console != null) {
                char[] pw = console.readPassword("Password:");
                pass = pw == null ? null : new String(pw);
            } else {
                System.out.print("Password:");
                System.out.flush();
                pass = in.readLine();
            }
            output("");
            if (user == null || pass == null) {
                return false;
            }
            username = user;
            password = pass;
            close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    /** cmd.Cmd.parseline: the command is the leading identifier characters, the rest (stripped) the argument. */
    record Parsed(String command, String arg, String line) {
        static Parsed of(String raw) {
            String line = raw.strip();
            if (line.isEmpty()) {
                return null;
            }
            if (line.charAt(0) == '?') {
                line = "help " + line.substring(1);
            }
            int i = 0;
            while (i < line.length() && isIdentChar(line.charAt(i))) {
                i++;
            }
            return new Parsed(line.substring(0, i), line.substring(i).strip(), line);
        }

        private static boolean isIdentChar(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        }
    }
}
