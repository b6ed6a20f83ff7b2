package dev.radial.common.config;

/**
 * A supervisord.conf whose daemon keeps everything in the config file's own directory ({@code %(here)s}): the main
 * log, the pidfile, the child logs and the unix socket, with supervisorctl's serverurl pointing at that socket.
 * Used where a daemon runs on a throwaway config: the spoke's AOT training, the benchmarks, the tests. Both
 * supervisord and our spoke read it.
 */
public final class DirectoryConfig {
    /**
     * The sections after {@code [supervisord]}: the unix socket in the directory, supervisorctl's serverurl to it
     * and the RPC interface; for configs whose {@code [supervisord]} says more.
     */
    public static final String SOCKET_SECTIONS = """
            [unix_http_server]
            file=%(here)s/supervisor.sock
            [supervisorctl]
            serverurl=unix://%(here)s/supervisor.sock
            [rpcinterface:supervisor]
            supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
            """;

    private static final String HEADER = """
            [supervisord]
            logfile=%(here)s/supervisord.log
            pidfile=%(here)s/supervisord.pid
            childlogdir=%(here)s
            """ + SOCKET_SECTIONS;

    private DirectoryConfig() {
    }

    /** The config's text: the daemon's sections, then {@code sections} (programs, groups, listeners) as given. */
    public static String text(String sections) {
        return HEADER + sections;
    }
}
