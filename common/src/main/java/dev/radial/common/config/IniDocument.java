package dev.radial.common.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sections and options read from a main config file and its includes, merged the way Python's
 * RawConfigParser(strict=False) merges them: a repeated section adds to the first, a repeated key
 * replaces the earlier value. Remembers where each value came from, for error messages.
 */
final class IniDocument {
    /** One option value and where it was written. */
    record Entry(String value, Path file, int line) {
    }

    static final String DEFAULT_SECTION = "DEFAULT";

    private final Map<String, Map<String, Entry>> sections = new LinkedHashMap<>();
    private final Map<String, Path> sectionFiles = new LinkedHashMap<>();
    private final Map<String, Integer> sectionLines = new LinkedHashMap<>();
    private final Map<String, Entry> defaults = new LinkedHashMap<>();

    Map<String, Entry> section(String name, Path file, int line) {
        if (DEFAULT_SECTION.equals(name)) {
            return defaults;
        }
        return sections.computeIfAbsent(name, n -> {
            sectionFiles.put(n, file);
            sectionLines.put(n, line);
            return new LinkedHashMap<>();
        });
    }

    /** Section names in first-seen order; DEFAULT is not a section, as in Python. */
    List<String> sections() {
        return new ArrayList<>(sections.keySet());
    }

    boolean hasSection(String name) {
        return sections.containsKey(name);
    }

    /** The option, falling back to [DEFAULT] like RawConfigParser.get; null when absent. */
    Entry get(String section, String key) {
        Map<String, Entry> s = sections.get(section);
        Entry e = s == null ? null : s.get(key);
        return e != null ? e : defaults.get(key);
    }

    Path fileOf(String section) {
        return sectionFiles.get(section);
    }

    int lineOf(String section) {
        return sectionLines.getOrDefault(section, 0);
    }

    /**
     * supervisord's textual {@code %(here)s} replacement, applied to everything read so far whenever an
     * [include] section exists (UnhosedConfigParser.expand_here).
     */
    void expandHere(String here) {
        for (Map<String, Entry> options : sections.values()) {
            options.replaceAll((k, e) -> e.value().contains("%(here)s")
                    ? new Entry(e.value().replace("%(here)s", here), e.file(), e.line()) : e);
        }
    }
}
