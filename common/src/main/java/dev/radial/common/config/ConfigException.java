package dev.radial.common.config;

import java.nio.file.Path;

/**
 * A configuration that supervisord would refuse. Says where (file, line, section, key) and what.
 * The message reads like {@code /config/supervisor/conf.d/web.ini [program:web] startsecs: 'abc' is not an integer}.
 */
public class ConfigException extends Exception {
    private final Path file;
    private final int line;
    private final String section;
    private final String key;
    private final String reason;

    public ConfigException(Path file, int line, String section, String key, String reason) {
        super(format(file, section, key, reason));
        this.file = file;
        this.line = line;
        this.section = section;
        this.key = key;
        this.reason = reason;
    }

    public ConfigException(Path file, String reason) {
        this(file, 0, null, null, reason);
    }

    private static String format(Path file, String section, String key, String reason) {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(file).append(' ');
        }
        if (section != null) {
            sb.append('[').append(section).append("] ");
        }
        if (key != null) {
            sb.append(key).append(": ");
        }
        return sb.append(reason).toString();
    }

    /** The file at fault, or null when the error is not tied to one. */
    public Path file() {
        return file;
    }

    /** 1-based line of the offending key or line, 0 when unknown. */
    public int line() {
        return line;
    }

    public String section() {
        return section;
    }

    public String key() {
        return key;
    }

    public String reason() {
        return reason;
    }

    /** "file:line" (or just the file) for tools that link to a position. */
    public String location() {
        if (file == null) {
            return "";
        }
        return line > 0 ? file + ":" + line : file.toString();
    }
}
