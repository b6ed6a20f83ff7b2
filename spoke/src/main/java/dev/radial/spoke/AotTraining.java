package dev.radial.spoke;

import dev.radial.common.config.DirectoryConfig;
import dev.radial.common.util.TrainingRun;
import dev.radial.spoke.engine.AutostartPolicy;
import dev.radial.spoke.os.Native;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code spoke --aot-training} (not a user option): the training run of the spoke's ahead-of-time cache
 * (JEP 483/514/515), which bin/_launch and the spoke image make with {@code -XX:AOTCacheOutput}. It is a real daemon
 * run on a throwaway config: {@value #PROGRAMS} {@code sleep} programs and two that write output, started, asked
 * what a healthcheck and an operator ask over the unix socket (the status of all, one process's info, a stop and
 * a start, a log tail, the main log, an unknown method), then stopped by a SIGTERM to itself, as a container is
 * stopped. So the cache holds the classes, linkage and profiles of start-up, spawning, output capture, the RPC
 * path and shutdown. Nothing is printed.
 *
 * <p>The requests are written as text on a plain socket channel, not with common's XML-RPC client: the cache
 * loads every class it holds at each start of the spoke, and the daemon itself never runs the client.
 *
 * <p>No process outlives it: the daemon stops its children at the SIGTERM, which the client sends when it is done
 * or has failed, and a watchdog after 90 s if a call hangs; were the JVM killed midway, the {@code sleep}s end on
 * their own after {@value #SLEEP_SECONDS} s.
 *
 * <p>Threading: the daemon runs on the calling thread, as in a real run; the client on one thread of its own,
 * started once the daemon's sockets are up.
 */
final class AotTraining {
    static final String FLAG = "--aot-training";
    static final int PROGRAMS = 100;
    static final int SLEEP_SECONDS = 60;
    /** How long the client waits for all programs to be RUNNING before it gives up (a loaded machine spawns slowly). */
    private static final long RUNNING_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(40);
    /** A call that hangs is ended by a SIGTERM after this long: the daemon's shutdown closes the connection. */
    private static final long WATCHDOG_MILLIS = TimeUnit.SECONDS.toMillis(90);

    private AotTraining() {
    }

    /** 0 when every call was answered as expected and the daemon exited 0 after the SIGTERM, else 1. */
    static int run() {
        return TrainingRun.inQuietTempDir("spoke-aot", dir -> {
            Path conf = dir.resolve("supervisord.conf");
            Files.writeString(conf, config());
            Path sock = dir.resolve("supervisor.sock");
            AtomicBoolean answered = new AtomicBoolean();
            int code = Daemon.run(conf, Map.of(), AutostartPolicy.CONFIGURED, engine -> {
                Thread client = new Thread(() -> {
                    try {
                        answered.set(ask(sock));
                    } finally {
                        // the TERM handler is what a stopped container runs; shutdown() only if the signal failed
                        if (Native.LIBC.kill(Native.POSIX.getpid(), 15) != 0) {
                            engine.shutdown();
                        }
                    }
                }, "aot-training-client");
                client.setDaemon(true);
                client.start();
                Thread watchdog = new Thread(() -> {
                    try {
                        Thread.sleep(WATCHDOG_MILLIS);
                        Native.LIBC.kill(Native.POSIX.getpid(), 15);
                    } catch (InterruptedException ignored) {
                        // not interrupted by anyone
                    }
                }, "aot-training-watchdog");
                watchdog.setDaemon(true);
                watchdog.start();
            });
            return code == 0 && answered.get() ? 0 : 1;
        });
    }

    /**
     * The programs (found on PATH, as in an image with busybox) and the daemon's files in the config's directory.
     * startsecs is left at its default, so the STARTING to RUNNING timer runs as in a real spoke.
     */
    static String config() {
        return DirectoryConfig.text("""
                [program:sleeper]
                command=sleep SLEEP
                process_name=%(program_name)s_%(process_num)03d
                numprocs=PROGRAMS
                [program:talker]
                command=sh -c 'echo ready; echo warming >&2; exec sleep SLEEP'
                [program:once]
                command=sh -c 'echo done'
                startsecs=0
                autorestart=false
                """).replace("SLEEP", Integer.toString(SLEEP_SECONDS)).replace("PROGRAMS", Integer.toString(PROGRAMS));
    }

    /** The calls; false as soon as one is not answered as a spoke answers it. */
    private static boolean ask(Path sock) {
        try {
            long deadline = System.nanoTime() + RUNNING_DEADLINE_NANOS;
            // every sleeper and the talker RUNNING, as a client polling a starting spoke sees it
            while (count(call(sock, "supervisor.getAllProcessInfo"), ">RUNNING<") < PROGRAMS + 1) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(20);
            }
            String one = string("sleeper:sleeper_000");
            boolean ok = true;
            for (int i = 0; i < 20; i++) { // a healthcheck every few seconds: ctl health, ctl status
                ok &= count(call(sock, "supervisor.getAllProcessInfo"), ">RUNNING<") >= PROGRAMS;
            }
            ok &= call(sock, "supervisor.getState").contains("RUNNING");
            ok &= call(sock, "supervisor.getProcessInfo", one).contains("sleeper_000");
            ok &= call(sock, "supervisor.stopProcess", one).contains("<boolean>1</boolean>");
            ok &= call(sock, "supervisor.startProcess", one).contains("<boolean>1</boolean>");
            ok &= call(sock, "supervisor.tailProcessStdoutLog", string("talker") + integer(0) + integer(1000))
                    .contains("ready");
            ok &= call(sock, "supervisor.readProcessStderrLog", string("talker") + integer(0) + integer(1000))
                    .contains("warming");
            ok &= call(sock, "supervisor.readLog", integer(0) + integer(0)).contains("supervisord started");
            ok &= call(sock, "supervisor.noSuchMethod").contains("<fault>");
            return ok;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One XML-RPC call on a connection of its own, as supervisorctl makes them; the response's body. */
    static String call(Path sock, String method, String... params) throws IOException {
        String body = "<?xml version=\"1.0\"?><methodCall><methodName>" + method + "</methodName><params>"
                + String.join("", params) + "</params></methodCall>";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: "
                + bytes.length + "\r\nConnection: close\r\n\r\n";
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.shutdownOutput();
            byte[] answer = java.nio.channels.Channels.newInputStream(ch).readAllBytes();
            String text = new String(answer, StandardCharsets.UTF_8);
            int start = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.1 200") || start < 0) {
                throw new IOException("not an XML-RPC answer: " + text.lines().findFirst().orElse(""));
            }
            return text.substring(start + 4);
        }
    }

    private static String string(String s) {
        return "<param><value><string>" + s + "</string></value></param>";
    }

    private static String integer(int i) {
        return "<param><value><int>" + i + "</int></value></param>";
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }
}
