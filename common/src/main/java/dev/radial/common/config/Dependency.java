package dev.radial.common.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One entry of {@code depends_on=} (our extension): the program (a {@code [program:x]} name, in any group)
 * whose every process must meet the condition before this one starts.
 *
 * @param program   the program name
 * @param condition what it must have reached
 */
public record Dependency(String program, Condition condition) {
    /** What a dependency must have reached. */
    public enum Condition {
        /** spawned: STARTING or RUNNING now, or EXITED after a run. */
        STARTED,
        /** RUNNING: it stayed up for startsecs. */
        RUNNING,
        /** EXITED with an exit code in its exitcodes (an init task that ran to completion). */
        COMPLETED_SUCCESSFULLY,
        /** RUNNING and its readiness probe healthy (the program must have a readiness probe). */
        HEALTHY;

        /** The key's spelling. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Condition parse(String s) {
            for (Condition c : values()) {
                if (c.key().equals(s)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("unknown condition '" + s + "' (one of started, running, "
                    + "completed_successfully, healthy)");
        }
    }

    public Dependency {
        Values.name(program);
    }

    /**
     * {@code depends_on=a, b:started, c:completed_successfully}: comma-separated {@code program[:condition]},
     * the condition {@code running} when none is given. A program named twice is an error.
     */
    public static List<Dependency> parseList(String v) {
        List<Dependency> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String item : Values.listOfStrings(v)) {
            int colon = item.indexOf(':');
            String program = (colon < 0 ? item : item.substring(0, colon)).strip();
            if (program.isEmpty()) {
                throw new IllegalArgumentException("'" + item + "' names no program");
            }
            Condition c = colon < 0 ? Condition.RUNNING : Condition.parse(item.substring(colon + 1).strip()
                    .toLowerCase(Locale.ROOT));
            if (!seen.add(program)) {
                throw new IllegalArgumentException("program " + program + " is named twice");
            }
            out.add(new Dependency(program, c));
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return program + ":" + condition.key();
    }
}
