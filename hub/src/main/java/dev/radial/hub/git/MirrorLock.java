package dev.radial.hub.git;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hub's exclusive claim on its mirror directory: an fcntl lock on {@code <mirrors>/.hub-lock}, held until
 * the process exits (the kernel drops it when a killed hub dies). Whoever holds it knows no other hub is writing
 * the mirrors, so lock files found there are a dead hub's and can go. One JVM shares one lock per directory.
 */
final class MirrorLock {
    private static final Map<Path, FileLock> HELD = new ConcurrentHashMap<>();

    private MirrorLock() {
    }

    /** @throws IOException another process holds the lock (the message says which file) */
    static FileLock acquire(Path mirrors) throws IOException {
        Path file = mirrors.toAbsolutePath().normalize().resolve(".hub-lock");
        FileLock held = HELD.get(file);
        if (held != null && held.isValid()) {
            return held;
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            ch.close();
            throw new IOException("another hub holds " + file);
        }
        HELD.put(file, l);
        return l;
    }

    /** Removes JGit's lock files ({@code *.lock}) under every mirror; returns what it removed. */
    static List<Path> clearStale(Path mirrors) throws IOException {
        List<Path> removed = new ArrayList<>();
        try (var dirs = Files.list(mirrors)) {
            for (Path repo : dirs.filter(p -> p.getFileName().toString().endsWith(".git")
                    && Files.isDirectory(p)).toList()) {
                Files.walkFileTree(repo, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                        // objects/ holds no ref locks and is by far the biggest part
                        return d.equals(repo.resolve("objects")) ? FileVisitResult.SKIP_SUBTREE
                                : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                        if (f.getFileName().toString().endsWith(".lock") && !a.isDirectory()) {
                            Files.delete(f);
                            removed.add(f);
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
            }
        }
        return removed;
    }
}
