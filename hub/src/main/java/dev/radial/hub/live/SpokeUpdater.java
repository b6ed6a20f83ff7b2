package dev.radial.hub.live;

import dev.radial.common.client.HttpStatusException;
import dev.radial.common.client.ServerUrl;
import dev.radial.common.client.SupervisorClient;
import dev.radial.common.config.CtlConfig;
import dev.radial.common.radial.SpokeDirs;
import dev.radial.common.xmlrpc.Fault;
import dev.radial.common.xmlrpc.XmlRpcFault;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes every running spoke apply the published configuration, through the same XML-RPC client ctl uses:
 * {@code reloadConfig}, then removed groups stopped and removed, new groups added, and changed groups updated
 * program by program with our spoke's {@code radial.updateProcessGroup} (unchanged programs keep their pid) or,
 * against a plain supervisord, stopped, removed and re-added as {@code supervisorctl update} does. Finally the
 * spoke's own group is started where it is new, and new or changed programs in it are started.
 */
public final class SpokeUpdater {
    private final Path runRoot;
    private final Duration timeout;

    public SpokeUpdater(Path runRoot, Duration timeout) {
        this.runRoot = runRoot;
        this.timeout = timeout;
    }

    /** The run directories of running spokes: {@code $RUN/supervisor/*} with a socket. */
    public List<Path> spokes() {
        return SpokeDirs.withSockets(runRoot);
    }

    /**
     * Identifies one spoke process: its directory and its socket's inode (a restarted spoke makes a new socket),
     * so the hub can tell a spoke it has already updated from one that appeared since.
     */
    public static String identity(Path dir) {
        try {
            return dir + "#" + Files.getAttribute(dir.resolve("supervisor.sock"), "unix:ino");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return dir.toString();
        }
    }

    /**
     * Applies the published configuration to the spoke whose run directory is {@code dir}. Never throws: whatever
     * the socket does (answers garbage, an int where a list belongs, never answers, closes at once) is this
     * spoke's outcome. Blocks up to the timeout per call; {@link SpokeFleet} runs it off the sync thread.
     */
    public SpokeOutcome update(Path dir) {
        String host = dir.getFileName().toString();
        String spoke = SpokeDirs.spokeName(dir);
        CtlConfig c = SpokeDirs.ctlConfig(dir);
        try (SupervisorClient client = SupervisorClient.to(ServerUrl.unix(dir.resolve("supervisor.sock")))
                .credentials(c == null ? null : c.username(), c == null ? null : c.password()).timeout(timeout)
                .open()) {
            String detail = apply(client, spoke);
            return new SpokeOutcome(spoke, host, SpokeOutcome.Result.APPLIED, detail);
        } catch (HttpStatusException e) {
            return new SpokeOutcome(spoke, host, SpokeOutcome.Result.FAILED, "HTTP " + e.status() + " " + e.reason());
        } catch (XmlRpcFault f) {
            return new SpokeOutcome(spoke, host, SpokeOutcome.Result.FAILED, f.faultString());
        } catch (SocketTimeoutException e) {
            return new SpokeOutcome(spoke, host, SpokeOutcome.Result.TIMED_OUT, "no answer within "
                    + timeout.toSeconds() + " s: stopped or hung?");
        } catch (IOException e) {
            return new SpokeOutcome(spoke, host, SpokeOutcome.Result.UNREACHABLE, String.valueOf(e.getMessage()));
        } catch (RuntimeException e) {
            // ClassCastException, IndexOutOfBounds, NullPointerException: the socket answers, but not with
            // supervisord's API (a hostile or foreign server under /run/supervisor/*/)
            return new SpokeOutcome(spoke, host, SpokeOutcome.Result.FAILED, "unexpected answer, not supervisord's "
                    + "API (" + e.getClass().getSimpleName() + ")");
        }
    }

