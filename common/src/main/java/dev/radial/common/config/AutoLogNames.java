package dev.radial.common.config;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * supervisord's names for {@code AUTO} child logs: {@code <name>-<channel>---<identifier>-<random>.log} in
 * childlogdir, created empty (mode 0600) when chosen, as {@code tempfile.mkstemp} does in
 * {@code get_autochildlog_name}, so two daemons sharing a childlogdir never share a file. The random part is
 * drawn like tempfile's (Python's {@code random.Random}, not a secure generator): O_EXCL, not the name, is what
 * makes the file ours, and a name is visible in the directory anyway. A spoke creates one per AUTO channel of each
 * process when it is added (600 for 300 programs at start-up), so the draw is cheap. Thread-safe.
 */
public final class AutoLogNames {
    /** tempfile's alphabet and length. */
    private static final String CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_";
    private static final int LENGTH = 8;
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------"));

    private AutoLogNames() {
    }

    /** Chooses and creates a new, unique AUTO log file; fails as mkstemp does when the directory is unusable. */
    public static Path create(String childlogdir, String name, String channel, String identifier)
            throws IOException {
        String prefix = name + "-" + channel + "---" + identifier + "-";
        Path dir = Path.of(childlogdir).toAbsolutePath();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 10_000; attempt++) {
            StringBuilder b = new StringBuilder(prefix);
            for (int i = 0; i < LENGTH; i++) {
                b.append(CHARS.charAt(random.nextInt(CHARS.length())));
            }
            Path p = dir.resolve(b.append(".log").toString());
            try {
                return Files.createFile(p, OWNER_ONLY);
            } catch (FileAlreadyExistsException e) {
                // taken: draw again, as mkstemp does
            }
        }
        throw new IOException("no unused AUTO log name in " + dir);
    }

    /**
     * The files supervisord's clear_autochildlogdir removes at start-up for this identifier (and their rotated
     * backups), matched against a file name from its start.
     */
    public static Pattern cleanup(String identifier) {
        return Pattern.compile(".+?---" + Pattern.quote(identifier) + "-\\S+\\.log\\.?\\d{0,4}");
    }
}
