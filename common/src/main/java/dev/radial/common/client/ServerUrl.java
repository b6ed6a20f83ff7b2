package dev.radial.common.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Where a supervisord listens, written the way supervisorctl takes it: {@code unix:///run/x/supervisor.sock} or
 * {@code http://host:port}. {@link #toString()} gives back the text as written (supervisorctl prints it in
 * "refused connection" messages).
 */
public record ServerUrl(String text, Path socket, String host, int port) {
    public static final String DEFAULT = "http://localhost:9001";

    public static ServerUrl parse(String text) {
        if (text.startsWith("unix://")) {
            String path = text.substring("unix://".length());
            if (path.isEmpty()) {
                throw new IllegalArgumentException("value '" + text + "' is not a URL: no socket path");
            }
            return new ServerUrl(text, Path.of(path), null, 0);
        }
        if (text.startsWith("http://")) {
            URI uri = URI.create(text);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("value '" + text + "' is not a URL: no host");
            }
            return new ServerUrl(text, null, uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort());
        }
        throw new IllegalArgumentException("value '" + text + "' is not a URL: use unix:///path or http://host:port");
    }

    public static ServerUrl unix(Path socket) {
        return new ServerUrl("unix://" + socket, socket, null, 0);
    }

    public boolean isUnix() {
        return socket != null;
    }

    /** The Host header supervisorctl sends: "localhost" over a unix socket, host:port over TCP. */
    public String hostHeader() {
        return isUnix() ? "localhost" : host + ":" + port;
    }

    SocketAddress address() {
        return isUnix() ? UnixDomainSocketAddress.of(socket) : new InetSocketAddress(host, port);
    }

    SocketChannel connect() throws IOException {
        // TCP: the default family, so that a name resolving to IPv6 connects too
        SocketChannel ch = isUnix() ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        try {
            ch.connect(address());
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
