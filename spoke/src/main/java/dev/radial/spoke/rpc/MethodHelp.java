package dev.radial.spoke.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * system.methodHelp texts: supervisord 4.2.5's docstrings, whole (with their {@code @param}/{@code @return}
 * lines), from method-help.txt beside this class. Immutable after class initialisation.
 */
final class MethodHelp {
    private static final Map<String, String> TEXTS = load();

    private MethodHelp() {
    }

    /** supervisord's text for the method, else {@code fallback} (our extensions). */
    static String of(String method, String fallback) {
        return TEXTS.getOrDefault(method, fallback);
    }

    static Map<String, String> all() {
        return TEXTS;
    }

    private static Map<String, String> load() {
        try (InputStream in = MethodHelp.class.getResourceAsStream("method-help.txt")) {
            if (in == null) {
                throw new IllegalStateException("method-help.txt is missing from the spoke's jar");
            }
            String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> m = new HashMap<>();
            int i = 0;
            while (i < s.length()) {
                int eol = s.indexOf('\n', i);
                String line = s.substring(i, eol);
                i = eol + 1;
                if (line.startsWith("#")) {
                    continue;
                }
                String[] head = line.split(" ");
                if (head.length != 3 || !head[0].equals("===")) {
                    throw new IllegalStateException("method-help.txt: bad header line: " + line);
                }
                int end = s.offsetByCodePoints(i, Integer.parseInt(head[2]));
                m.put(head[1], s.substring(i, end));
                i = end + 1; // the newline after the text
            }
            return Map.copyOf(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
