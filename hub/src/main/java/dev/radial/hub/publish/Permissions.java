package dev.radial.hub.publish;

import dev.radial.common.util.FileModes;
import dev.radial.hub.git.SyncException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.DirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Radial's PERMISSIONS_DEFAULT_DIR / _FILE (755 / 644) and PERMISSIONS_EXCEPTIONS ("path:octal[:user[:group]]",
 * paths under the config root), applied to a revision before it is published. Files git marks executable keep
 * their execute bits (Radial's recursive 644 removed them).
 */
public record Permissions(int dirMode, int fileMode, List<Exception> exceptions) {
    /** One PERMISSIONS_EXCEPTIONS entry. */
    public record Exception(String path, int mode, String user, String group) {
    }

    public static Permissions fromEnvironment(Map<String, String> env) throws SyncException {
        int dir = octal(env.getOrDefault("PERMISSIONS_DEFAULT_DIR", "755"), "PERMISSIONS_DEFAULT_DIR");
        int file = octal(env.getOrDefault("PERMISSIONS_DEFAULT_FILE", "644"), "PERMISSIONS_DEFAULT_FILE");
        List<Exception> ex = new ArrayList<>();
        String spec = env.getOrDefault("PERMISSIONS_EXCEPTIONS", "").strip();
        if (!spec.isEmpty()) {
            for (String item : spec.split("\\s+")) {
                String[] parts = item.split(":");
                if (parts.length < 2 || parts.length > 4) {
                    throw new SyncException("PERMISSIONS_EXCEPTIONS: '" + item + "' is not path:octal[:user[:group]]");
                }
                ex.add(new Exception(parts[0], octal(parts[1], "PERMISSIONS_EXCEPTIONS " + item),
                        parts.length > 2 ? parts[2] : null, parts.length > 3 ? parts[3] : null));
            }
        }
        return new Permissions(dir, file, List.copyOf(ex));
    }

    private static int octal(String s, String what) throws SyncException {
        try {
            int v = Integer.parseInt(s.strip(), 8);
            if (v < 0 || v > 07777) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new SyncException(what + ": '" + s + "' is not an octal mode");
        }
    }

    /**
     * Applies the modes under {@code revision}; exception paths name the live tree ({@code configRoot}/...).
     * Confined: nothing outside {@code revision} is touched. Symlinks are never followed, in any path component
     * (an exception path through a pushed {@code app -> /victim} link is skipped and reported, never chmod'ed or
     * chown'ed), and modes are set on the file itself.
     *
     * @return one note per exception that names something this revision does not have as a plain path
     */
    List<String> apply(Path revision, Path configRoot) throws IOException, SyncException {
        try (var walk = Files.walk(revision)) {
            for (Path p : walk.toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isSymbolicLink() || !(a.isDirectory() || a.isRegularFile())) {
                    continue;
                }
                PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (a.isDirectory()) {
                    view.setPermissions(modes(dirMode));
                } else {
                    boolean exec = view.readAttributes().permissions().contains(PosixFilePermission.OWNER_EXECUTE);
                    view.setPermissions(modes(exec ? fileMode | ((fileMode & 0444) >> 2) : fileMode));
                }
            }
        }
        List<String> notes = new ArrayList<>();
        UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
        for (Exception e : exceptions) {
            String rel = e.path().startsWith(configRoot + "/") ? e.path().substring(configRoot.toString().length() + 1)
                    : e.path().startsWith("/config/") ? e.path().substring("/config/".length())
                    : e.path().replaceFirst("^/+", "");
            try {
                String skipped = applyOne(revision, rel, e, users);
                if (skipped != null) {
                    notes.add("PERMISSIONS_EXCEPTIONS " + e.path() + ": " + skipped);
                }
            } catch (IOException ex) {
                throw new SyncException("PERMISSIONS_EXCEPTIONS " + e.path() + ": " + ex.getMessage(), ex);
            }
        }
        return notes;
    }

    /**
     * Walks {@code rel} from {@code revision} one component at a time through directory handles opened with
     * O_NOFOLLOW (a {@link SecureDirectoryStream}), then sets mode and owner through the last handle.
     *
     * @return why it was skipped, or null when applied
     */
    private static String applyOne(Path revision, String rel, Exception e, UserPrincipalLookupService users)
            throws IOException {
        List<String> parts = new ArrayList<>();
        for (String c : rel.split("/")) {
            if (c.equals("..")) {
                return "leaves the configuration root";
            }
            if (!c.isEmpty() && !c.equals(".")) {
                parts.add(c);
            }
        }
        if (parts.isEmpty()) {
            return "names the configuration root itself";
        }
        DirectoryStream<Path> top = Files.newDirectoryStream(revision);
        if (!(top instanceof SecureDirectoryStream<Path> dir)) {
            top.close();
            throw new IOException("this platform has no O_NOFOLLOW directory handles; refusing to apply exceptions");
        }
        try {
            for (int i = 0; i < parts.size(); i++) {
                Path name = Path.of(parts.get(i));
                BasicFileAttributes a;
                try {
                    a = dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                            .readAttributes();
                } catch (NoSuchFileException ex) {
                    return null; // names a path this revision does not have
                }
                String so = String.join("/", parts.subList(0, i + 1));
                if (a.isSymbolicLink()) {
                    return so + " is a symlink in this revision; symlinks are never followed";
                }
                if (i < parts.size() - 1) {
                    if (!a.isDirectory()) {
                        return null;
                    }
                    SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
                    dir.close();
                    dir = sub;
                    continue;
                }
                PosixFileAttributeView view = dir.getFileAttributeView(name, PosixFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS);
                view.setPermissions(modes(e.mode()));
                if (e.user() != null) {
                    view.setOwner(users.lookupPrincipalByName(e.user()));
                }
                if (e.group() != null) {
                    view.setGroup(users.lookupPrincipalByGroupName(e.group()));
                }
            }
            return null;
        } finally {
            dir.close();
        }
    }

    static Set<PosixFilePermission> modes(int mode) {
        return FileModes.toPermissions(mode);
    }
}
