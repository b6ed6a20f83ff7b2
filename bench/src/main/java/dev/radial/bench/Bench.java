package dev.radial.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * bin/bench: every scenario of the benchmark issue, supervisord and ours alternating in one run, medians of
 * several rounds, printed as a table (and as Markdown with {@code --markdown FILE}). {@code --smoke} runs tiny
 * sizes (the test suite does, so the harness cannot rot). Installs nothing: it checks what it needs.
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        boolean smoke = false;
        Path markdown = null;
        Set<Integer> only = new TreeSet<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--markdown" -> markdown = Path.of(args[++i]);
                case "--only" -> {
                    for (String n : (i + 1 < args.length ? args[++i] : "").split(",")) {
                        if (!n.strip().matches("[1-8]")) {
                            usage("--only takes scenario numbers 1 to 8, comma-separated, not '" + n + "'");
                        }
                        only.add(Integer.parseInt(n.strip()));
                    }
                }
                default -> usage("unknown argument '" + args[i] + "'");
            }
        }
        List<String> missing = missing();
        if (!missing.isEmpty()) {
            System.err.println("bench: missing prerequisites: " + String.join(", ", missing));
            System.exit(1);
        }
        Path top = Path.of(System.getProperty("radial.top", ".")).toAbsolutePath().normalize();
        List<Row> rows = run(top, smoke ? Sizes.SMOKE : Sizes.FULL, only, System.err);
        String table = table(rows);
        System.out.print(table);
        if (markdown != null) {
            Files.writeString(markdown, table);
        }
    }

    private static void usage(String problem) {
        System.err.println("bench: " + problem + "\nusage: bench [--smoke] [--only N,N...] [--markdown FILE]");
        System.exit(2);
    }

    static List<String> missing() {
        List<String> m = new ArrayList<>();
        for (String p : List.of("/usr/bin/supervisord", "/usr/bin/supervisorctl", "/bin/sleep", "/usr/bin/head")) {
            if (!Files.isExecutable(Path.of(p))) {
                m.add(p);
            }
        }
        return m;
    }

    /** Runs every scenario; work files go to a temporary directory that is removed afterwards. */
    public static List<Row> run(Path top, Sizes sizes, PrintStream progress) throws Exception {
        return run(top, sizes, Set.of(), progress);
    }

    /** Runs the scenarios numbered in {@code only} (all when empty). */
    static List<Row> run(Path top, Sizes sizes, Set<Integer> only, PrintStream progress) throws Exception {
        Path work = Files.createTempDirectory("radial-bench");
        try {
            Scenarios s = new Scenarios(top, work, sizes, progress);
            List<Row> rows = new ArrayList<>();
            progress.print("bench:");
            if (only.isEmpty() || only.contains(1) || only.contains(2)) {
                progress.print(" spawn/stop");
                rows.addAll(s.spawnAndStop());
            }
            if (only.isEmpty() || only.contains(3)) {
                progress.print(" log");
                rows.add(s.logCapture());
            }
            if (only.isEmpty() || only.contains(4)) {
                progress.print(" respawn");
                rows.addAll(s.respawn());
            }
            if (only.isEmpty() || only.contains(5)) {
                progress.print(" memory");
                rows.addAll(new Footprint(top, work, sizes, progress).rows());
            }
            if (only.isEmpty() || only.contains(7)) {
                progress.print(" idle");
                rows.addAll(s.idle());
            }
            if (only.isEmpty() || only.contains(6)) {
                progress.print(" status");
                rows.addAll(s.controlRoundTrip());
            }
            if (only.isEmpty() || only.contains(8)) {
                progress.print(" push");
                rows.addAll(s.pushLatency());
            }
            progress.println(" done");
            rows.sort((a, b) -> a.scenario().substring(0, 2).compareTo(b.scenario().substring(0, 2)));
            return rows;
        } finally {
            try (var walk = Files.walk(work)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("Run ").append(ZonedDateTime.now().withNano(0)).append(" on ").append(machine()).append("\n\n");
        sb.append("| scenario | unit | supervisord | ours | limit | supervisord/ours | target | met |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append("| ").append(r.scenario()).append(" | ").append(r.unit()).append(" | ").append(num(r.supervisord()))
                    .append(" | ").append(num(r.ours())).append(" | ").append(num(r.limit())).append(" | ")
                    .append(r.ratio()).append(" | ").append(r.target()).append(" | ")
                    .append(r.met() == null ? "" : r.met() ? "yes" : "**no**").append(" |\n");
        }
        sb.append("\nNotes:\n");
        for (Row r : rows) {
            if (!r.note().isEmpty()) {
                sb.append("- ").append(r.scenario(), 0, 2).append(' ').append(r.note()).append('\n');
            }
        }
        return sb.toString();
    }

    private static String num(Double d) {
        if (d == null || d.isNaN()) {
            return "";
        }
        return d >= 100 ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%.1f", d);
    }

    private static String machine() {
        String cpu = "";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 2)).orElse("");
        } catch (IOException ignored) {
            // unknown CPU
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), Java "
                + System.getProperty("java.version");
    }
}
