package dev.radial.common.util;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python's getopt.getopt, which supervisorctl uses: options stop at the first non-option (so "ctl tail -f web"
 * hands "-f" to the command), short options may be glued ("-cFILE", "-ih"), long ones may be abbreviated to a
 * unique prefix and take "=VALUE" or the next word. Error texts are getopt's.
 *
 * <p>Hand-written rather than picocli (which the hub uses): picocli's classes are Java 5 bytecode, which
 * class-data sharing cannot archive; loading and verifying them was a third of ctl's start-up, and in the
 * spoke they stayed in metaspace (with their reflection and annotation proxies) for the daemon's life: 3 MiB of
 * anonymous memory (docs/benchmarks.md). Used by ctl (supervisorctl's options) and the spoke (supervisord's).
 */
public final class GetOpt {
    /** Thrown with getopt's message, e.g. "option -x not recognized". */
    public static final class Error extends Exception {
        public Error(String message) {
            super(message);
        }
    }

    /** The options in order (name without dashes, value or null) and the remaining arguments. */
    public record Result(List<Map.Entry<String, String>> options, List<String> args) {
    }

    private GetOpt() {
    }

    /**
     * @param shorts getopt's short spec, e.g. "c:hi" (a colon: takes a value)
     * @param longs long names, "name=" when it takes a value
     */
    public static Result parse(String[] argv, String shorts, List<String> longs) throws Error {
        List<Map.Entry<String, String>> opts = new ArrayList<>();
        int i = 0;
        while (i < argv.length && argv[i].startsWith("-") && !argv[i].equals("-")) {
            String a = argv[i++];
            if (a.equals("--")) {
                break;
            }
            if (a.startsWith("--")) {
                i = longOption(a.substring(2), argv, i, longs, opts);
            } else {
                i = shortOptions(a.substring(1), argv, i, shorts, opts);
            }
        }
        List<String> rest = new ArrayList<>();
        for (; i < argv.length; i++) {
            rest.add(argv[i]);
        }
        return new Result(opts, rest);
    }

    private static int longOption(String text, String[] argv, int i, List<String> longs,
            List<Map.Entry<String, String>> opts) throws Error {
        int eq = text.indexOf('=');
        String name = eq < 0 ? text : text.substring(0, eq);
        String value = eq < 0 ? null : text.substring(eq + 1);
        List<String> matches = new ArrayList<>();
        for (String l : longs) {
            String n = l.endsWith("=") ? l.substring(0, l.length() - 1) : l;
            if (n.equals(name)) {
                matches = List.of(l);
                break;
            }
            if (n.startsWith(name)) {
                matches.add(l);
            }
        }
        if (matches.isEmpty()) {
            throw new Error("option --" + name + " not recognized");
        }
        if (matches.size() > 1) {
            throw new Error("option --" + name + " not a unique prefix");
        }
        String spec = matches.get(0);
        boolean takes = spec.endsWith("=");
        String full = takes ? spec.substring(0, spec.length() - 1) : spec;
        if (takes && value == null) {
            if (i >= argv.length) {
                throw new Error("option --" + full + " requires argument");
            }
            value = argv[i++];
        } else if (!takes && value != null) {
            throw new Error("option --" + full + " must not have an argument");
        }
        opts.add(Map.entry(full, value == null ? "" : value));
        return i;
    }

    private static int shortOptions(String text, String[] argv, int i, String shorts,
            List<Map.Entry<String, String>> opts) throws Error {
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            int at = shorts.indexOf(c);
            if (at < 0 || c == ':') {
                throw new Error("option -" + c + " not recognized");
            }
            boolean takes = at + 1 < shorts.length() && shorts.charAt(at + 1) == ':';
            if (!takes) {
                opts.add(Map.entry(String.valueOf(c), ""));
                continue;
            }
            String value = text.substring(k + 1);
            if (value.isEmpty()) {
                if (i >= argv.length) {
                    throw new Error("option -" + c + " requires argument");
                }
                value = argv[i++];
            }
            opts.add(Map.entry(String.valueOf(c), value));
            break;
        }
        return i;
    }

    /** Last value per option name (short names mapped to long ones by {@code aliases}). */
    public static Map<String, String> byName(Result r, Map<String, String> aliases) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : r.options()) {
            m.put(aliases.getOrDefault(e.getKey(), e.getKey()), e.getValue());
        }
        return m;
    }
}
