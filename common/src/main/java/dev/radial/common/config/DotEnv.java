package dev.radial.common.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dotenv syntax of {@code environment_file=} (our extension), the common subset of docker compose's
 * {@code env_file} and python-dotenv:
 * <ul>
 * <li>one {@code KEY=VALUE} a line, an optional {@code export } before the key, blank lines and lines
 * starting with {@code #} ignored; a key is {@code [A-Za-z_][A-Za-z0-9_]*}; a later key wins;
 * <li>an unquoted value runs to the end of the line or to a {@code #} after whitespace, trimmed;
 * <li>a {@code 'single-quoted'} value is literal; a {@code "double-quoted"} value knows the escapes
 * {@code \n \t \r \" \\ \$}; both may span lines; after the closing quote only a comment may follow;
 * <li>no {@code ${VAR}} interpolation: a value is taken as written.
 * </ul>
 * Errors name the file and line, never a value (an environment file usually holds secrets). Pure and
 * immutable; any thread.
 */
public final class DotEnv {
    /** Larger files are refused: an environment file is configuration, not data. */
    static final int MAX_BYTES = 1 << 20;

    private final String text;
    private final String where;
    private int pos;
    private int line = 1;

    private DotEnv(String text, String where) {
        this.text = text;
        this.where = where;
    }

    /** Reads and parses a file; IllegalArgumentException names the file (and line) and what is wrong. */
    public static Map<String, String> read(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException(file + " is larger than " + MAX_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException(file + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + " is not UTF-8 text");
        }
        return parse(text, file.toString());
    }

    /** Parses dotenv text; {@code where} names it in errors. */
    public static Map<String, String> parse(String text, String where) {
        return new DotEnv(text.startsWith("\uFEFF") ? text.substring(1) : text, where).entries();
    }

    private Map<String, String> entries() {
        Map<String, String> out = new LinkedHashMap<>();
        while (pos < text.length()) {
            skipBlanks();
            if (pos >= text.length()) {
                break;
            }
            char c = text.charAt(pos);
            if (c == '\n' || c == '\r') {
                newline();
                continue;
            }
            if (c == '#') {
                skipToEol();
                continue;
            }
            int startLine = line;
            String key = key();
            skipBlanks();
            if (key.equals("export") && pos < text.length() && text.charAt(pos) != '=') {
                key = key();
                skipBlanks();
            }
            if (pos >= text.length() || text.charAt(pos) != '=') {
                throw error(startLine, "expected KEY=VALUE");
            }
            pos++;
            skipBlanks();
            String value = value(startLine);
            if (value.indexOf('\0') >= 0) {
                throw error(startLine, "the value of " + key + " contains a NUL character");
            }
            out.put(key, value);
        }
        return out;
    }

    private String key() {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            boolean ok = c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || pos > start && c >= '0' && c <= '9';
            if (!ok) {
                break;
            }
            pos++;
        }
        if (pos == start) {
            throw error(line, "expected a variable name ([A-Za-z_][A-Za-z0-9_]*)");
        }
        return text.substring(start, pos);
    }

    private String value(int startLine) {
        if (pos >= text.length()) {
            return "";
        }
        char q = text.charAt(pos);
        if (q != '\'' && q != '"') {
            int start = pos;
            int end = pos;
            while (pos < text.length() && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') {
                char c = text.charAt(pos);
                if (c == '#' && pos > start && Character.isWhitespace(text.charAt(pos - 1))) {
                    skipToEol();
                    break;
                }
                pos++;
                if (!Character.isWhitespace(c)) {
                    end = pos;
                }
            }
            return text.substring(start, end);
        }
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error(startLine, "the " + (q == '"' ? "double" : "single") + " quote is never closed");
            }
            char c = text.charAt(pos++);
            if (c == q) {
                break;
            }
            if (c == '\n') {
                line++;
            }
            if (c == '\\' && q == '"' && pos < text.length()) {
                char e = text.charAt(pos++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case '"', '\\', '$' -> sb.append(e);
                    default -> sb.append('\\').append(e);
                }
                if (e == '\n') {
                    line++;
                }
                continue;
            }
            sb.append(c);
        }
        skipBlanks();
        if (pos < text.length() && text.charAt(pos) == '#') {
            skipToEol();
        } else if (pos < text.length() && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') {
            throw error(line, "unexpected text after the closing quote");
        }
        return sb.toString();
    }

    private void skipBlanks() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
    }

    private void skipToEol() {
        while (pos < text.length() && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') {
            pos++;
        }
    }

    private void newline() {
        if (text.charAt(pos) == '\r' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n') {
            pos++;
        }
        pos++;
        line++;
    }

    private IllegalArgumentException error(int at, String what) {
        return new IllegalArgumentException(where + " line " + at + ": " + what);
    }
}
