package dev.radial.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * 5: what a daemon with N idle programs costs in memory, told the way a container user pays for it: RSS,
 * anonymous (private) memory and PSS of each daemon; the marginal cost of a second daemon of the same kind on
 * the same host (the same jars and JRE, or the same Python: their file pages are shared, as they are between
 * containers of one image); and the floor of each runtime (a JVM with the spoke's flags, and a Python, that only
 * sleep). supervisord and ours alternate round after round; each figure is the median over the rounds.
 */
final class Footprint {
    private final Path top;
    private final Path work;
    private final Sizes sizes;
    private final PrintStream progress;
    private int runs;

    Footprint(Path top, Path work, Sizes sizes, PrintStream progress) {
        this.top = top;
        this.work = work;
        this.sizes = sizes;
        this.progress = progress;
    }

    private Daemon start(Daemon.Kind kind) throws Exception {
        String programs = "[program:sleeper]\ncommand=/bin/sleep 100000\nprocess_name=%(program_name)s_%(process_num)03d\n"
                + "numprocs=" + sizes.idlePrograms() + "\nstartsecs=0\n";
        Daemon d = Daemon.start(kind, top, work.resolve("memory-" + kind.label + "-" + (runs++)), programs);
        try {
            d.awaitRunning(sizes.idlePrograms(), Duration.ofMinutes(2));
            Thread.sleep(sizes.settleMillis()); // past start-up work (the JIT compiler, first log writes)
            return d;
        } catch (Exception e) {
            d.close();
            throw e;
        }
    }

    List<Row> rows() throws Exception {
        Map<Daemon.Kind, List<Memory>> alone = new EnumMap<>(Daemon.Kind.class);
        Map<Daemon.Kind, List<Double>> added = new EnumMap<>(Daemon.Kind.class);
        Map<Daemon.Kind, List<Double>> secondUss = new EnumMap<>(Daemon.Kind.class);
        Map<String, List<Memory>> floors = new java.util.HashMap<>();
        for (int r = 0; r < sizes.rounds(); r++) {
            for (Daemon.Kind k : Daemon.Kind.values()) {
                try (Daemon a = start(k)) {
                    Memory before = a.memory();
                    alone.computeIfAbsent(k, x -> new ArrayList<>()).add(before);
                    try (Daemon b = start(k)) {
                        Memory after = a.memory();
                        Memory second = b.memory();
                        // PSS summed over both is what they use together; less what the first used alone
                        added.computeIfAbsent(k, x -> new ArrayList<>()).add(mib(after.pss() + second.pss() - before.pss()));
                        secondUss.computeIfAbsent(k, x -> new ArrayList<>()).add(mib(second.uss()));
                    }
                }
                progress.print(".");
            }
            for (String floor : List.of("python", "java", "java-coh")) {
                floors.computeIfAbsent(floor, x -> new ArrayList<>()).add(floor(floor));
            }
        }
        Daemon.Kind sd = Daemon.Kind.SUPERVISORD;
        Daemon.Kind ours = Daemon.Kind.SPOKE;
        String n = sizes.idlePrograms() + " idle programs";
        List<Row> rows = new ArrayList<>();
        rows.add(compare("5. memory with " + n + ": RSS", alone.get(sd), alone.get(ours), Memory::rss,
                "the daemon process alone; counts shared file pages (libjvm, jars, CDS archive) in full"));
        rows.add(compare("5. memory with " + n + ": anonymous (RssAnon)", alone.get(sd), alone.get(ours), Memory::anon,
                "private to the process: heap, stacks, malloc arenas, JIT code"));
        rows.add(compare("5. memory with " + n + ": PSS", alone.get(sd), alone.get(ours), Memory::pss,
                "shared pages divided among the processes that map them"));
        double addedSd = Stats.median(added.get(sd));
        double addedOurs = Stats.median(added.get(ours));
        rows.add(new Row("5. one more daemon of the same image on the host: PSS added", "MiB", addedSd, addedOurs, null,
                "<= supervisord", addedOurs <= addedSd,
                "second daemon, same jars/JRE (or Python): (PSS of both) - (PSS of the first alone)"));
        rows.add(new Row("5. one more daemon of the same image: its private memory (USS)", "MiB",
                Stats.median(secondUss.get(sd)), Stats.median(secondUss.get(ours)), null, "", null,
                "Private_Clean + Private_Dirty of the second: freed if it exits"));
        for (String m : List.of("RSS", "anonymous", "PSS")) {
            ToLongFunction<Memory> f = m.equals("RSS") ? Memory::rss : m.equals("PSS") ? Memory::pss : Memory::anon;
            rows.add(new Row("5. floor, a runtime that only sleeps: " + m, "MiB", median(floors.get("python"), f),
                    median(floors.get("java"), f), null, "", null,
                    m.equals("RSS") ? "supervisord column: python3; ours: java with the spoke's flags" : ""));
        }
        for (String m : List.of("anonymous", "PSS")) {
            ToLongFunction<Memory> f = m.equals("PSS") ? Memory::pss : Memory::anon;
            rows.add(new Row("5. floor, java with the spoke's flags and -XX:+UseCompactObjectHeaders: " + m, "MiB",
                    null, median(floors.get("java-coh"), f), null, "", null, ""));
        }
        return rows;
    }

    private static Row compare(String scenario, List<Memory> sd, List<Memory> ours, ToLongFunction<Memory> f,
            String note) {
        double s = median(sd, f);
        double o = median(ours, f);
        return new Row(scenario, "MiB", s, o, null, "<= supervisord", o <= s, note);
    }

    private static double median(List<Memory> xs, ToLongFunction<Memory> f) {
        return Stats.median(xs.stream().map(m -> mib(f.applyAsLong(m))).toList());
    }

    private static double mib(long kib) {
        return kib / 1024.0;
    }

    /** Starts a runtime that prints "ready" and sleeps, waits for the line and the settle time, measures it. */
    private Memory floor(String which) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (which.equals("python")) {
            cmd.addAll(List.of("/usr/bin/python3", "-c", "import time; print('ready', flush=True); time.sleep(1e9)"));
        } else {
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(Daemon.SPOKE_JVM_FLAGS);
            if (which.equals("java-coh")) {
                cmd.add("-XX:+UseCompactObjectHeaders");
            }
            cmd.addAll(List.of("-cp", Path.of(Floor.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString(), Floor.class.getName()));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine(); // blocks until the runtime is up (or has died: null)
            if (!"ready".equals(line)) {
                throw new IllegalStateException(which + " floor did not start: " + line);
            }
            Thread.sleep(sizes.settleMillis());
            return Memory.of(p.pid());
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
