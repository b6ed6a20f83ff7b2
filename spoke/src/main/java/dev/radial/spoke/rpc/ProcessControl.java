package dev.radial.spoke.rpc;

import dev.radial.common.config.Signals;
import dev.radial.common.states.ProcessState;
import dev.radial.common.xmlrpc.Fault;
import dev.radial.common.xmlrpc.XmlRpcFault;
import dev.radial.spoke.process.Subprocess;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Process control: start, stop and signal one process, a group or all (supervisord's make_allfunc), and
 * sendProcessStdin. Waiting calls answer through {@link Deferred}. Engine thread only.
 */
final class ProcessControl {
    private final Lookup lookup;
    private final Deferred deferred;

    ProcessControl(Lookup lookup, Deferred deferred) {
        this.lookup = lookup;
        this.deferred = deferred;
    }

    Object startProcess(String name, boolean wait) throws XmlRpcFault {
        Lookup.Target t = lookup.find(name);
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

    Object stopProcess(String name, boolean wait) throws XmlRpcFault {
        Lookup.Target t = lookup.find(name);
        if (t.process() == null) {
            return stopProcessGroup(t.group().name(), wait);
        }
        Subprocess p = t.process();
        if (!p.state().isRunning()) {
            if (p.cancelPendingStart()) {
                // it was waiting for depends_on, or stopping for a liveness restart: the stop cancels that start
                if (wait && !p.state().isStopped()) {
                    return deferred.await(p, () -> p.state().isStopped() ? Boolean.TRUE : null);
                }
                return true;
            }
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

    Object signalProcess(String name, String signal) throws XmlRpcFault {
        Lookup.Target t = lookup.find(name);
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

        Object startProcessGroup(String name, boolean wait) throws XmlRpcFault {
        return forAll(lookup.group(name).sorted(), p -> !p.state().isRunning(), p -> startProcess(Lookup.spec(p), wait));
    }

    Object stopProcessGroup(String name, boolean wait) throws XmlRpcFault {
        // ascending like supervisord's stopProcessGroup (only its shutdown goes in descending order)
        return forAll(lookup.group(name).sorted(), p -> p.state().isRunning() || p.hasPendingStart(),
                p -> stopProcess(Lookup.spec(p), wait));
    }

    Object signalProcessGroup(String name, String signal) throws XmlRpcFault {
        return forAll(lookup.group(name).sorted(), p -> p.state().isRunning(), p -> signalProcess(Lookup.spec(p), signal));
    }

    Object startAll(boolean wait) {
        return forAll(lookup.all(false), p -> !p.state().isRunning(), p -> startProcess(Lookup.spec(p), wait));
    }

    Object stopAll(boolean wait) {
        return forAll(lookup.all(false), p -> p.state().isRunning() || p.hasPendingStart(),
                p -> stopProcess(Lookup.spec(p), wait));
    }

    Object signalAll(String signal) {
        return forAll(lookup.all(false), p -> p.state().isRunning(), p -> signalProcess(Lookup.spec(p), signal));
    }

    @FunctionalInterface
    private interface Action {
        Object apply(Subprocess p) throws XmlRpcFault;
    }

    /**
     * supervisord's make_allfunc: act on every matching process, then collect a status struct for each. A result
     * that is there at once (no wait) gets its struct at once; futures only for the waiting ones (startAll of 300
     * built ~1,000 of them, in code that still runs interpreted then).
     */
    private CompletableFuture<Object> forAll(List<Subprocess> processes, Predicate<Subprocess> predicate,
            Action action) {
        List<Object> results = new ArrayList<>(); // a status struct, or the future of one
        List<CompletableFuture<Map<String, Object>>> pending = new ArrayList<>();
        for (Subprocess p : processes) {
            if (!predicate.test(p)) {
                continue;
            }
            Object r;
            try {
                r = action.apply(p);
            } catch (XmlRpcFault e) {
                results.add(status(p, e));
                continue;
            }
            if (r instanceof CompletableFuture<?> cf) {
                CompletableFuture<Map<String, Object>> f = cf.handle((v, e) -> status(p, e));
                results.add(f);
                pending.add(f);
            } else {
                results.add(status(p, null));
            }
        }
        if (pending.isEmpty()) {
            return CompletableFuture.completedFuture(results);
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(x -> (Object) results
                .stream().map(o -> o instanceof CompletableFuture<?> f ? f.join() : o).toList());
    }

    static Map<String, Object> status(Subprocess p, Throwable e) {
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

    boolean sendProcessStdin(String name, Object chars) throws XmlRpcFault {
        byte[] data;
        if (chars instanceof String s) {
            data = s.getBytes(StandardCharsets.UTF_8);
        } else if (chars instanceof byte[] b) {
            data = b;
        } else {
            throw new XmlRpcFault(Fault.INCORRECT_PARAMETERS, Args.pyStr(chars));
        }
        Subprocess p = lookup.process(name);
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
}
