package dev.radial.spoke.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@code command=} into an executable path and argv like supervisord's get_execv_args: POSIX
 * shlex split, then a PATH search (the program's own PATH first) when the name has no '/'. The checks run
 * before spawning, so a missing command is a clear spawn error, not a child that exits 127.
 */
final class CommandLine {
    /** Why a command cannot be run: NotFound vs NotExecutable, as supervisord distinguishes them (RPC faults). */
    static final class BadCommand extends Exception {
        final boolean notFound;

        BadCommand(String message, boolean notFound) {
            super(message);
            this.notFound = notFound;
        }
    }

    record Resolved(String path, List<String> argv) {
    }

    private CommandLine() {
    }

    static Resolved resolve(String command, String pathVar) throws BadCommand {
        List<String> argv;
        try {
            argv = split(command);
        } catch (IllegalArgumentException e) {
            throw new BadCommand("can't parse command " + quote(command) + ": " + e.getMessage(), false);
        }
        if (argv.isEmpty()) {
            throw new BadCommand("command is empty", false);
        }
        String program = argv.get(0);
        String found = null;
        if (program.contains("/")) {
            found = program;
        } else if (pathVar != null) {
            for (String dir : pathVar.split(":")) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
                if (Files.exists(candidate)) {
                    found = candidate.toString();
                    break;
                }
            }
        }
        if (found == null || !Files.exists(Path.of(found))) {
            throw new BadCommand("can't find command " + quote(program), true);
        }
        Path p = Path.of(found);
        if (Files.isDirectory(p)) {
            throw new BadCommand("command at " + quote(found) + " is a directory", false);
        }
        if (!Files.isExecutable(p)) {
            throw new BadCommand("command at " + quote(found) + " is not executable", false);
        }
        return new Resolved(found, argv);
    }

    private static String quote(String s) {
        return "'" + s + "'";
    }

    /** Python shlex.split (POSIX mode, comments off): quotes, backslash escapes, whitespace. */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inToken = false;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("No closing quotation");
                }
                cur.append(s, i + 1, end);
                inToken = true;
                i = end + 1;
            } else if (c == '"') {
                i++;
                boolean closed = false;
                while (i < s.length()) {
                    char d = s.charAt(i);
                    if (d == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < s.length() && "\\\"$`\n".indexOf(s.charAt(i + 1)) >= 0) {
                        cur.append(s.charAt(i + 1));
                        i += 2;
                        continue;
                    }
                    cur.append(d);
                    i++;
                }
                if (!closed) {
                    throw new IllegalArgumentException("No closing quotation");
                }
                inToken = true;
            } else if (c == '\\') {
                if (i + 1 >= s.length()) {
                    throw new IllegalArgumentException("No escaped character");
                }
                cur.append(s.charAt(i + 1));
                inToken = true;
                i += 2;
            } else if (Character.isWhitespace(c)) {
                if (inToken) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inToken = false;
                }
                i++;
            } else {
                cur.append(c);
                inToken = true;
                i++;
            }
        }
        if (inToken) {
            out.add(cur.toString());
        }
        return out;
    }
}
