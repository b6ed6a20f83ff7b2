package dev.radial.common.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything a supervisord.conf (with its includes) configures. Groups are sorted by (priority, name).
 *
 * @param rpcInterfaces the names of the [rpcinterface:x] sections
 * @param warnings      what supervisord would log as parse warnings
 */
public record SupervisorConfig(Path file, String here, DaemonConfig daemon, List<GroupConfig> groups,
        List<ServerConfig> servers, List<String> rpcInterfaces, List<Path> includedFiles, List<String> warnings) {

    public SupervisorConfig {
        groups = List.copyOf(groups);
        servers = List.copyOf(servers);
        rpcInterfaces = List.copyOf(rpcInterfaces);
        includedFiles = List.copyOf(includedFiles);
        warnings = List.copyOf(warnings);
    }

    public Optional<GroupConfig> group(String name) {
        return groups.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    public Optional<ServerConfig.Unix> unixServer() {
        return servers.stream().filter(s -> s instanceof ServerConfig.Unix).map(s -> (ServerConfig.Unix) s).findFirst();
    }

    public Optional<ServerConfig.Inet> inetServer() {
        return servers.stream().filter(s -> s instanceof ServerConfig.Inet).map(s -> (ServerConfig.Inet) s).findFirst();
    }

    /** The URL children see as SUPERVISOR_SERVER_URL: the unix socket if any, else the inet one. */
    public String serverUrl() {
        Optional<ServerConfig.Unix> unix = unixServer();
        if (unix.isPresent()) {
            return "unix://" + unix.get().file();
        }
        return inetServer().map(i -> "http://" + (i.host().isEmpty() ? "localhost" : i.host()) + ":" + i.port())
                .orElse(null);
    }
}
