package dev.radial.hub.publish;

import dev.radial.common.util.FileModes;
import dev.radial.hub.git.SyncException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
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

    /** Applies the modes under {@code revision}; exception paths name the live tree ({@code configRoot}/...). */
    void apply(Path revision, Path configRoot) throws IOException, SyncException {
        try (var walk = Files.walk(revision)) {
            for (Path p : walk.toList()) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    Files.setPosixFilePermissions(p, modes(dirMode));
                } else {
                    boolean exec = Files.isExecutable(p);
                    Files.setPosixFilePermissions(p, modes(exec ? fileMode | ((fileMode & 0444) >> 2) : fileMode));
                }
            }
        }
        UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
        for (Exception e : exceptions) {
            String rel = e.path().startsWith(configRoot + "/") ? e.path().substring(configRoot.toString().length() + 1)
                    : e.path().replaceFirst("^/+", "");
            Path target = revision.resolve(rel).normalize();
            if (!target.startsWith(revision) || !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                continue; // names a path this revision does not have
            }
            Files.setPosixFilePermissions(target, modes(e.mode()));
            PosixFileAttributeView view = Files.getFileAttributeView(target, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            try {
                if (e.user() != null) {
                    view.setOwner(users.lookupPrincipalByName(e.user()));
                }
                if (e.group() != null) {
                    view.setGroup(users.lookupPrincipalByGroupName(e.group()));
                }
            } catch (IOException ex) {
                throw new SyncException("PERMISSIONS_EXCEPTIONS " + e.path() + ": " + ex.getMessage(), ex);
            }
        }
    }

    static Set<PosixFilePermission> modes(int mode) {
        return FileModes.toPermissions(mode);
    }
}
