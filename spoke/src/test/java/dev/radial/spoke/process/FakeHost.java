package dev.radial.spoke.process;

import dev.radial.common.config.ConfigLoader;
import dev.radial.common.config.DaemonConfig;
import dev.radial.common.config.ProcessConfig;
import dev.radial.common.config.SupervisorConfig;
import dev.radial.common.states.ProcessState;
import dev.radial.spoke.dispatch.OutputDispatcher;
import dev.radial.spoke.events.Event;
import dev.radial.spoke.events.ListenerPool;
import dev.radial.spoke.logging.MainLog;
import dev.radial.spoke.os.ExitStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * An engine stand-in for state-machine tests: a clock that moves only when told, timers that fire at their
 * deadline as the engine's do, a launcher that starts no process, and a record of every transition with its
 * time. Drives exactly as the engine does: a transition pass after every command, exit and due timer.
 */
final class FakeHost implements ProcessHost {
    /** One state change, at a time in milliseconds since the host was made. */
    record Change(long atMillis, ProcessState from, ProcessState to, boolean expected) {
        @Override
        public String toString() {
            return atMillis + ":" + to;
        }
    }

    /** One signal the launcher was asked to send. */
    record Sent(long atMillis, int pid, int sig, boolean group) {
    }

    private record Timer(long deadline, long seq, Subprocess p) {
    }

    private final DaemonConfig daemon;
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final MainLog log;
    private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> a.deadline != b.deadline
            ? Long.compare(a.deadline, b.deadline) : Long.compare(a.seq, b.seq));
    private long seq;
    private long now = 1_000_000_000_000L; // an arbitrary origin: nothing may assume the clock starts at 0
    private final long origin = now;
    final List<Change> changes = new ArrayList<>();
    final List<Sent> signals = new ArrayList<>();
    final List<Integer> spawnedPids = new ArrayList<>();
    /** The next spawn fails with this message (once), when not null. */
    String failNextSpawn;
    /** What the next signal returns. */
    ProcessLauncher.SignalResult signalResult = ProcessLauncher.SignalResult.DELIVERED;
    private int nextPid = 4000;

    private final ProcessLauncher launcher = new ProcessLauncher() {
        @Override
        public SpawnedChild spawn(SpawnRequest request) throws SpawnException {
            if (failNextSpawn != null) {
                String m = failNextSpawn;
                failNextSpawn = null;
                throw new SpawnException(m);
            }
            return new SpawnedChild(nextPid++, -1, -1, -1, -1);
        }

        @Override
        public SignalResult signal(SpawnedChild child, int sig, boolean group) {
            signals.add(new Sent(millis(), child.pid(), sig, group));
            return signalResult;
        }

        @Override
        public void release(SpawnedChild child) {
        }

        @Override
        public int uid() {
            return 0;
        }
    };

    private FakeHost(DaemonConfig daemon) throws IOException {
        this.daemon = daemon;
        this.log = new MainLog(null, 0, 0, "debug", new PrintStream(logBytes, true, StandardCharsets.UTF_8));
    }

    /** Loads {@code [program:p]} with the given keys (and no log files) through the real parser. */
    static Subprocess program(Path dir, String keys, FakeHost[] hostOut) throws Exception {
        return program(dir, "p", "stdout_logfile=NONE\nstderr_logfile=NONE\n" + keys, hostOut);
    }

    /** Loads {@code [program:name]} with the given keys through the real parser. */
    static Subprocess program(Path dir, String name, String keys, FakeHost[] hostOut) throws Exception {
        Path conf = dir.resolve("supervisord.conf");
        Files.writeString(conf, "[supervisord]\nlogfile=" + dir.resolve("supervisord.log") + "\nchildlogdir=" + dir
                + "\n[program:" + name + "]\ncommand=/bin/true\n" + keys);
        SupervisorConfig c = ConfigLoader.create().environment(Map.of("PATH", "/usr/bin:/bin")).load(conf);
        ProcessConfig pc = c.groups().get(0).processes().get(0);
        FakeHost host = new FakeHost(c.daemon());
        hostOut[0] = host;
        return new Subprocess(host, name, pc);
    }

    long millis() {
        return (now - origin) / 1_000_000;
    }

    /** Moves the clock forward, firing each timer at its deadline with a transition pass. */
    void advance(long millis) {
        long target = now + millis * 1_000_000;
        while (!timers.isEmpty() && timers.peek().deadline <= target) {
            Timer t = timers.poll();
            now = Math.max(now, t.deadline);
            t.p.transition();
        }
        now = target;
    }

    /** Moves the clock without firing timers: the engine has not looked yet. */
    void skip(long millis) {
        now += millis * 1_000_000;
    }

    /** The reaper reports an exit; the engine then runs a transition pass. */
    void exit(Subprocess p, ExitStatus status) {
        p.finish(status, ByteBuffer.allocate(16));
        p.transition();
    }

    /** The time of the earliest pending timer, in host milliseconds, or -1. */
    long nextTimerMillis() {
        return timers.isEmpty() ? -1 : (timers.peek().deadline - origin) / 1_000_000;
    }

    String logText() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public MainLog log() {
        return log;
    }

    @Override
    public DaemonConfig daemon() {
        return daemon;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public long wallMillis() {
        return 1_700_000_000_000L + millis();
    }

    @Override
    public void schedule(Subprocess p, long deadlineNanos) {
        timers.add(new Timer(deadlineNanos, seq++, p));
    }

    @Override
    public void watch(OutputDispatcher d, Subprocess p) {
        throw new AssertionError("the fake launcher opens no pipes");
    }

    @Override
    public void unwatch(OutputDispatcher d) {
    }

    @Override
    public ProcessLauncher launcher() {
        return launcher;
    }

    @Override
    public void spawned(Subprocess p, ProcessLauncher.SpawnedChild child) {
        spawnedPids.add(child.pid());
    }

    @Override
    public void exited(int pid) {
    }

    @Override
    public Map<String, String> baseEnvironment() {
        return Map.of("PATH", "/usr/bin:/bin");
    }

    @Override
    public String serverUrl() {
        return null;
    }

    @Override
    public boolean acceptingStarts() {
        return true;
    }

    @Override
    public PrintStream forward(boolean stderr) {
        return null;
    }

    @Override
    public void stateChanged(Subprocess p, ProcessState from, ProcessState to, boolean expected) {
        changes.add(new Change(millis(), from, to, expected));
    }

    @Override
    public void emit(Event e) {
    }

    @Override
    public ListenerPool listenerPool(String group) {
        return null;
    }
}
