package dev.radial.common.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one INI file into an {@link IniDocument} with the line rules of Python's RawConfigParser as
 * supervisord sets it up ({@code inline_comment_prefixes=(';','#')}, {@code strict=False}):
 * <ul>
 * <li>a line whose first non-blank character is ';' or '#' is a comment;</li>
 * <li>';' or '#' preceded by whitespace starts an inline comment, even inside quotes;</li>
 * <li>a line indented deeper than its option's line continues the value (joined with '\n'); blank
 * lines inside such a value are kept, trailing ones dropped;</li>
 * <li>the key ends at the first '=' or ':'; keys are case-insensitive.</li>
 * </ul>
 * This is the whole INI parser: no library does it (ini4j did the last step until it was removed; it
 * rejected lines Python accepts, such as an option named {@code [x}).
 */
final class IniReader {
    private IniReader() {
    }

    /** A logical line: a section header or an option line (continuations joined), with its first line number. */
    private record Logical(String text, int line, boolean header) {
    }

    static void read(Path file, IniDocument doc) throws ConfigException, IOException {
        read(file, Files.readString(file, StandardCharsets.UTF_8), doc);
    }

    /** Parses {@code text} as the content of {@code file} (the name errors and entries carry). */
    static void read(Path file, String text, IniDocument doc) throws ConfigException {
        List<Logical> logical = logicalLines(file, text);
        collect(file, logical, doc);
    }

    private static List<Logical> logicalLines(Path file, String text) throws ConfigException {
        List<Logical> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        int indentLevel = Integer.MAX_VALUE;
        boolean inSection = false;
        StringBuilder option = null; // the option line values may continue
        int optionLine = 0;
        List<String> pendingBlank = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (i == lines.length - 1 && line.isEmpty()) {
                break;
            }
            int commentStart = inlineCommentStart(line);
            String stripped = line.strip();
            if (stripped.startsWith("#") || stripped.startsWith(";")) {
                commentStart = 0;
            }
            String value = (commentStart < 0 ? line : line.substring(0, commentStart)).strip();
            if (value.isEmpty()) {
                // empty_lines_in_values: a truly blank line (not a comment) belongs to an open value
                if (commentStart < 0 && option != null) {
                    pendingBlank.add("");
                }
                continue;
            }
            int indent = firstNonSpace(line);
            if (inSection && option != null && indent > indentLevel) {
                for (String b : pendingBlank) {
                    option.append('\n').append(b);
                }
                pendingBlank.clear();
                option.append('\n').append(value);
                continue;
            }
            pendingBlank.clear();
            if (option != null) {
                out.add(new Logical(option.toString(), optionLine, false));
                option = null;
            }
            indentLevel = indent;
            if (value.startsWith("[") && value.indexOf(']', 1) > 1) {
                // SECTCRE \[(?P<header>.+)\] is greedy: the header ends at the last ']'
                out.add(new Logical(value.substring(0, value.lastIndexOf(']') + 1), i + 1, true));
                inSection = true;
            } else if (!inSection) {
                throw new ConfigException(file, i + 1, null, null,
                        "line " + (i + 1) + ": file contains no section headers (found '" + value + "')");
            } else {
                int sep = firstSeparator(value);
                if (sep <= 0 || value.substring(0, sep).isBlank()) {
                    throw new ConfigException(file, i + 1, null, null,
                            "line " + (i + 1) + ": expected 'key = value', found '" + value + "'");
                }
                option = new StringBuilder(value);
                optionLine = i + 1;
            }
        }
        if (option != null) {
            out.add(new Logical(option.toString(), optionLine, false));
        }
        return out;
    }

    /** Index of the earliest ';' or '#' at line start or after whitespace, -1 if none (configparser._read). */
    private static int inlineCommentStart(String line) {
        int best = -1;
        for (char prefix : new char[] {';', '#'}) {
            int idx = line.indexOf(prefix);
            while (idx >= 0) {
                if (idx == 0 || Character.isWhitespace(line.charAt(idx - 1))) {
                    best = best < 0 ? idx : Math.min(best, idx);
                    break;
                }
                idx = line.indexOf(prefix, idx + 1);
            }
        }
        return best;
    }

    private static int firstNonSpace(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (!Character.isWhitespace(line.charAt(i))) {
                return i;
            }
        }
        return 0;
    }

    private static int firstSeparator(String value) {
        int eq = value.indexOf('=');
        int colon = value.indexOf(':');
        if (eq < 0) {
            return colon;
        }
        return colon < 0 ? eq : Math.min(eq, colon);
    }

    /** Files the logical lines into the document: section headers, and options split at the first separator. */
    private static void collect(Path file, List<Logical> logical, IniDocument doc) {
        Map<String, IniDocument.Entry> current = null;
        for (Logical l : logical) {
            if (l.header()) {
                // configparser's header is everything up to the last ']' (greedy SECTCRE)
                current = doc.section(l.text().substring(1, l.text().lastIndexOf(']')), file, l.line());
            } else {
                // RawConfigParser.optionxform: str.lower(); the value is stripped, joined lines right-stripped
                int sep = firstSeparator(l.text());
                String key = l.text().substring(0, sep).strip().toLowerCase(Locale.ROOT);
                String value = l.text().substring(sep + 1).strip();
                current.put(key, new IniDocument.Entry(value, file, l.line()));
            }
        }
    }
}
