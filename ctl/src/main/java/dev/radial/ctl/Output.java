package dev.radial.ctl;

import dev.radial.common.util.Json;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a command's results go. A result is reported both ways at once: supervisorctl's line (byte for byte)
 * and the same fact as a record for {@code --json}; text shows the line, JSON keeps the record. Other lines
 * (errors, usage) are {@link #line}s: JSON keeps them as "messages". So every command is written once.
 */
public sealed interface Output permits Output.Text, Output.JsonDocument {
    void line(String text);

    void result(String line, Map<String, Object> record);

    /** Results known all at once (a status table): the same as {@link #result} for each, in order. */
    default void results(List<String> lines, List<Map<String, Object>> records) {
        for (int i = 0; i < lines.size(); i++) {
            result(lines.get(i), records.get(i));
        }
    }

    /** Where followed logs (tail -f, maintail -f, fg) stream as they arrive. */
    PrintStream stream();

    /** supervisorctl's output: the lines, nothing else. */
    record Text(PrintStream out) implements Output {
        @Override
        public void line(String text) {
            out.println(text);
            out.flush();
        }

        @Override
        public void result(String line, Map<String, Object> record) {
            line(line);
        }

        /** One print and one flush for the lot: a status of 300 programs was 300 writes. */
        @Override
        public void results(List<String> lines, List<Map<String, Object>> records) {
            StringBuilder sb = new StringBuilder(lines.size() * 80);
            for (String l : lines) {
                sb.append(l).append(System.lineSeparator());
            }
            out.print(sb);
            out.flush();
        }

        @Override
        public PrintStream stream() {
            return out;
        }
    }

    /** Collects a command's records and messages, written as one JSON object by {@link #toJson}. */
    final class JsonDocument implements Output {
        private final List<Object> items = new ArrayList<>();
        private final List<Object> messages = new ArrayList<>();

        @Override
        public synchronized void line(String text) {
            messages.add(text);
        }

        @Override
        public synchronized void result(String line, Map<String, Object> record) {
            items.add(record);
        }

        @Override
        public PrintStream stream() {
            return System.out;
        }

        public synchronized Map<String, Object> toMap(int exitStatus) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("exitstatus", exitStatus);
            m.put("results", List.copyOf(items));
            m.put("messages", List.copyOf(messages));
            return m;
        }

        public String toJson(int exitStatus) {
            return Json.pretty(toMap(exitStatus));
        }
    }
}
