package dev.radial.common.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * User and group lookups from /etc/passwd and /etc/group: what glibc's files backend answers, which is
 * all a container has. Kept free of native code so that ctl and the hub can validate configs cheaply.
 */
public final class Users {
    /** One passwd entry. */
    public record User(String name, int uid, int gid, String home) {
    }

    private Users() {
    }

    public static Optional<User> byName(String name) {
        return passwd().stream().filter(u -> u.name().equals(name)).findFirst();
    }

    public static Optional<User> byUid(int uid) {
        return passwd().stream().filter(u -> u.uid() == uid).findFirst();
    }

    public static Optional<Integer> groupId(String name) {
        for (String line : lines(Path.of("/etc/group"))) {
            String[] f = line.split(":", -1);
            if (f.length >= 3 && f[0].equals(name)) {
                return Optional.of(Integer.parseInt(f[2]));
            }
        }
        return Optional.empty();
    }

    public static boolean groupExists(int gid) {
        for (String line : lines(Path.of("/etc/group"))) {
            String[] f = line.split(":", -1);
            if (f.length >= 3 && f[2].equals(Integer.toString(gid))) {
                return true;
            }
        }
        return false;
    }

    /** supervisord's name_to_uid: a name, or a number that must exist. */
    public static int nameToUid(String name) {
        try {
            int uid = Values.pyInt(name);
            if (byUid(uid).isEmpty()) {
                throw new IllegalArgumentException("Invalid user id " + name);
            }
            return uid;
        } catch (NumberFormatException e) {
            return byName(name).map(User::uid)
                    .orElseThrow(() -> new IllegalArgumentException("Invalid user name " + name));
        }
    }

    /** supervisord's name_to_gid. */
    public static int nameToGid(String name) {
        try {
            int gid = Values.pyInt(name);
            if (!groupExists(gid)) {
                throw new IllegalArgumentException("Invalid group id " + name);
            }
            return gid;
        } catch (NumberFormatException e) {
            return groupId(name).orElseThrow(() -> new IllegalArgumentException("Invalid group name " + name));
        }
    }

    private static List<User> passwd() {
        return lines(Path.of("/etc/passwd")).stream().map(l -> l.split(":", -1)).filter(f -> f.length >= 6)
                .map(f -> new User(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[5])).toList();
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
