package dev.radial.spoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.client.ServerUrl;
import dev.radial.common.client.SupervisorClient;
import dev.radial.common.config.DirectoryConfig;
import dev.radial.common.xmlrpc.XmlRpcFault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API details a client notices, side by side with the real supervisord on the same config: what
 * getAllConfigInfo says for AUTO (serverurl and log files), %(here)s of an include written as ./dir/x.conf,
 * the whole methodHelp texts, Python's int() applied to doubles and booleans, and fault strings.
 */
class ApiDetailsOracleTest {
    private static final String CONFIG = """
            [supervisord]
            logfile=%(here)s/main.log
            pidfile=%(here)s/supervisord.pid
            childlogdir=%(here)s/logs
            identifier=ident1
            """ + DirectoryConfig.SOCKET_SECTIONS + """
            [program:auto]
            command=/bin/sh -c 'echo hello; exec /bin/sleep 1000'
            startsecs=0
            [program:nolog]
            command=/bin/sleep 1000
            startsecs=0
            stdout_logfile=NONE
            stderr_logfile=NONE
            [include]
            files=./inc/x.conf
            """;
    private static final String INCLUDED = """
            [program:inc]
            command=/bin/sleep 1000
            startsecs=0
            directory=%(here)s
            stdout_logfile=%(here)s/inc.log
            """;

    @TempDir
    Path dir;

