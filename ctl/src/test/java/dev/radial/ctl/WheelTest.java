package dev.radial.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.config.DirectoryConfig;
import dev.radial.common.testing.Reference;
import dev.radial.spoke.Daemons;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A two-spoke wheel outside containers (Radial mode, roots moved into a temp dir): ctl finds spokes through the
 * marker files under run/supervisor/*, runs on one (-w) or all (--all) with prefixed output and the worst exit
 * code, and inside a spoke finds its own socket with no config at all.
 */
class WheelTest {
    private static final String CONF = """
            [supervisord]
            logfile_maxbytes=1MB
            """ + DirectoryConfig.SOCKET_SECTIONS + """
            [group:web]
            programs=webapp
            [program:webapp]
            command=/bin/sleep 1010
            autostart=false
            startsecs=0
            [group:db-group]
            programs=dbapp,dbtool
            [program:dbapp]
            command=/bin/sleep 1011
            autostart=false
            startsecs=0
            [program:dbtool]
            command=/bin/sleep 1012
            autostart=false
            """;

    @TempDir
    static Path root;
    static Daemons.Running web;
    static Daemons.Running db;

    static Map<String, String> env(String spoke, String host) {
        Map<String, String> env = new HashMap<>();
        env.put("SPOKE_NAME", spoke);
        env.put("HOSTNAME", host);
        env.put("RADIAL_CONFIG_ROOT", root.resolve("config").toString());
        env.put("RADIAL_LOG_ROOT", root.resolve("log").toString());
        env.put("RADIAL_RUN_ROOT", root.resolve("run").toString());
        env.put("RADIAL_DATA_ROOT", root.resolve("data").toString());
        return env;
    }