    @SuppressWarnings("unchecked")
    private static String apply(SupervisorClient c, String spoke) throws IOException, XmlRpcFault {
        List<Object> triple = (List<Object>) ((List<Object>) c.call("supervisor.reloadConfig")).get(0);
        List<String> added = (List<String>) triple.get(0);
        List<String> changed = (List<String>) triple.get(1);
        List<String> removed = (List<String>) triple.get(2);
        String own = ownGroup(c, spoke, added);
        List<String> done = new ArrayList<>();
        for (String g : removed) {
            done.add(removeGroup(c, g));
        }
        for (String g : added) {
            done.add(addGroup(c, g));
            if (g.equals(own)) {
                c.call("supervisor.startProcessGroup", g, false);
            }
        }
        boolean programLevel = true;
        for (String g : changed) {
            if (programLevel) {
                try {
                    Map<String, Object> r = (Map<String, Object>) c.call("radial.updateProcessGroup", g);
                    done.add("~" + g + describe(r));
                    if (g.equals(own)) {
                        // changed programs that were running were restarted by the spoke; new ones start here
                        for (Object p : (List<Object>) r.get("added")) {
                            startQuietly(c, g + ":" + p);
                        }
                    }
                    continue;
                } catch (XmlRpcFault f) {
                    if (f.code() != Fault.UNKNOWN_METHOD.code()) {
                        throw f;
                    }
                    programLevel = false; // a plain supervisord: supervisorctl's group-level update
                }
            }
            removeGroup(c, g);
            addGroup(c, g);
            done.add("~" + g);
            if (g.equals(own)) {
                c.call("supervisor.startProcessGroup", g, false);
            }
        }
        return done.isEmpty() ? "no changes" : String.join(" ", done);
    }

    /** Adds a group reloadConfig reported new (or changed, against a plain supervisord). */
    private static String addGroup(SupervisorClient c, String g) throws IOException, XmlRpcFault {
        return "+" + g + (unlessAlready(Fault.ALREADY_ADDED, () -> c.call("supervisor.addProcessGroup", g))
                ? "" : "(already added)");
    }

    /** Stops and removes a group reloadConfig reported gone (or changed, against a plain supervisord). */
    private static String removeGroup(SupervisorClient c, String g) throws IOException, XmlRpcFault {
        return "-" + g + (unlessAlready(Fault.BAD_NAME, () -> {
            c.call("supervisor.stopProcessGroup", g);
            c.call("supervisor.removeProcessGroup", g);
        }) ? "" : "(already removed)");
    }

    private static void startQuietly(SupervisorClient c, String name) throws IOException, XmlRpcFault {
        unlessAlready(Fault.ALREADY_STARTED, () -> c.call("supervisor.startProcess", name, false));
    }

    /** Calls to a spoke that one fault may answer. */
    private interface Calls {
        void run() throws IOException, XmlRpcFault;
    }

    /**
     * Makes the calls; false if the spoke answered with {@code already}, which says it is already as the hub
     * wants it (any other fault is thrown). Another client (an operator's ctl update) may apply the same
     * configuration between the hub's reloadConfig and its next calls: a group already added or already removed,
     * a program already started, is reported and the update goes on, as supervisorctl's update does.
     */
    private static boolean unlessAlready(Fault already, Calls calls) throws IOException, XmlRpcFault {
        try {
            calls.run();
            return true;
        } catch (XmlRpcFault f) {
            if (f.code() != already.code()) {
                throw f;
            }
            return false;
        }
    }

    private static String describe(Map<String, Object> r) {
        StringBuilder sb = new StringBuilder("(");
        for (String k : List.of("added", "changed", "removed")) {
            List<?> l = (List<?>) r.get(k);
            if (!l.isEmpty()) {
                sb.append(sb.length() > 1 ? " " : "").append(k).append(' ').append(String.join(",",
                        l.stream().map(String::valueOf).toList()));
            }
        }
        return sb.length() == 1 ? "" : sb.append(')').toString();
    }

    /** The group the spoke runs: its name, or "<name>-group" as existing Radial wheels call it. */
    @SuppressWarnings("unchecked")
    private static String ownGroup(SupervisorClient c, String spoke, List<String> added)
            throws IOException, XmlRpcFault {
        if (added.contains(spoke)) {
            return spoke;
        }
        if (added.contains(spoke + "-group")) {
            return spoke + "-group";
        }
        for (Object o : (List<Object>) c.call("supervisor.getAllProcessInfo")) {
            String g = (String) ((Map<String, Object>) o).get("group");
            if (g.equals(spoke)) {
                return spoke;
            }
            if (g.equals(spoke + "-group")) {
                return g;
            }
        }
        return spoke;
    }
}
