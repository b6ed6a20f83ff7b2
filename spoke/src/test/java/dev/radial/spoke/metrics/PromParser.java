package dev.radial.spoke.metrics;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4, written from its rules (not from our writer): UTF-8, lines
 * end in '\n' (the last too); "# HELP name text" and "# TYPE name type" at most once per family and TYPE before
 * its samples; a family's samples contiguous; metric and label names by the grammar; label values with only the
 * escapes \\ \" \n; no label name twice in a sample; no series twice; values as Go's ParseFloat reads them (and
 * NaN, +Inf, -Inf); an optional integer timestamp. Any breach throws.
 */
final class PromParser {
    record Sample(String name, Map<String, String> labels, double value) {
    }

    record Family(String name, String type, String help, List<Sample> samples) {
    }

    private static final Pattern METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern FLOAT = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private PromParser() {
    }

    static Map<String, Family> parse(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not UTF-8", e);
        }
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the last line does not end in a newline");
        }
        Map<String, Family> families = new LinkedHashMap<>();
        Map<String, String> types = new HashMap<>();
        Map<String, String> helps = new HashMap<>();
        Set<String> closed = new HashSet<>();
        Set<String> series = new HashSet<>();
        String current = null;
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            String where = "line " + n + ": " + line + ": ";
            if (line.startsWith("#")) {
                String[] t = line.split(" ", 4);
                if (t.length >= 3 && (t[1].equals("HELP") || t[1].equals("TYPE"))) {
                    String name = t[2];
                    need(METRIC.matcher(name).matches(), where + "bad metric name");
                    if (t[1].equals("TYPE")) {
                        need(t.length == 4 && TYPES.contains(t[3]), where + "bad type");
                        need(!types.containsKey(name), where + "second TYPE");
                        need(!families.containsKey(name) || families.get(name).samples().isEmpty(),
                                where + "TYPE after samples");
                        types.put(name, t[3]);
                    } else {
                        need(!helps.containsKey(name), where + "second HELP");
                        helps.put(name, t.length == 4 ? unescape(t[3], false, where) : "");
                    }
                    if (current != null && !current.equals(name)) {
                        closed.add(current);
                    }
                    need(!closed.contains(name), where + "family continued after another");
                    current = name;
                    families.computeIfAbsent(name, k -> new Family(k, null, null, new ArrayList<>()));
                }
                continue;
            }
            int i = 0;
            while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
                i++;
            }
            String name = line.substring(0, i);
            need(METRIC.matcher(name).matches(), where + "bad metric name");
            Map<String, String> labels = new LinkedHashMap<>();
            if (i < line.length() && line.charAt(i) == '{') {
                i++;
                while (line.charAt(i) != '}') {
                    int eq = line.indexOf('=', i);
                    need(eq > i, where + "label without '='");
                    String ln = line.substring(i, eq);
                    need(LABEL.matcher(ln).matches(), where + "bad label name " + ln);
                    need(line.charAt(eq + 1) == '"', where + "label value not quoted");
                    StringBuilder v = new StringBuilder();
                    int j = eq + 2;
                    for (;; j++) {
                        need(j < line.length(), where + "unterminated label value");
                        char c = line.charAt(j);
                        if (c == '"') {
                            break;
                        }
                        if (c == '\\') {
                            j++;
                            need(j < line.length(), where + "dangling backslash");
                            char e = line.charAt(j);
                            switch (e) {
                                case '\\' -> v.append('\\');
                                case '"' -> v.append('"');
                                case 'n' -> v.append('\n');
                                default -> throw new IllegalArgumentException(where + "bad escape \\" + e);
                            }
                        } else {
                            v.append(c);
                        }
                    }
                    need(labels.put(ln, v.toString()) == null, where + "label " + ln + " twice");
                    i = j + 1;
                    if (line.charAt(i) == ',') {
                        i++;
                    } else {
                        need(line.charAt(i) == '}', where + "expected ',' or '}'");
                    }
                }
                i++;
            }
            need(i < line.length() && line.charAt(i) == ' ', where + "no space before the value");
            String[] rest = line.substring(i + 1).split(" ", -1);
            need(rest.length == 1 || rest.length == 2, where + "extra fields");
            double value = value(rest[0], where);
            if (rest.length == 2) {
                need(rest[1].matches("-?\\d+"), where + "bad timestamp");
            }
            String family = familyOf(name, types);
            if (current != null && !current.equals(family)) {
                closed.add(current);
            }
            need(!closed.contains(family), where + "samples of " + family + " not together");
            current = family;
            need(series.add(name + labels), where + "series twice");
            families.computeIfAbsent(family, k -> new Family(k, null, null, new ArrayList<>())).samples()
                    .add(new Sample(name, Map.copyOf(labels), value));
        }
        Map<String, Family> out = new LinkedHashMap<>();
        families.forEach((k, f) -> out.put(k, new Family(k, types.getOrDefault(k, "untyped"), helps.get(k),
                List.copyOf(f.samples()))));
        return out;
    }

    private static String familyOf(String name, Map<String, String> types) {
        for (String suffix : List.of("_bucket", "_count", "_sum")) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                String t = types.get(base);
                if ("histogram".equals(t) || "summary".equals(t)) {
                    return base;
                }
            }
        }
        return name;
    }

    private static double value(String s, String where) {
        switch (s) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                need(FLOAT.matcher(s).matches(), where + "bad value " + s);
                return Double.parseDouble(s);
        }
    }

    private static String unescape(String s, boolean quotes, String where) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                need(i + 1 < s.length(), where + "dangling backslash");
                char e = s.charAt(++i);
                switch (e) {
                    case '\\' -> b.append('\\');
                    case 'n' -> b.append('\n');
                    default -> throw new IllegalArgumentException(where + "bad escape in HELP \\" + e);
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static void need(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException(what);
        }
    }
}
