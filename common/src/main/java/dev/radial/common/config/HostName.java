package dev.radial.common.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kernel's node name, like Python's platform.node(): no DNS involved. */
public final class HostName {
    private HostName() {
    }

    public static String get() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env != null ? env : "localhost";
        }
    }
}
