package dev.radial.ctl;

import dev.radial.common.client.ServerUrl;
import dev.radial.common.config.CtlConfig;
import dev.radial.common.radial.SpokeDirs;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The spokes of a wheel, found through the shared run volume: every {@code $RUN/supervisor/<host>/} with a
 * {@code supervisor.sock} or a marker file is one spoke container; the marker file names its spoke (Radial's
 * convention), and the {@code supervisord.conf} link there gives the [supervisorctl] credentials.
 */
public final class Wheel {
    /**
     * One spoke container: its spoke name (the marker; the directory name when there is none), its run directory
     * and server.
     */
    public record Spoke(String name, String host, Path dir, ServerUrl url, String username, String password) {
        /**
         * Why this spoke cannot be talked to, or null when its socket accepts a connection: no socket (stopped), or
         * a socket nobody listens on any more (killed before it could remove it).
         */
        public String down() {
            Path sock = dir.resolve("supervisor.sock");
            if (!Files.exists(sock)) {
                return "no socket at " + sock;
            }
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(sock));
                return null;
            } catch (ConnectException e) {
                return sock + " refused connection";
            } catch (IOException e) {
                return sock + ": " + e.getMessage();
            }
        }
    }

    private Wheel() {
    }

    /**
     * All spokes under {@code runRoot}/supervisor, sorted by spoke name then host: those with a socket and those with
     * only a marker file (down).
     */
    public static List<Spoke> spokes(Path runRoot) throws IOException {
        List<Spoke> found = new ArrayList<>();
        for (Path dir : SpokeDirs.all(runRoot)) {
            found.add(spoke(dir));
        }
        found.sort((a, b) -> a.name().equals(b.name()) ? a.host().compareTo(b.host()) : a.name().compareTo(b.name()));
        return found;
    }

    /** The spoke whose run directory is {@code dir}. */
    static Spoke spoke(Path dir) throws IOException {
        String host = dir.getFileName().toString();
        String name = SpokeDirs.spokeName(dir);
        ServerUrl url = ServerUrl.unix(dir.resolve("supervisor.sock"));
        CtlConfig c = SpokeDirs.ctlConfig(dir);
        return new Spoke(name, host, dir, url, c == null ? null : c.username(), c == null ? null : c.password());
    }

    /** The spokes named {@code name} (several when a spoke is scaled), or the one whose host directory it is. */
    public static List<Spoke> named(List<Spoke> all, String name) {
        List<Spoke> byName = all.stream().filter(s -> s.name().equals(name)).toList();
        return byName.isEmpty() ? all.stream().filter(s -> s.host().equals(name)).toList() : byName;
    }

    /** Labels for output prefixes: the spoke name, or name@host where a spoke name is shared. */
    public static Map<Spoke, String> labels(List<Spoke> spokes) {
        Map<String, Integer> counts = new HashMap<>();
        spokes.forEach(s -> counts.merge(s.name(), 1, Integer::sum));
        Map<Spoke, String> labels = new HashMap<>();
        for (Spoke s : spokes) {
            labels.put(s, counts.get(s.name()) > 1 ? s.name() + "@" + s.host() : s.name());
        }
        return labels;
    }
}
