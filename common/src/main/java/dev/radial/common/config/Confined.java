package dev.radial.common.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Resolves paths inside one directory tree the way a spoke will see them, without ever reading outside it:
 * symlinks are resolved component by component against the root (POSIX rules, '..' after a link is the
 * link target's parent); an absolute target is first mapped by {@code rebase} (the hub maps /config to the
 * revision it validates) and must land inside the root; '..' may not climb above it. Only symlinks inside the
 * root are read (readlink); the result contains no symlink, so opening it follows nothing.
 */
final class Confined {
    private static final int MAX_LINKS = 40; // Linux's ELOOP limit

    /** A path that leads outside the root; the message says which link did it. */
    static final class Escape extends RuntimeException {
        Escape(String message) {
            super(message);
        }
    }

    private final Path root;
    private final String rootText;
    private final UnaryOperator<String> rebase;

    Confined(Path root, UnaryOperator<String> rebase) {
        this.root = root.toAbsolutePath().normalize();
        this.rootText = this.root.toString();
        this.rebase = rebase;
    }

    boolean contains(String absolute) {
        return absolute.equals(rootText) || absolute.startsWith(rootText + "/");
    }

    /** The symlink-free path inside the root that {@code logical} (absolute, normalized or not) names. */
    Path physical(Path logical) {
        String text = logical.toString();
        if (root.startsWith(logical)) {
            return logical; // an ancestor a glob walks through on its way to the root: nothing of it is read
        }
        if (!contains(text)) {
            throw new Escape("leads outside the configuration: " + text);
        }
        List<String> stack = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>(components(text.substring(rootText.length())));
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (stack.isEmpty()) {
                    throw new Escape("leads outside the configuration ('..' above its root)");
                }
                stack.removeLast();
                continue;
            }
            Path p = resolve(stack).resolve(c);
            if (!Files.isSymbolicLink(p)) {
                stack.add(c);
                continue;
            }
            if (++links > MAX_LINKS) {
                throw new Escape("too many levels of symbolic links");
            }
            String target;
            try {
                target = Files.readSymbolicLink(p).toString();
            } catch (IOException e) {
                throw new Escape("cannot read symlink " + p + ": " + e.getMessage());
            }
            List<String> next;
            if (target.startsWith("/")) {
                String mapped = rebase.apply(target);
                if (!contains(mapped)) {
                    throw new Escape("leads outside the configuration: " + p + " -> " + target);
                }
                stack.clear();
                next = components(mapped.substring(rootText.length()));
            } else {
                next = components(target);
            }
            for (int i = next.size() - 1; i >= 0; i--) {
                todo.addFirst(next.get(i));
            }
        }
        return resolve(stack);
    }

    private Path resolve(List<String> stack) {
        return stack.isEmpty() ? root : root.resolve(String.join("/", stack));
    }

    private static List<String> components(String s) {
        List<String> out = new ArrayList<>();
        for (String c : s.split("/")) {
            if (!c.isEmpty()) {
                out.add(c);
            }
        }
        return out;
    }
}
