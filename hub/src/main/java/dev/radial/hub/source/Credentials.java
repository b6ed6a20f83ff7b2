package dev.radial.hub.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How to authenticate to a source: HTTPS user plus a password or token read from a file at every sync (so a
 * rotated token is picked up without a restart), and/or an SSH private key with a known_hosts file.
 * {@link #toString()} never shows a secret.
 */
public record Credentials(String username, Path passwordFile, Path sshKey, Path knownHosts) {
    public static final Credentials NONE = new Credentials(null, null, null, null);

    /** The password or token, read now; null when there is none. */
    public String password() throws IOException {
        if (passwordFile == null) {
            return null;
        }
        return Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
    }

    public boolean hasHttps() {
        return passwordFile != null;
    }

    @Override
    public String toString() {
        return "Credentials[user=" + username + ", passwordFile=" + passwordFile + ", sshKey=" + sshKey
                + ", knownHosts=" + knownHosts + "]";
    }
}
