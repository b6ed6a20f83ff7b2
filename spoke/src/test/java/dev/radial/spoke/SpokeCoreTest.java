package dev.radial.spoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.client.ServerUrl;
import dev.radial.common.client.SupervisorClient;
import dev.radial.common.xmlrpc.Fault;
import dev.radial.common.xmlrpc.XmlRpcFault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spoke's core against what a client, a child or the environment can do to it, with real spokes, processes,
 * signals and sockets: inherited ignored signals, children's signal state, a stdin flood, adopted orphans,
 * process groups that stopped being ours.
 */
class SpokeCoreTest {
    private static void kill(long pid, String sig) throws Exception {
        new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start().waitFor();
    }

    private static String log(Path dir) {
        return Daemons.read(dir.resolve("supervisord.log"));
    }

    private static String procStatus(String pid, String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).strip();
            }
        }
        throw new AssertionError(field + " not in /proc/" + pid + "/status");
    }

    /**
     * Started as a background job of a script (INT ignored) and under nohup (HUP ignored), the spoke still
     * obeys both, as supervisord does; its children start with no signal ignored or blocked (glibc's 32 and 33
     * included) whatever the spoke inherited.
     */
    @Test
    void inheritedIgnoredSignalsAreObeyedAndChildrenStartClean(@TempDir Path dir) throws Exception {
        Path conf = Daemons.config(dir, "[program:child]\ncommand=/bin/sleep 1000\nstartsecs=0\n");
        try (Daemons.Running d = Daemons.spokeIgnoring(conf, "INT", "HUP", "QUIT", "USR2")) {
            long spoke = d.process().pid();
            Daemons.await(Duration.ofSeconds(30), () -> pid(d, "child") > 0, "child to run");
            String child = Integer.toString(pid(d, "child"));
            assertEquals("0000000000000000", procStatus(child, "SigIgn"), "no signal ignored in the child");
            assertEquals("0000000000000000", procStatus(child, "SigBlk"), "no signal blocked in the child");
            assertTrue(log(dir).contains("signal INT was ignored when the spoke started; handling it"), log(dir));
            // HUP: a restart, the child respawned with a new pid
            kill(spoke, "HUP");
            Daemons.await(Duration.ofSeconds(30), () -> log(dir).contains("received SIGHUP indicating restart request"),
                    "SIGHUP to be handled");
            Daemons.await(Duration.ofSeconds(30), () -> pid(d, "child") > 0 && pid(d, "child") != Integer.parseInt(child),
                    "the child to be restarted by the reload");
            // INT: an orderly shutdown, exit code 0
            kill(spoke, "INT");
            assertTrue(d.process().waitFor(30, TimeUnit.SECONDS), "the spoke exits on SIGINT");
            assertEquals(0, d.process().exitValue());
            assertTrue(log(dir).contains("received SIGINT indicating exit request"), log(dir));
        }
    }

    private static int pid(Daemons.Running d, String name) {
        try {
            String out = d.ctl("pid", name).stdout().strip();
            return out.matches("\\d+") ? Integer.parseInt(out) : 0;
        } catch (Exception e) {
            return 0;
        }
    }

    /**
     * A child that never reads its stdin: sendProcessStdin keeps answering at once, a full buffer is refused with
     * FAILED (and says why), and the engine stays responsive; a child that does read gets every byte in order.
     */
    @Test
    void stdinFloodToANonReaderNeverFreezesTheEngine(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("cat.out");
        Path conf = Daemons.config(dir, "[program:deaf]\ncommand=/bin/sleep 1000\nstartsecs=0\n"
                + "[program:cat]\ncommand=/bin/cat\nstartsecs=0\nstdout_logfile=" + out + "\nstdout_logfile_maxbytes=0\n");
        try (Daemons.Running d = Daemons.spoke(conf);
                SupervisorClient c = SupervisorClient.to(ServerUrl.unix(dir.resolve("supervisor.sock")))
                        .timeout(Duration.ofSeconds(60)).open()) {
            Daemons.await(Duration.ofSeconds(30), () -> pid(d, "deaf") > 0 && pid(d, "cat") > 0, "both to run");
            String chunk = "x".repeat(300 * 1024);
            XmlRpcFault refused = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (int i = 0; i < 20; i++) {
                    try {
                        c.call("supervisor.sendProcessStdin", "deaf", chunk);
                    } catch (XmlRpcFault f) {
                        return f;
                    }
                }
                throw new AssertionError("20 x 300 KB accepted for a process that reads nothing");
            });
            assertEquals(Fault.FAILED.code(), refused.code(), refused.getMessage());
            assertTrue(refused.getMessage().contains("stdin of deaf is full"), refused.getMessage());
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                assertEquals("RUNNING", ((Map<?, ?>) c.call("supervisor.getState")).get("statename"));
                c.call("supervisor.getAllProcessInfo");
            }, "the engine answers after the flood");
            // a reader gets it all: more than the pipe holds, so part of it went through the EPOLLOUT path
            StringBuilder expect = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                String part = Character.toString('a' + i).repeat(300 * 1024) + "\n";
                assertEquals(Boolean.TRUE, c.call("supervisor.sendProcessStdin", "cat", part));
                expect.append(part);
            }
            Daemons.await(Duration.ofSeconds(60), () -> Daemons.read(out).length() >= expect.length(),
                    "cat to echo all " + expect.length() + " bytes");
            assertEquals(expect.toString(), Daemons.read(out));
            assertEquals(0, d.ctl("stop", "deaf").exit(), "a flooded process still stops");
        }
    }

    /**
     * On a kernel or seccomp profile without pidfds (forced here with -Dradial.pidfd=off) the spoke says so once
     * and runs on SIGCHLD: a crashing child is reaped and respawned, stop signals by pid, a process group is
     * stopped whole, and shutdown leaves nothing behind.
     */
    @Test
    void withoutPidfdsChildrenAreReapedSignalledAndStopped(@TempDir Path dir) throws Exception {
        Path grandchild = dir.resolve("grandchild.pid");
        Path conf = Daemons.config(dir, "[program:flappy]\ncommand=/bin/sh -c 'sleep 0.3; exit 3'\nstartsecs=0\n"
                + "autorestart=true\n"
                + "[program:steady]\ncommand=/bin/sleep 1000\nstartsecs=0\n"
                + "[program:grouped]\ncommand=/bin/sh -c '/bin/sleep 1000 & echo $! > " + grandchild + "; wait'\n"
                + "startsecs=0\nstopasgroup=true\n");
        List<Integer> seen = new java.util.ArrayList<>();
        try (Daemons.Running d = Daemons.spoke(conf, List.of("-Dradial.pidfd=off"))) {
            Daemons.await(Duration.ofSeconds(30), () -> log(dir).contains("pidfds not used (turned off"),
                    "the spoke to say it runs without pidfds");
            Daemons.await(Duration.ofSeconds(60), () -> {
                int p = pid(d, "flappy");
                if (p > 0 && !seen.contains(p)) {
                    seen.add(p);
                }
                return seen.size() >= 3;
            }, "flappy to be reaped and respawned twice");
            assertTrue(log(dir).contains("exited: flappy (exit status 3; not expected)"), log(dir));
            int steady = pid(d, "steady");
            assertTrue(steady > 0);
            assertEquals(0, d.ctl("stop", "steady").exit());
            Daemons.await(Duration.ofSeconds(30), () -> !Files.exists(Path.of("/proc", Integer.toString(steady))),
                    "steady's process to be gone (reaped, no zombie)");
            Daemons.await(Duration.ofSeconds(30), () -> Daemons.read(grandchild).strip().matches("\\d+"),
                    "grouped's grandchild pid");
            String gc = Daemons.read(grandchild).strip();
            assertEquals(0, d.ctl("stop", "grouped").exit());
            Daemons.await(Duration.ofSeconds(30), () -> !Files.exists(Path.of("/proc", gc)),
                    "grouped's grandchild to be stopped with its group");
            assertFalse(log(dir).contains("cannot watch pidfd"), log(dir));
            int last = pid(d, "flappy");
            d.close();
            assertEquals(0, d.process().exitValue());
            if (last > 0) {
                assertFalse(Files.exists(Path.of("/proc", Integer.toString(last))), "no flappy left after shutdown");
            }
        }
    }

    /** A double-forked grandchild is adopted by the spoke (subreaper) and reaped when it exits: no zombie. */
    @Test
    void anAdoptedOrphanIsReaped(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("orphan.pid");
        Path conf = Daemons.config(dir, "[program:parent]\ncommand=/bin/sh -c '(/bin/sleep 1 & echo $! > " + pidFile
                + ")'\nstartsecs=0\nautorestart=false\n");
        try (Daemons.Running d = Daemons.spoke(conf)) {
            Daemons.await(Duration.ofSeconds(30), () -> Daemons.read(pidFile).strip().matches("\\d+"), "the orphan's pid");
            String orphan = Daemons.read(pidFile).strip();
            Daemons.await(Duration.ofSeconds(30), () -> log(dir).contains("reaped unknown pid " + orphan),
                    "the orphan to be reaped by the spoke");
            Daemons.await(Duration.ofSeconds(30), () -> !Files.exists(Path.of("/proc", orphan)),
                    "no zombie of " + orphan + " left");
            assertTrue(log(dir).contains("reaped unknown pid " + orphan + " (exit status 0)"), log(dir));
        }
    }

    /**
     * A child that exited long ago leaves no claim on its process group: its pid, and so its group id, is given
     * to a stranger (forced with ns_last_pid) that leads its own group; the spoke's shutdown kills none of it.
     * (The old engine remembered every pgid it ever created and sent each -pgid SIGKILL at shutdown.)
     */
    @Test
    void shutdownSparesAProcessGroupThatIsNoLongerOurs(@TempDir Path dir) throws Exception {
        Path conf = Daemons.config(dir, "[program:brief]\ncommand=/bin/true\nstartsecs=0\nautorestart=false\n"
                + "[program:steady]\ncommand=/bin/sleep 1000\nstartsecs=0\n");
        Daemons.Running d = Daemons.spoke(conf);
        Process stranger = null;
        try {
            Daemons.await(Duration.ofSeconds(30), () -> log(dir).contains("exited: brief (exit status 0; expected)"),
                    "brief to exit");
            Matcher m = Pattern.compile("spawned: 'brief' with pid (\\d+)").matcher(log(dir));
            assertTrue(m.find(), log(dir));
            int oldPid = Integer.parseInt(m.group(1));
            // setsid keeps the pid (a non-leader execs without forking) and makes it lead group oldPid
            stranger = PidReuse.startWithPid(oldPid, List.of("/usr/bin/setsid", "/bin/sleep", "120"));
            long strangerPid = stranger.pid();
            Daemons.await(Duration.ofSeconds(10), () -> {
                try {
                    return Files.readString(Path.of("/proc", Long.toString(strangerPid), "stat")).split(" ")[4]
                            .equals(Long.toString(strangerPid));
                } catch (Exception e) {
                    return false;
                }
            }, "the stranger to lead process group " + oldPid);
            kill(d.process().pid(), "TERM");
            assertTrue(d.process().waitFor(30, TimeUnit.SECONDS), "the spoke shuts down");
            assertEquals(0, d.process().exitValue());
            assertFalse(stranger.waitFor(500, TimeUnit.MILLISECONDS), "the stranger's group was not killed");
            assertTrue(stranger.isAlive());
        } finally {
            d.close();
            if (stranger != null) {
                stranger.destroyForcibly();
                stranger.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
