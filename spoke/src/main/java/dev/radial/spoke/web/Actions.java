package dev.radial.spoke.web;

import dev.radial.common.xmlrpc.Fault;
import dev.radial.common.xmlrpc.XmlRpc;
import dev.radial.common.xmlrpc.XmlRpcFault;
import dev.radial.spoke.rpc.RpcDispatcher;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The status page's actions (supervisord's StatusView.make_callback): each one is a call through the XML-RPC method
 * table ({@link RpcDispatcher}), so it takes the same code path, the same checks and the same state machine as
 * supervisorctl; the result is the message the page shows after its 301. Any thread; nothing here blocks: the
 * future completes when the call (including a waiting stop or start) is done.
 */
final class Actions {
    /** Actions that change nothing (never refused as cross-site). */
    static boolean readOnly(String action) {
        return action.equals("refresh");
    }

    private final RpcDispatcher rpc;
    private final Supplier<ZonedDateTime> clock;

    Actions(RpcDispatcher rpc, Supplier<ZonedDateTime> clock) {
        this.rpc = rpc;
        this.clock = clock;
    }

    /**
     * The message for {@code action} on {@code name} (null when absent); fails with IllegalArgumentException for an
     * action supervisord does not know (it answers 500 there).
     */
    CompletableFuture<String> run(String name, String action) {
        switch (action) {
            case "refresh":
                return CompletableFuture.completedFuture("Page refreshed at " + ctime());
            case "stopall":
                return call("supervisor.stopAllProcesses").handle((v, e) -> "All stopped at " + ctime());
            case "restartall":
                return call("system.multicall", List.of(Map.of("methodName", "supervisor.stopAllProcesses"),
                        Map.of("methodName", "supervisor.startAllProcesses")))
                        .handle((v, e) -> "All restarted at " + ctime());
            case "startgroup", "stopgroup", "restartgroup":
                if (name == null) {
                    return CompletableFuture.failedFuture(new IllegalArgumentException(action));
                }
                return group(name, action);
            default:
                break;
        }
        if (name == null || !List.of("start", "stop", "restart", "clearlog").contains(action)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(action));
        }
        return call("supervisor.getProcessInfo", name).handle((v, e) -> e == null)
                .thenCompose(known -> known ? one(name, action)
                        : CompletableFuture.completedFuture("No such process named " + name));
    }

    private CompletableFuture<String> one(String name, String action) {
        return switch (action) {
            case "start" -> call("supervisor.startProcess", name).handle((v, e) -> e == null
                    ? "Process " + name + " started" : "ERROR: Process " + name + ": " + startError(fault(e)));
            case "stop" -> call("supervisor.stopProcess", name).handle((v, e) -> e == null
                    ? "Process " + name + " stopped" : unexpected(fault(e)));
            case "restart" -> call("system.multicall", List.of(
                    Map.of("methodName", "supervisor.stopProcess", "params", List.of(name)),
                    Map.of("methodName", "supervisor.startProcess", "params", List.of(name))))
                    .handle((v, e) -> "Process " + name + " restarted");
            default -> call("supervisor.clearProcessLogs", name).handle((v, e) -> e == null
                    ? "Log for " + name + " cleared" : unexpected(fault(e)));
        };
    }

    /** Our extension: a whole group, through start/stopProcessGroup. */
    private CompletableFuture<String> group(String name, String action) {
        CompletableFuture<Object> f = switch (action) {
            case "startgroup" -> call("supervisor.startProcessGroup", name);
            case "stopgroup" -> call("supervisor.stopProcessGroup", name);
            default -> call("system.multicall", List.of(
                    Map.of("methodName", "supervisor.stopProcessGroup", "params", List.of(name)),
                    Map.of("methodName", "supervisor.startProcessGroup", "params", List.of(name))));
        };
        String done = switch (action) {
            case "startgroup" -> "started";
            case "stopgroup" -> "stopped";
            default -> "restarted";
        };
        return f.handle((v, e) -> {
            if (e != null) {
                XmlRpcFault x = fault(e);
                return x.code() == Fault.BAD_NAME.code() ? "No such group named " + name : unexpected(x);
            }
            StringBuilder failed = new StringBuilder();
            collectFailures(v, failed);
            return "Group " + name + " " + done + (failed.isEmpty() ? "" : "; failed: " + failed);
        });
    }

    /** The per-process results of a group call that did not succeed. */
    private static void collectFailures(Object v, StringBuilder out) {
        if (v instanceof List<?> l) {
            for (Object o : l) {
                collectFailures(o, out);
            }
        } else if (v instanceof Map<?, ?> m && m.get("status") instanceof Integer s && s != Fault.SUCCESS.code()) {
            out.append(out.isEmpty() ? "" : ", ").append(m.get("group")).append(':').append(m.get("name"))
                    .append(" (").append(m.get("description")).append(')');
        }
    }

    private CompletableFuture<Object> call(String method, Object... params) {
        return rpc.call(new XmlRpc.MethodCall(method, List.of(params)));
    }

    private static XmlRpcFault fault(Throwable e) {
        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return c instanceof XmlRpcFault f ? f : new XmlRpcFault(Fault.FAILED, String.valueOf(c));
    }

    private static String unexpected(XmlRpcFault f) {
        return "unexpected rpc fault [" + f.code() + "] " + f.faultString();
    }

    private static String startError(XmlRpcFault f) {
        Fault k = null;
        for (Fault x : Fault.values()) {
            if (x.code() == f.code()) {
                k = x;
            }
        }
        if (k == null) {
            return "unexpected rpc fault [" + f.code() + "] " + f.faultString();
        }
        return switch (k) {
            case NO_FILE -> "no such file";
            case NOT_EXECUTABLE -> "file not executable";
            case ALREADY_STARTED -> "already started";
            case SPAWN_ERROR -> "spawn error";
            case ABNORMAL_TERMINATION -> "abnormal termination";
            default -> "unexpected rpc fault [" + f.code() + "] " + f.faultString();
        };
    }

    /** Python's time.ctime(): "Tue Dec  1 16:40:08 2026". */
    private String ctime() {
        return clock.get().format(DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT));
    }
}
