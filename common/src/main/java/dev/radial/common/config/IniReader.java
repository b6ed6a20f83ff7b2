package dev.radial.common.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ini4j.Config;
import org.ini4j.spi.IniHandler;
import org.ini4j.spi.IniParser;

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
 * Python-only rules (comments, continuations) are applied here; ini4j then tokenizes the resulting logical
 * lines into sections and options.
 */
final class IniReader {
    /** Stands for '\n' inside a joined value while ini4j tokenizes line by line. */
    private static final char NEWLINE_MARK = '\uE000';

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
        tokenize(file, logical, doc);
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
                    option.append(NEWLINE_MARK).append(b);
                }
                pendingBlank.clear();
                option.append(NEWLINE_MARK).append(value);
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

    private static void tokenize(Path file, List<Logical> logical, IniDocument doc) throws ConfigException {
        StringBuilder normalized = new StringBuilder();
        for (Logical l : logical) {
            if (l.header()) {
                normalized.append(l.text()).append('\n');
            } else {
                // Hand ini4j "key=value" split at supervisord's separator, so its own operator rules
                // (it also knows ':' and '=') cannot disagree with configparser's first-match rule.
                int sep = firstSeparator(l.text());
                String key = l.text().substring(0, sep).strip();
                String val = l.text().substring(sep + 1).strip();
                normalized.append(key).append(" = ").append(val).append('\n');
            }
        }
        Config config = new Config();
        config.setEscape(false);
        config.setEmptyOption(true);
        config.setMultiOption(false);
        config.setMultiSection(false);
        config.setLowerCaseOption(true);
        config.setLowerCaseSection(false);
        config.setTree(false);
        config.setStrictOperator(false);
        config.setEmptySection(true);
        Collector collector = new Collector(file, logical, doc);
        try {
            IniParser.newInstance(config).parse(new StringReader(normalized.toString()), collector);
        } catch (IOException e) {
            throw new ConfigException(file, "cannot parse: " + e.getMessage());
        }
    }

    /** Receives ini4j's events and files them into the document with their source lines. */
    private static final class Collector implements IniHandler {
        private final Path file;
        private final List<Logical> logical;
        private final IniDocument doc;
        private int next;
        private Map<String, IniDocument.Entry> current;

        Collector(Path file, List<Logical> logical, IniDocument doc) {
            this.file = file;
            this.logical = logical;
            this.doc = doc;
        }

        private Logical advance() {
            return logical.get(next++);
        }

        @Override
        public void startIni() {
        }

        @Override
        public void endIni() {
        }

        @Override
        public void startSection(String name) {
            Logical l = advance();
            // configparser's header is everything up to the last ']' (greedy SECTCRE); take it from
            // the logical line rather than trusting another tokenizer with odd names like "[a]b]".
            String header = l.text().substring(1, l.text().lastIndexOf(']'));
            current = doc.section(header, file, l.line());
        }

        @Override
        public void endSection() {
        }

        @Override
        public void handleOption(String name, String value) {
            Logical l = advance();
            String v = value == null ? "" : value.replace(NEWLINE_MARK, '\n').stripTrailing();
            current.put(name.strip(), new IniDocument.Entry(v, file, l.line()));
        }

        @Override
        public void handleComment(String comment) {
        }
    }
}
