package dev.radial.hub;

import dev.radial.common.testing.Reference;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * OpenSSH's sshd on a free port of 127.0.0.1, with its own host key and one authorized client key, serving git
 * over SSH as a forge does ({@code git-upload-pack} run by the login shell): the real server on the far side of the
 * hub's SSH transport. Runs as the test's user (sshd then admits only that user); stopped by pid.
 */
final class OpenSshServer implements AutoCloseable {
    static final Path SSHD = Path.of("/usr/sbin/sshd");

    final Path dir;
    final int port;
    final Path clientKey;
    final Path knownHosts;
    private final Process sshd;

    OpenSshServer(Path dir) throws Exception {
        if (!Files.isExecutable(SSHD)) {
            throw new AssertionError(SSHD + " is missing: install openssh-server (.ci/run does)");
        }
        this.dir = Files.createDirectories(dir);
        Path hostKey = keygen(dir.resolve("host_ed25519"));
        clientKey = keygen(dir.resolve("id_ed25519"));
        Path authorized = dir.resolve("authorized_keys");
        Files.copy(Path.of(clientKey + ".pub"), authorized);
        Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-------"));
        try (ServerSocket ss = new ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + Files.readString(Path.of(hostKey + ".pub")));
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey,
                "AuthorizedKeysFile " + authorized,
                "PidFile " + dir.resolve("sshd.pid"),
                "StrictModes no",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "AllowUsers " + System.getProperty("user.name"),
                "") );
        if ("root".equals(System.getProperty("user.name"))) {
            Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
        }
        sshd = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sshd.log").toFile()).start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (!sshd.isAlive() || System.nanoTime() > deadline) {
                    close();
                    throw new AssertionError("sshd did not listen on " + port + ": " + log());
                }
                Thread.sleep(50);
            }
        }
    }

    /** A new ed25519 key pair at {@code at} (and {@code at}.pub), without a passphrase. */
    static Path keygen(Path at) throws Exception {
        Reference.Run r = Reference.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "radial-test",
                "-f", at.toString()), Map.of(), at.getParent(), 60);
        if (r.exit() != 0) {
            throw new AssertionError("ssh-keygen failed: " + r.stderr());
        }
        return at;
    }

    /** {@code ssh://user@127.0.0.1:PORT/abs/path}. */
    String url(Path repository) {
        return "ssh://" + System.getProperty("user.name") + "@127.0.0.1:" + port + repository.toAbsolutePath();
    }

    String log() {
        try {
            return Files.readString(dir.resolve("sshd.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        sshd.destroy();
        if (!sshd.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            sshd.destroyForcibly();
        }
    }
}
