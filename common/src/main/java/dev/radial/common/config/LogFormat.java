package dev.radial.common.config;

import java.util.Locale;

/**
 * {@code log_format=} (our extension, in [program:x] and as the default in [supervisord]): how a child's output
 * lines are written to its log files and to {@code forward_output}. PLAIN, the default, writes the bytes as they
 * come, as supervisord does; TIMESTAMPED puts an ISO-8601 UTC time before each line; JSON writes one JSON object
 * per line for log collectors.
 */
public enum LogFormat {
    PLAIN, TIMESTAMPED, JSON;

    /** The key's value, case-insensitive; anything else is an error naming the allowed values. */
    public static LogFormat parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (LogFormat f : values()) {
            if (f.word().equals(t)) {
                return f;
            }
        }
        throw new IllegalArgumentException("log_format must be plain, timestamped or json, not '" + text.trim() + "'");
    }

    /** How the config spells it. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
