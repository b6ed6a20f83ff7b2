package dev.radial.spoke.metrics;

import java.util.regex.Pattern;

/**
 * Writes the Prometheus text exposition format 0.0.4: per family one {@code # HELP} and one {@code # TYPE} line,
 * then its samples, each family's samples together. Label values escape {@code \}, {@code "} and newline; HELP
 * text escapes {@code \} and newline. Not thread-safe: one instance per rendering.
 */
public final class PrometheusText {
    /** The media type a scraper expects for this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /** A metric family's type, as the TYPE line spells it. */
    public enum Type {
        COUNTER, GAUGE;

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final StringBuilder out = new StringBuilder(4096);
    private String family;

    /** Starts a family; the samples that follow must carry its name. */
    public PrometheusText family(String name, Type type, String help) {
        check(METRIC_NAME, name);
        family = name;
        out.append("# HELP ").append(name).append(' ');
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        out.append('\n').append("# TYPE ").append(name).append(' ').append(type.word()).append('\n');
        return this;
    }

    /** One sample of the current family; {@code labels} alternate name and value. */
    public PrometheusText sample(double value, String... labels) {
        if (family == null) {
            throw new IllegalStateException("a sample before its family");
        }
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name/value pairs");
        }
        out.append(family);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                check(LABEL_NAME, labels[i]);
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"");
                escapeLabel(labels[i + 1]);
                out.append('"');
            }
            out.append('}');
        }
        out.append(' ').append(number(value)).append('\n');
        return this;
    }

    private void escapeLabel(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    /** Whole numbers without a fraction, others as Java prints a double (Go's ParseFloat reads both). */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static void check(Pattern p, String name) {
        if (!p.matcher(name).matches()) {
            throw new IllegalArgumentException("not a valid Prometheus name: " + name);
        }
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
