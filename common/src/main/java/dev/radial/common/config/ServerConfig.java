package dev.radial.common.config;

/** An HTTP server supervisord would open: [unix_http_server] or [inet_http_server]. */
public sealed interface ServerConfig permits ServerConfig.Unix, ServerConfig.Inet {
    String username();

    String password();

    /** The unix socket server. chownUid/chownGid are -1 when unchanged. */
    record Unix(String file, int chmod, int chownUid, int chownGid, String username, String password)
            implements ServerConfig {
    }

    /** The TCP server; host "" means all interfaces. */
    record Inet(String host, int port, String username, String password) implements ServerConfig {
    }
}