    @BeforeAll
    static void wheel() throws Exception {
        Path conf = root.resolve("config/supervisor/supervisord.conf");
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, CONF);
        web = Daemons.radialSpoke(env("web", "c0ffee01"), root.resolve("run"));
        // an existing Radial wheel names the group "<spoke>-group"
        db = Daemons.radialSpoke(env("db", "c0ffee02"), root.resolve("run"));
        Daemons.await(Duration.ofSeconds(30), () -> {
            try {
                return ctl(env("x", "none"), "--all", "status").stdout().contains("web: web:webapp");
            } catch (Exception e) {
                return false;
            }
        }, "both spokes to list their programs: " + describe(ctl(env("x", "none"), "--all", "status")));
    }

    static String describe(Reference.Run r) {
        return "exit " + r.exit() + "\n" + r.stdout() + r.stderr();
    }

    @AfterAll
    static void stop() throws Exception {
        if (web != null) {
            web.close();
        }
        if (db != null) {
            db.close();
        }
    }

    static Reference.Run ctl(Map<String, String> env, String... args) throws Exception {
        return Client.CTL.runWith(env, root, args);
    }

    @Test
    void radialModeStartsOnlyTheSpokesOwnGroup() throws Exception {
        Daemons.await(Duration.ofSeconds(30), () -> {
            try {
                String s = ctl(env("x", "none"), "--all", "status").stdout();
                return s.matches("(?s).*web: web:webapp +RUNNING.*") && s.matches("(?s).*db: db-group:dbapp +RUNNING.*");
            } catch (Exception e) {
                return false;
            }
        }, "each spoke to start its own group");
        String all = ctl(env("x", "none"), "--all", "--all-groups", "status").stdout();
        // every spoke loads every program but starts only its own group
        assertTrue(all.matches("(?s).*web: db-group:dbapp +STOPPED.*"), all);
        assertTrue(all.matches("(?s).*db: web:webapp +STOPPED.*"), all);
        assertTrue(Files.isRegularFile(root.resolve("run/supervisor/c0ffee01/web")), "marker file");
        assertTrue(Files.isRegularFile(root.resolve("log/c0ffee01/supervisord.log")), "main log under /log/$HOSTNAME");
    }

    @Test
    void allPrefixesBySpokeAndExitsWithTheWorstCode() throws Exception {
        Reference.Run r = ctl(env("x", "none"), "--all", "--all-groups", "status");
        // with every group shown, the other spokes' groups are stopped on both spokes: exit 3
        assertEquals(3, r.exit(), r.stdout());
        List<String> lines = r.stdout().lines().toList();
        assertTrue(lines.stream().allMatch(l -> l.startsWith("db: ") || l.startsWith("web: ")), r.stdout());
        // output is grouped spoke by spoke, in name order
        assertTrue(lines.get(0).startsWith("db: ") && lines.get(lines.size() - 1).startsWith("web: "), r.stdout());

        Reference.Run ok = ctl(env("x", "none"), "--all", "status", "web:webapp", "db-group:dbapp");
        // webapp runs on web only; on db it is STOPPED: worst is 3
        assertEquals(3, ok.exit(), ok.stdout());
    }

    static boolean healthy() {
        try {
            String s = ctl(env("x", "none"), "--all", "status").stdout();
            return s.matches("(?s).*web: web:webapp +RUNNING.*") && s.matches("(?s).*db: db-group:dbapp +RUNNING.*")
                    && s.matches("(?s).*db: db-group:dbtool +RUNNING.*");
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void aHealthyWheelShowsEachSpokeByItsOwnGroupAndExitsZero() throws Exception {
        Daemons.await(Duration.ofSeconds(30), WheelTest::healthy, "every spoke's own group to run");
        Reference.Run r = ctl(env("x", "none"), "--all", "status");
        assertEquals(0, r.exit(), r.stdout());
        assertEquals(List.of("db: db-group:dbapp", "db: db-group:dbtool", "web: web:webapp"),
                r.stdout().lines().map(l -> l.replaceAll(" +RUNNING.*", "")).toList(), r.stdout());
        Reference.Run one = ctl(env("x", "none"), "-w", "web", "status");
        assertEquals(0, one.exit(), one.stdout());
        assertEquals(1, one.stdout().lines().count(), one.stdout());
        assertTrue(one.stdout().startsWith("web:webapp "), one.stdout());
        // "all" is each spoke's own group too: starting all starts no other spoke's programs
        Reference.Run start = ctl(env("x", "none"), "--all", "start", "all");
        assertEquals(0, start.exit(), start.stdout());
        String every = ctl(env("x", "none"), "--all", "--all-groups", "status").stdout();
        assertTrue(every.matches("(?s).*web: db-group:dbapp +STOPPED.*"), every);
        assertTrue(every.matches("(?s).*db: web:webapp +STOPPED.*"), every);
        Reference.Run pids = ctl(env("x", "none"), "--all", "pid", "all");
        assertEquals(3, pids.stdout().lines().count(), pids.stdout());
        assertTrue(pids.stdout().lines().allMatch(l -> l.matches("(db|web): [1-9]\\d*")), pids.stdout());
    }

    /** A run root of its own with the live web spoke linked in, and spokes that are down. */
    static Path otherRunRoot(String name) throws Exception {
        Path run = root.resolve(name);
        Files.createDirectories(run.resolve("supervisor"));
        Files.createSymbolicLink(run.resolve("supervisor/c0ffee01"), root.resolve("run/supervisor/c0ffee01"));
        return run;
    }

    static Map<String, String> envWithRun(Path run) {
        Map<String, String> env = env("x", "none");
        env.put("RADIAL_RUN_ROOT", run.toString());
        return env;
    }

    @Test
    void withOneSpokeUpTheAllPrefixStays() throws Exception {
        Daemons.await(Duration.ofSeconds(30), WheelTest::healthy, "every spoke's own group to run");
        Reference.Run r = ctl(envWithRun(otherRunRoot("run-one")), "--all", "status");
        assertEquals(0, r.exit(), r.stdout() + r.stderr());
        assertTrue(r.stdout().matches("web: web:webapp +RUNNING .*\\n"), r.stdout());
    }

    @Test
    void aSpokeWhoseSocketIsGoneIsDown() throws Exception {
        Daemons.await(Duration.ofSeconds(30), WheelTest::healthy, "every spoke's own group to run");
        Path run = otherRunRoot("run-down");
        // stopped: the marker stays, the socket is gone
        Files.createDirectories(run.resolve("supervisor/dead01"));
        Files.writeString(run.resolve("supervisor/dead01/cache"), "");
        // killed -9: the socket file stays behind and nobody listens on it
        Path killed = run.resolve("supervisor/dead02");
        Files.createDirectories(killed);
        Files.writeString(killed.resolve("db"), "");
        try (var ch = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.bind(java.net.UnixDomainSocketAddress.of(killed.resolve("supervisor.sock")));
        }
        assertTrue(Files.exists(killed.resolve("supervisor.sock")));
        Reference.Run r = ctl(envWithRun(run), "--all", "status");
        assertEquals(4, r.exit(), r.stdout() + r.stderr());
        List<String> lines = r.stdout().lines().toList();
        assertTrue(lines.contains("cache: DOWN (no socket at " + run.resolve("supervisor/dead01/supervisor.sock") + ")"),
                r.stdout());
        assertTrue(lines.contains("db: DOWN (" + killed.resolve("supervisor.sock") + " refused connection)"),
                r.stdout());
        assertTrue(lines.stream().anyMatch(l -> l.matches("web: web:webapp +RUNNING .*")), r.stdout());
        Reference.Run pid = ctl(envWithRun(run), "--all", "pid");
        assertEquals(7, pid.exit(), pid.stdout());
        Reference.Run json = ctl(envWithRun(run), "--all", "--json", "status");
        assertTrue(json.stdout().contains("\"cache\": {"), json.stdout());
        assertTrue(json.stdout().contains("DOWN (no socket at "), json.stdout());
    }

    @Test
    void aSpokeWithNoGroupOfItsOwnIsReported() throws Exception {
        Daemons.await(Duration.ofSeconds(30), WheelTest::healthy, "every spoke's own group to run");
        // a spoke named "cache" whose configuration has no cache or cache-group (its socket: web's, linked)
        Path run = root.resolve("run-nogroup");
        Path dir = run.resolve("supervisor/cache01");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("cache"), "");
        Files.createSymbolicLink(dir.resolve("supervisor.sock"), root.resolve("run/supervisor/c0ffee01/supervisor.sock"));
        Reference.Run r = ctl(envWithRun(run), "--all", "status");
        assertEquals(4, r.exit(), r.stdout() + r.stderr());
        assertEquals("cache: ERROR (no group 'cache' or 'cache-group' on this spoke; --all-groups shows every group)\n",
                r.stdout());
        Reference.Run start = ctl(envWithRun(run), "--all", "start", "all");
        assertEquals(1, start.exit(), start.stdout());
        Reference.Run every = ctl(envWithRun(run), "--all", "--all-groups", "status", "web:webapp");
        assertEquals(0, every.exit(), every.stdout());
    }

    @Test
    void oneSpokeByName() throws Exception {
        Reference.Run r = ctl(env("x", "none"), "-w", "web", "status", "web:webapp");
        assertEquals(0, r.exit(), r.stdout() + r.stderr());
        assertTrue(r.stdout().startsWith("web:webapp "), "no prefix for a single spoke: " + r.stdout());
        Reference.Run pid = ctl(env("x", "none"), "-w", "db", "pid", "db-group:dbapp");
        assertEquals(0, pid.exit());
        assertTrue(pid.stdout().strip().matches("\\d+"), pid.stdout());

        Reference.Run none = ctl(env("x", "none"), "-w", "nosuch", "status");
        assertEquals(4, none.exit());
        assertTrue(none.stdout().contains("no spoke named nosuch"), none.stdout());
    }

    @Test
    void jsonAcrossTheWheel() throws Exception {
        Reference.Run r = ctl(env("x", "none"), "--all", "--json", "status", "web:webapp");
        assertTrue(r.stdout().contains("\"web\": {"), r.stdout());
        assertTrue(r.stdout().contains("\"db\": {"), r.stdout());
        assertTrue(r.stdout().contains("\"statename\": \"RUNNING\""), r.stdout());
        assertTrue(r.stdout().contains("\"statename\": \"STOPPED\""), r.stdout());
    }

    @Test
    void insideASpokeTheOwnSocketIsTheDefault() throws Exception {
        // no -c, no supervisord.conf in the working directory: HOSTNAME picks the spoke's own socket
        Reference.Run r = ctl(env("web", "c0ffee02"), "status", "db-group:dbapp");
        assertEquals(0, r.exit(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("RUNNING"), r.stdout());
    }
}
