package dev.radial.common.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Python's glob.glob + sorted(), for [include] files: '*', '?' and '[...]' per path component, hidden
 * names only matched by a pattern that starts with '.', results sorted as strings.
 */
final class Glob {
    private Glob() {
    }

    static List<Path> match(String pattern) {
        return match(pattern, p -> p);
    }

    /**
     * As {@link #match(String)}, looking at {@code physical.apply(path)} for each path it tests or lists (the
     * confined view of {@link Confined}); the paths returned are the logical ones.
     */
    static List<Path> match(String pattern, java.util.function.UnaryOperator<Path> physical) {
        List<String> current = new ArrayList<>();
        String[] parts = pattern.split("/", -1);
        current.add(pattern.startsWith("/") ? "/" : ".");
        boolean relative = !pattern.startsWith("/");
        for (int i = pattern.startsWith("/") ? 1 : 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                continue;
            }
            List<String> next = new ArrayList<>();
            for (String dir : current) {
                if (!hasMagic(part)) {
                    String candidate = join(dir, part);
                    Path at = physical.apply(Path.of(candidate));
                    if (Files.exists(at) || (i < parts.length - 1 && Files.isDirectory(at))) {
                        next.add(candidate);
                    }
                    continue;
                }
                Pattern re = Pattern.compile(translate(part));
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(physical.apply(Path.of(dir)))) {
                    for (Path p : ds) {
                        String name = p.getFileName().toString();
                        if (name.startsWith(".") && !part.startsWith(".")) {
                            continue;
                        }
                        if (re.matcher(name).matches()) {
                            next.add(join(dir, name));
                        }
                    }
                } catch (IOException e) {
                    // unreadable or not a directory: no match, as in Python
                }
            }
            current = next;
        }
        List<Path> out = new ArrayList<>();
        current.stream().sorted().forEach(s -> out.add(Path.of(relative && s.startsWith("./") ? s.substring(2) : s)));
        return out;
    }

    private static String join(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    private static boolean hasMagic(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
    }

    /** fnmatch.translate for one component. */
    static String translate(String pat) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        int n = pat.length();
        while (i < n) {
            char c = pat.charAt(i++);
            if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[') {
                int j = i;
                if (j < n && pat.charAt(j) == '!') {
                    j++;
                }
                if (j < n && pat.charAt(j) == ']') {
                    j++;
                }
                while (j < n && pat.charAt(j) != ']') {
                    j++;
                }
                if (j >= n) {
                    re.append("\\[");
                } else {
                    String stuff = pat.substring(i, j).replace("\\", "\\\\");
                    i = j + 1;
                    if (stuff.startsWith("!")) {
                        stuff = "^" + stuff.substring(1);
                    } else if (stuff.startsWith("^")) {
                        stuff = "\\" + stuff;
                    }
                    re.append('[').append(stuff).append(']');
                }
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }
}