    private Path setUp(String name) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.createDirectories(d.resolve("logs"));
        Files.createDirectories(d.resolve("inc"));
        Files.writeString(d.resolve("inc/x.conf"), INCLUDED);
        Path conf = d.resolve("supervisord.conf");
        Files.writeString(conf, CONFIG);
        return conf;
    }

    @Test
    void spokeAnswersAsSupervisordDoes() throws Exception {
        Map<String, Object> real;
        Path realConf = setUp("real");
        try (Daemons.Running r = Daemons.supervisord(realConf)) {
            real = transcript(realConf);
        }
        Map<String, Object> ours;
        Path ourConf = setUp("ours");
        try (Daemons.Running s = Daemons.spoke(ourConf)) {
            ours = transcript(ourConf);
        }
        assertTrue(real.toString().contains("DIR/logs/auto-stdout---ident1-RANDOM.log"), real.toString());
        for (String key : real.keySet()) {
            assertEquals(real.get(key), ours.get(key), key);
        }
        assertEquals(real.keySet(), ours.keySet());
    }

    /** Every answer, with the directory as DIR and the random part of AUTO log names as RANDOM. */
    private static Map<String, Object> transcript(Path conf) throws Exception {
        Map<String, Object> t = new TreeMap<>();
        String d = conf.getParent().toString();
        try (SupervisorClient c = SupervisorClient.to(ServerUrl.unix(conf.resolveSibling("supervisor.sock")))
                .timeout(Duration.ofSeconds(30)).open()) {
            Object[] last = new Object[1];
            try {
                Daemons.await(Duration.ofSeconds(30), () -> {
                    try {
                        last[0] = c.call("supervisor.tailProcessStdoutLog", "auto", 0, 10);
                        return ((List<?>) last[0]).get(0).equals("hello\n");
                    } catch (Exception e) {
                        last[0] = e;
                        return false;
                    }
                }, "auto's output in its log");
            } catch (AssertionError e) {
                String listing;
                try (var files = Files.list(Path.of(d, "logs"))) {
                    listing = files.toList() + "\n" + Files.readString(Path.of(d, "main.log"));
                }
                throw new AssertionError(e.getMessage() + "; last answer: " + last[0] + "\n" + listing, e);
            }
            for (Object o : (List<?>) c.call("supervisor.getAllConfigInfo")) {
                Map<?, ?> info = (Map<?, ?>) o;
                for (String key : List.of("serverurl", "stdout_logfile", "stderr_logfile", "directory")) {
                    String v = String.valueOf(info.get(key));
                    if (v.startsWith("/")) {
                        assertTrue(Files.exists(Path.of(v)) || key.equals("directory") || v.endsWith("inc.log"),
                                "getAllConfigInfo names a file that does not exist: " + v);
                    }
                    t.put("configinfo " + info.get("name") + " " + key,
                            v.replace(d, "DIR").replaceAll("---ident1-[a-z0-9_]{8}\\.log$", "---ident1-RANDOM.log"));
                }
            }
            for (Object m : (List<?>) c.call("system.listMethods")) {
                t.put("help " + m, c.call("system.methodHelp", m));
            }
            t.put("read double", call(c, "supervisor.readProcessStdoutLog", "auto", 0.9, 3.99));
            t.put("read bool", call(c, "supervisor.readProcessStdoutLog", "auto", true, 3.2));
            t.put("read negative double", call(c, "supervisor.readProcessStdoutLog", "auto", -3.7, 0));
            t.put("tail double", call(c, "supervisor.tailProcessStdoutLog", "auto", 0.5, 10.9));
            t.put("tail bool", call(c, "supervisor.tailProcessStdoutLog", "auto", false, true));
            t.put("main log double", call(c, "supervisor.readLog", 0.0, 4.5).toString().length());
            t.put("NONE stdout", call(c, "supervisor.readProcessStdoutLog", "nolog", 0, 10));
            t.put("NONE stderr", call(c, "supervisor.readProcessStderrLog", "nolog", 0, 10));
            t.put("NONE tail", call(c, "supervisor.tailProcessStdoutLog", "nolog", 0, 10));
            t.put("chars int", call(c, "supervisor.sendProcessStdin", "auto", 5));
            t.put("chars bool", call(c, "supervisor.sendProcessStdin", "auto", true));
            t.put("chars double", call(c, "supervisor.sendProcessStdin", "auto", 1e20));
            t.put("chars array", call(c, "supervisor.sendProcessStdin", "auto", List.of(1, "x'y", 2.5, false)));
            t.put("chars struct", call(c, "supervisor.sendProcessStdin", "auto", Map.of("k", 0.0001)));
            List<Object> calls = new ArrayList<>();
            calls.add(Map.of("params", List.of()));
            calls.add(Map.of("methodName", "supervisor.getAPIVersion"));
            t.put("multicall without methodName", call(c, "system.multicall", calls));
        }
        return t;
    }

    private static Object call(SupervisorClient c, String method, Object... args) throws Exception {
        try {
            return c.call(method, args);
        } catch (XmlRpcFault f) {
            return "FAULT " + f.code() + " " + f.faultString();
        }
    }

    /**
     * Two daemons sharing a childlogdir (same identifier; nocleanup, or the second would remove the first's files
     * at start-up as supervisord does) get a file each for the same AUTO log, as supervisord's mkstemp gives.
     */
    @Test
    void autoLogsOfTwoSpokesSharingAChildlogdirAreDistinct() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        List<Daemons.Running> spokes = new ArrayList<>();
        List<String> files = new ArrayList<>();
        try {
            for (String name : List.of("one", "two")) {
                Path d = Files.createDirectories(dir.resolve(name));
                Path conf = d.resolve("supervisord.conf");
                Files.writeString(conf, ("""
                        [supervisord]
                        logfile=%(here)s/main.log
                        pidfile=%(here)s/supervisord.pid
                        childlogdir=SHARED
                        nocleanup=true
                        """ + DirectoryConfig.SOCKET_SECTIONS + """
                        [program:same]
                        command=/bin/sh -c 'echo from NAME; exec /bin/sleep 1000'
                        startsecs=0
                        """).replace("SHARED", shared.toString()).replace("NAME", name));
                spokes.add(Daemons.spoke(conf));
                try (SupervisorClient c = SupervisorClient.to(ServerUrl.unix(d.resolve("supervisor.sock"))).open()) {
                    Map<?, ?> info = (Map<?, ?>) ((List<?>) c.call("supervisor.getAllConfigInfo")).get(0);
                    files.add((String) info.get("stdout_logfile"));
                }
            }
            assertNotEquals(files.get(0), files.get(1));
            for (int i = 0; i < 2; i++) {
                Path f = Path.of(files.get(i));
                assertTrue(f.getFileName().toString().matches("same-stdout---supervisor-[a-z0-9_]{8}\\.log"), f.toString());
                String expected = "from " + List.of("one", "two").get(i) + "\n";
                Daemons.await(Duration.ofSeconds(30), () -> {
                    try {
                        return Files.readString(f).equals(expected);
                    } catch (Exception e) {
                        return false;
                    }
                }, f + " to hold only its own spoke's output");
            }
        } finally {
            for (Daemons.Running s : spokes) {
                s.close();
            }
        }
    }
}
