package dev.radial.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The readiness_* and liveness_* keys: each kind of check, the defaults, expansions, and the errors. */
class ProbeConfigTest {
    @TempDir
    Path dir;

    private SupervisorConfig load(String programs) throws Exception {
        Path conf = dir.resolve("supervisord.conf");
        Files.writeString(conf, "[supervisord]\n" + programs);
        return ConfigLoader.create().load(conf);
    }

    private List<ProcessConfig> processes(SupervisorConfig c) {
        return c.groups().stream().flatMap(g -> g.processes().stream()).toList();
    }

    private ProcessConfig program(String section) throws Exception {
        return processes(load(section)).get(0);
    }

    private String error(String section) {
        return assertThrows(ConfigException.class, () -> load(section)).getMessage();
    }

    @Test
    void kubernetesDefaults() throws Exception {
        ProcessConfig p = program("[program:a]\ncommand=/bin/true\nreadiness_tcp=5432\n");
        assertEquals(new Probe(new Probe.TcpConnect("127.0.0.1", 5432), Duration.ZERO, Duration.ofSeconds(10),
                Duration.ofSeconds(1), 1, 3), p.readiness());
        assertNull(p.liveness());
        assertTrue(p.probed());
        assertNull(program("[program:a]\ncommand=/bin/true\n").readiness());
    }

    @Test
    void everyKeyAndKind() throws Exception {
        ProcessConfig p = program("""
                [program:a]
                command=/bin/true
                readiness_http=http://[::1]:8080/healthz?full=1
                readiness_initial_delay=2.5
                readiness_period=.5
                readiness_timeout=0.25
                readiness_success_threshold=2
                readiness_failure_threshold=5
                liveness_command=pg_isready -h %(program_name)s
                liveness_failure_threshold=1
                """);
        assertEquals(new Probe(new Probe.HttpGet("::1", 8080, "/healthz?full=1"), Duration.ofMillis(2500),
                Duration.ofMillis(500), Duration.ofMillis(250), 2, 5), p.readiness());
        assertEquals(new Probe.Command("pg_isready -h a"), p.liveness().check());
        assertEquals(1, p.liveness().failureThreshold());
        assertEquals(new Probe.HttpGet("example.org", 80, "/"), Probe.parseHttp("HTTP://example.org"));
        assertEquals(new Probe.TcpConnect("db", 5432), Probe.parseTcp("db:5432"));
        assertEquals(new Probe.TcpConnect("::1", 22), Probe.parseTcp("[::1]:22"));
        assertEquals("http://[::1]:8080/healthz?full=1", p.readiness().check().describe());
    }

    @Test
    void processNumExpandsPerProcess() throws Exception {
        List<ProcessConfig> l = processes(load("""
                [program:w]
                command=/bin/true
                process_name=w%(process_num)d
                numprocs=2
                readiness_tcp=127.0.0.1:80%(process_num)02d
                """));
        assertEquals(List.of(8000, 8001), l.stream().map(p -> ((Probe.TcpConnect) p.readiness().check()).port()).toList());
    }

    @Test
    void errorsNameSectionAndKey() {
        String two = error("[program:a]\ncommand=/bin/true\nreadiness_tcp=1\nreadiness_http=http://h/\n");
        assertTrue(two.contains("[program:a] readiness_tcp: set only one of readiness_command, readiness_http and "
                + "readiness_tcp (readiness_http is set too)"), two);
        assertTrue(error("[program:a]\ncommand=/bin/true\nliveness_period=3\n").contains(
                "[program:a] liveness_period: liveness_period is set but there is no liveness_command, liveness_http or "
                        + "liveness_tcp"));
        assertTrue(error("[program:a]\ncommand=/bin/true\nreadiness_http=https://h/\n").contains(
                "[program:a] readiness_http: 'https://h/': https is not supported"));
        assertTrue(error("[program:a]\ncommand=/bin/true\nreadiness_http=ftp://h/\n").contains("is not an http:// URL"));
        assertTrue(error("[program:a]\ncommand=/bin/true\nreadiness_tcp=h:70000\n").contains(
                "[program:a] readiness_tcp: 'h:70000': the port must be 1 to 65535"));
        assertTrue(error("[program:a]\ncommand=/bin/true\nreadiness_tcp=h\n").contains("is not PORT or HOST:PORT"));
        assertTrue(error("[program:a]\ncommand=/bin/true\nreadiness_tcp=::1:80\n").contains("in brackets"));
        assertTrue(error("[program:a]\ncommand=/bin/true\nreadiness_tcp=1\nreadiness_period=0\n").contains(
                "[program:a] readiness_period: readiness_period must be more than 0"));
        assertTrue(error("[program:a]\ncommand=/bin/true\nreadiness_tcp=1\nreadiness_timeout=-1\n").contains(
                "[program:a] readiness_timeout: '-1' is not a number of seconds"));
        assertTrue(error("[program:a]\ncommand=/bin/true\nreadiness_tcp=1\nreadiness_failure_threshold=0\n").contains(
                "[program:a] readiness_failure_threshold: readiness_failure_threshold must be 1 to 1000000, not 0"));
        assertTrue(error("[program:a]\ncommand=/bin/true\nliveness_tcp=1\nliveness_success_threshold=2\n").contains(
                "[program:a] liveness_success_threshold: liveness_success_threshold must be 1"));
        assertTrue(error("[program:a]\ncommand=/bin/true\nreadiness_http=http://h/a b\n").contains("a space"));
        assertTrue(error("[program:a]\ncommand=/bin/true\nreadiness_http=http://u:p@h/\n").contains("credentials"));
    }

    @Test
    void dependsOnHealthyNeedsAReadinessProbe() throws Exception {
        SupervisorConfig c = load("""
                [program:db]
                command=/bin/true
                readiness_tcp=5432
                [program:web]
                command=/bin/true
                depends_on=db:healthy
                """);
        assertEquals(List.of(new Dependency("db", Dependency.Condition.HEALTHY)),
                processes(c).stream().filter(p -> p.name().equals("web")).findFirst().orElseThrow().dependsOn());
        // a liveness probe alone is not a readiness probe
        assertTrue(error("[program:db]\ncommand=/bin/true\nliveness_tcp=5432\n[program:web]\ncommand=/bin/true\n"
                + "depends_on=db:healthy\n").contains("[program:web] depends_on: depends on db being healthy, but db has"
                + " no readiness probe"));
    }

    @Test
    void aChangedProbeIsAChangedProgram() throws Exception {
        ProcessConfig a = program("[program:a]\ncommand=/bin/true\nreadiness_tcp=1\n");
        ProcessConfig b = program("[program:a]\ncommand=/bin/true\nreadiness_tcp=2\n");
        assertTrue(!a.equals(b));
        assertEquals(a, program("[program:a]\ncommand=/bin/true\nreadiness_tcp=1\n"));
    }
}
