package dev.radial.spoke.engine;

import dev.radial.common.config.Probe;
import dev.radial.common.config.Users;
import dev.radial.common.util.Redact;
import dev.radial.spoke.events.Event;
import dev.radial.spoke.health.Health;
import dev.radial.spoke.health.NetworkProbes;
import dev.radial.spoke.health.Outcome;
import dev.radial.spoke.health.ProbeHost;
import dev.radial.spoke.logging.MainLog;
import dev.radial.spoke.os.ExitStatus;
import dev.radial.spoke.os.Native;
import dev.radial.spoke.process.ProcessLauncher;
import dev.radial.spoke.process.Subprocess;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The engine's side of health probes: command probes are children of the engine like any other (posix_spawn
 * in their own process group, the exit observed through their pidfd in the engine's epoll and reaped by
 * {@link Children}, the output read from epoll and discarded but for its first {@link #KEPT} bytes, SIGKILL to
 * the group at the timeout); network probes go to the one {@link NetworkProbes} thread; verdicts become log
 * lines, events, dependency wake-ups and, for a failed liveness probe, a restart through the state machine.
 * Engine thread only (but {@link #engineThread()}'s executor, which any thread may use).
 */
final class EngineProbes implements ProbeHost {
    /** Bytes of a probe command's output kept for its outcome's detail; the rest is read and dropped. */
    static final int KEPT = 200;
    /** Reads per readiness of a probe's output pipe: a command that writes without end cannot hold the loop. */
    private static final int READS_PER_WAKEUP = 4;

    private final Engine engine;
    private final NetworkProbes network = new NetworkProbes();

    EngineProbes(Engine engine) {
        this.engine = engine;
    }

    void close() {
        network.close();
    }

    @Override
    public MainLog log() {
        return engine.log();
    }

    @Override
    public long nanoTime() {
        return engine.nanoTime();
    }

    @Override
    public void at(long deadlineNanos, Runnable action) {
        engine.at(deadlineNanos, action);
    }

    @Override
    public Executor engineThread() {
        return engine::post;
    }

    @Override
    public NetworkProbes network() {
        return network;
    }

    @Override
    public CommandRun runCommand(Subprocess p, String command, Consumer<Outcome> onExit) {
        Map<String, String> env = new LinkedHashMap<>(engine.baseEnvironment());
        env.put("SUPERVISOR_ENABLED", "1");
        env.put("SUPERVISOR_PROCESS_NAME", p.name());
        env.put("SUPERVISOR_GROUP_NAME", p.group());
        env.putAll(p.config().environment());
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", command));
        String path = "/bin/sh";
        Integer uid = p.config().uid();
        if (uid != null && uid != engine.launcher().uid()) {
            // as the program's own spawn: setpriv switches user, then execs the shell in the same pid
            if (engine.launcher().uid() != 0 || !Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
                onExit.accept(new Outcome(false, "cannot run the probe as user " + p.config().user()));
                return () -> { };
            }
            int gid = Users.byUid(uid).map(Users.User::gid).orElse(uid);
            List<String> wrapped = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=" + uid, "--regid=" + gid,
                    "--init-groups", "--"));
            wrapped.addAll(argv);
            argv = wrapped;
            path = "/usr/bin/setpriv";
        }
        ProcessLauncher.SpawnedChild child;
        try {
            child = engine.launcher().spawn(new ProcessLauncher.SpawnRequest(path, argv, env,
                    p.config().directory(), p.config().umask(), true));
        } catch (ProcessLauncher.SpawnException e) {
            onExit.accept(new Outcome(false, e.getMessage()));
            return () -> { };
        }
        Run run = new Run(child, onExit);
        if (child.stdin() >= 0) {
            Native.LIBC.close(child.stdin()); // the probe reads EOF
        }
        try {
            engine.watchFd(child.stdout(), run::drain);
        } catch (IOException e) {
            // unwatched output: closed, so a writing probe gets EPIPE rather than blocking forever
            Native.LIBC.close(child.stdout());
            run.outputOpen = false;
        }
        engine.children().addProbe(child, "a probe of " + p.name(), run::reaped);
        return run;
    }

    /** One probe command: its output pipe and its exit. */
    private final class Run implements CommandRun {
        final ProcessLauncher.SpawnedChild child;
        final Consumer<Outcome> onExit;
        final byte[] kept = new byte[KEPT];
        int keptLength;
        boolean outputOpen = true;
        boolean reaped;

        Run(ProcessLauncher.SpawnedChild child, Consumer<Outcome> onExit) {
            this.child = child;
            this.onExit = onExit;
        }

        void drain() {
            ByteBuffer buf = engine.readBuffer();
            for (int i = 0; i < READS_PER_WAKEUP && outputOpen; i++) {
                buf.clear();
                long n = Native.LIBC.read(child.stdout(), buf, buf.capacity());
                if (n < 0 && (Native.errno() == Native.EAGAIN || Native.errno() == Native.EINTR)) {
                    return;
                }
                if (n <= 0) {
                    closeOutput();
                    return;
                }
                int take = (int) Math.min(n, KEPT - keptLength);
                buf.position(0).limit((int) n);
                buf.get(kept, keptLength, take);
                keptLength += take;
                if (n < buf.capacity()) {
                    return;
                }
            }
        }

        void closeOutput() {
            if (outputOpen) {
                outputOpen = false;
                engine.unwatchFd(child.stdout());
                Native.LIBC.close(child.stdout());
            }
        }

        void reaped(ExitStatus status) {
            reaped = true;
            drain(); // what it wrote before it died
            closeOutput(); // a grandchild still holding the pipe must not keep it open
            engine.launcher().release(child);
            // the output goes to the main log, the API and events: a URL's password in it is hidden
            String out = Redact.urlPasswords(new String(kept, 0, keptLength, StandardCharsets.UTF_8).strip()
                    .replaceAll("[\\p{Cntrl}&&[^\t]]+", " "));
            boolean ok = status instanceof ExitStatus.Exited e && e.exitCode() == 0;
            onExit.accept(new Outcome(ok, status.describe() + (out.isEmpty() ? "" : ": " + out)));
        }

        @Override
        public void kill() {
            if (!reaped) {
                // the leader is unreaped, so the group id is still ours (the launcher's contract)
                engine.launcher().signal(child, 9, true);
            }
        }
    }

    @Override
    public void healthChanged(Subprocess p, Probe.Kind kind, Health from, Health to, String detail, int failures) {
        if (to == Health.HEALTHY) {
            engine.log().info(kind.word() + " probe of '" + p.name() + "' succeeded: " + p.name() + " is "
                    + (kind == Probe.Kind.READINESS ? "ready" : "alive") + " (" + detail + ")");
        } else {
            engine.log().warn(kind.word() + " probe failed for '" + p.name() + "' (" + failures
                    + (failures == 1 ? " time" : " times") + "): " + detail);
        }
        engine.emit(Event.processHealth(p.name(), p.group(), kind.word(), from.word(), to == Health.HEALTHY,
                p.pid(), detail));
        if (kind == Probe.Kind.READINESS) {
            engine.wakeDependents(p);
        }
        if (kind == Probe.Kind.LIVENESS && to == Health.UNHEALTHY) {
            p.restartForLiveness("liveness probe failed for '" + p.name() + "' (" + failures
                    + (failures == 1 ? " time" : " times") + "): restarting");
        }
    }
}
