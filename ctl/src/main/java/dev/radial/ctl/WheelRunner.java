package dev.radial.ctl;

import dev.radial.common.radial.RadialRoots;
import dev.radial.common.util.Json;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one command line on several spokes of the wheel ({@code -w NAME}, {@code --all}) in parallel. Each
 * spoke's lines are prefixed with its label (with {@code --all} always, even with one spoke up, so scripts see one
 * format); ordinary output is shown spoke by spoke in name order, followed logs (tail -f, maintail -f) line by line
 * as they come. Each spoke is shown and judged by its own group unless {@code --all-groups}; a spoke whose socket is
 * gone or refuses connections is reported down. The exit code is the worst (highest) of them.
 */
final class WheelRunner {
    private WheelRunner() {
    }

    static int run(CtlMain opts, BufferedReader stdin, String line) {
        List<Wheel.Spoke> spokes;
        RadialRoots roots = RadialRoots.fromEnvironment();
        try {
            spokes = Wheel.spokes(roots.run());
        } catch (IOException e) {
            System.err.println("ctl: cannot list spokes under " + roots.supervisorRun() + ": " + e.getMessage());
            return LsbExit.GENERIC;
        }
        if (opts.spoke != null) {
            spokes = Wheel.named(spokes, opts.spoke);
        }
        boolean isStatus = line.strip().startsWith("status") || line.isBlank();
        if (spokes.isEmpty()) {
            System.out.println((opts.spoke != null ? "no spoke named " + opts.spoke : "no spoke") + " under "
                    + roots.supervisorRun() + " (no */supervisor.sock or marker file)");
            return isStatus ? LsbExit.STATUS_UNKNOWN : LsbExit.NOT_RUNNING;
        }
        if (spokes.size() == 1 && !opts.json && (!opts.all || line.isBlank())) {
            // -w naming one spoke (or the shell): supervisorctl against it, unprefixed
            return single(opts, stdin, line, spokes.get(0));
        }
        if (line.isBlank()) {
            System.out.println("ctl: an action is required with several spokes (the shell talks to one)");
            return LsbExit.INVALID_ARGS;
        }
        return many(opts, line, spokes, isStatus);
    }

    /** One spoke: exactly supervisorctl against its socket, shell included, without prefixes. */
    private static int single(CtlMain opts, BufferedReader stdin, String line, Wheel.Spoke s) {
        return opts.runOn(new CtlMain.Settings(s.url(), user(opts, s), pass(opts, s), s.name(), null, scope(opts, s)),
                line, stdin);
    }

    /** The spoke whose own group "all" and a bare status mean, or null with --all-groups. */
    private static String scope(CtlMain opts, Wheel.Spoke s) {
        return opts.allGroups ? null : s.name();
    }

    private static String user(CtlMain opts, Wheel.Spoke s) {
        return opts.username != null ? opts.username : s.username();
    }

    private static String pass(CtlMain opts, Wheel.Spoke s) {
        return opts.password != null ? opts.password : s.password();
    }

    private static int many(CtlMain opts, String line, List<Wheel.Spoke> spokes, boolean isStatus) {
        Map<Wheel.Spoke, String> labels = Wheel.labels(spokes);
        boolean follows = line.matches("\\s*(tail|maintail)\\b.*\\s-f\\b.*");
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(spokes.size(), 16));
        Map<Wheel.Spoke, Future<Integer>> results = new LinkedHashMap<>();
        Map<Wheel.Spoke, Output> outputs = new LinkedHashMap<>();
        Map<Wheel.Spoke, ByteArrayOutputStream> buffers = new LinkedHashMap<>();
        for (Wheel.Spoke s : spokes) {
            Output out;
            if (opts.json) {
                out = new Output.JsonDocument();
            } else {
                OutputStream target = System.out;
                if (!follows) {
                    ByteArrayOutputStream buf = new ByteArrayOutputStream();
                    buffers.put(s, buf);
                    target = buf;
                }
                out = new Output.Text(new PrintStream(new Prefixed(labels.get(s) + ": ", target), true,
                        StandardCharsets.UTF_8));
            }
            outputs.put(s, out);
            results.put(s, pool.submit(() -> {
                String down = s.down();
                if (down != null) {
                    out.line("DOWN (" + down + ")");
                    if (out instanceof Output.Text text) {
                        text.out().close();
                    }
                    return isStatus ? LsbExit.STATUS_UNKNOWN : LsbExit.NOT_RUNNING;
                }
                try (Controller ctl = new Controller(s.url(), user(opts, s), pass(opts, s), false, out,
                        new BufferedReader(java.io.Reader.nullReader())).scope(scope(opts, s))) {
                    ctl.onecmd(line);
                    if (out instanceof Output.Text text) {
                        text.out().close();
                    }
                    return ctl.exitStatus();
                }
            }));
        }
        int worst = 0;
        Map<String, Object> json = new LinkedHashMap<>();
        for (Map.Entry<Wheel.Spoke, Future<Integer>> e : results.entrySet()) {
            int code;
            try {
                code = e.getValue().get();
            } catch (Exception ex) {
                System.out.println(labels.get(e.getKey()) + ": error: " + ex.getMessage());
                code = LsbExit.GENERIC;
            }
            worst = Math.max(worst, code);
            ByteArrayOutputStream buf = buffers.get(e.getKey());
            if (buf != null) {
                System.out.print(buf.toString(StandardCharsets.UTF_8));
            }
            if (outputs.get(e.getKey()) instanceof Output.JsonDocument doc) {
                json.put(labels.get(e.getKey()), doc.toMap(code));
            }
        }
        pool.shutdownNow();
        if (opts.json) {
            System.out.println(Json.pretty(json));
        }
        System.out.flush();
        return worst;
    }

    /** Prefixes every line with a label; whole lines are written to the target at once, so spokes interleave by line. */
    static final class Prefixed extends OutputStream {
        private final byte[] prefix;
        private final OutputStream target;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Prefixed(String prefix, OutputStream target) {
            this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
            this.target = target;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            line.write(b);
            if (b == '\n') {
                emit();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            target.flush();
        }

        /** Ends a last line that has no newline; the target stays open (it may be System.out). */
        @Override
        public synchronized void close() throws IOException {
            if (line.size() > 0) {
                line.write('\n');
                emit();
            }
            target.flush();
        }

        private void emit() throws IOException {
            synchronized (target) {
                target.write(prefix);
                line.writeTo(target);
                target.flush();
            }
            line.reset();
        }
    }
}
