package dev.radial.common.radial;

import dev.radial.common.config.ConfigException;
import dev.radial.common.config.ConfigLoader;
import dev.radial.common.config.CtlConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A spoke's run directory, {@code $RADIAL_RUN_ROOT/supervisor/<host>/}: its socket, the supervisord.conf link and
 * the marker file Radial's entrypoint creates, an empty file named after the spoke. A supervisord started the
 * old way may also keep its log and pid file here, so the marker is the empty file that is none of those.
 */
public final class SpokeDirs {
    private static final Set<String> KNOWN = Set.of("supervisor.sock", "supervisord.conf", "supervisord.pid",
            "supervisord.log");

    private SpokeDirs() {
    }

    /** The run directories that have a socket, sorted. */
    public static List<Path> withSockets(Path runRoot) {
        Path base = runRoot.resolve("supervisor");
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(base)) {
            return s.filter(d -> Files.exists(d.resolve("supervisor.sock"))).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Every spoke's run directory, sorted: the ones with a socket and the ones with only a marker file (a spoke that
     * is down: stopped, or killed before it could remove its socket), so tools can report it rather than forget it.
     */
    public static List<Path> all(Path runRoot) {
        Path base = runRoot.resolve("supervisor");
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(base)) {
            return s.filter(Files::isDirectory).filter(d -> Files.exists(d.resolve("supervisor.sock"))
                    || marker(d) != null).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * The [supervisorctl] section of the supervisord.conf link beside the socket (credentials), or null when
     * there is none or it cannot be read: the socket is then spoken to without credentials.
     */
    public static CtlConfig ctlConfig(Path dir) {
        Path conf = dir.resolve("supervisord.conf");
        if (!Files.exists(conf)) {
            return null;
        }
        try {
            return ConfigLoader.create().loadCtl(conf);
        } catch (ConfigException e) {
            return null;
        }
    }

    /** The spoke name from the marker file, or the directory's name when there is none. */
    public static String spokeName(Path dir) {
        String m = marker(dir);
        return m != null ? m : dir.getFileName().toString();
    }

    /** The marker file's name (the spoke's name), or null when the directory has none. */
    public static String marker(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> Files.isRegularFile(f) && !KNOWN.contains(f.getFileName().toString()))
                    .filter(f -> {
                        try {
                            return Files.size(f) == 0;
                        } catch (IOException e) {
                            return false;
                        }
                    }).map(f -> f.getFileName().toString()).sorted().findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }
}
