package dev.radial.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.config.Dependency.Condition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** depends_on=: the syntax, and the graph checks (unknown names, cycles) that make a config error. */
class DependsOnConfigTest {
    @TempDir
    Path dir;

    private SupervisorConfig load(String programs) throws Exception {
        Path conf = dir.resolve("supervisord.conf");
        Files.writeString(conf, "[supervisord]\n" + programs);
        return ConfigLoader.create().load(conf);
    }

    private ProcessConfig program(SupervisorConfig c, String name) {
        return c.groups().stream().flatMap(g -> g.processes().stream()).filter(p -> p.programName().equals(name))
                .findFirst().orElseThrow();
    }

    @Test
    void conditionsAcrossGroupsDefaultRunning() throws Exception {
        SupervisorConfig c = load("""
                [group:backend]
                programs=db,migrate
                [program:db]
                command=/bin/true
                [program:migrate]
                command=/bin/true
                depends_on = db:started
                [program:web]
                command=/bin/true
                depends_on=migrate:Completed_Successfully, db
                """);
        assertEquals(List.of(new Dependency("migrate", Condition.COMPLETED_SUCCESSFULLY),
                new Dependency("db", Condition.RUNNING)), program(c, "web").dependsOn());
        assertEquals(List.of(new Dependency("db", Condition.STARTED)), program(c, "migrate").dependsOn());
        assertEquals(List.of(), program(c, "db").dependsOn());
    }

    private ConfigException error(String programs) {
        return assertThrows(ConfigException.class, () -> load(programs));
    }

    @Test
    void anUnknownNameIsAnErrorAtTheKey() {
        ConfigException e = error("[program:web]\ncommand=/bin/true\ndepends_on=dbb\n[program:db]\ncommand=/bin/true\n");
        assertTrue(e.getMessage().contains("[program:web] depends_on: depends on dbb, which is not a program"),
                e.getMessage());
        assertEquals(4, e.line()); // after the [supervisord] line load() puts first
    }

    @Test
    void aCycleIsNamed() {
        ConfigException e = error("""
                [program:a]
                command=/bin/true
                depends_on=b
                [program:b]
                command=/bin/true
                depends_on=c:started
                [program:c]
                command=/bin/true
                depends_on=d, a:completed_successfully
                [program:d]
                command=/bin/true
                """);
        assertTrue(e.getMessage().contains("depends_on: dependency cycle: a -> b -> c -> a"), e.getMessage());
        e = error("[program:self]\ncommand=/bin/true\ndepends_on=self\n");
        assertTrue(e.getMessage().contains("[program:self] depends_on: dependency cycle: self -> self"),
                e.getMessage());
    }

    @Test
    void badEntries() {
        ConfigException e = error("[program:a]\ncommand=/bin/true\ndepends_on=b:healthz\n[program:b]\ncommand=/bin/true\n");
        assertTrue(e.getMessage().contains("[program:a] depends_on: unknown condition 'healthz' (one of started, "
                + "running, completed_successfully, healthy)"), e.getMessage());
        // healthy needs a readiness probe on the dependency (ProbeConfigTest has the accepted case)
        e = error("[program:a]\ncommand=/bin/true\ndepends_on=b:healthy\n[program:b]\ncommand=/bin/true\n");
        assertTrue(e.getMessage().contains("[program:a] depends_on: depends on b being healthy, but b has no readiness"
                + " probe"), e.getMessage());
        e = error("[program:a]\ncommand=/bin/true\ndepends_on=b,b:started\n[program:b]\ncommand=/bin/true\n");
        assertTrue(e.getMessage().contains("program b is named twice"), e.getMessage());
        e = error("[program:a]\ncommand=/bin/true\ndepends_on=b,\n[program:b]\ncommand=/bin/true\n");
        assertTrue(e.getMessage().contains("names no program"), e.getMessage());
        e = error("[program:a]\ncommand=/bin/true\ndepends_on=b/c\n");
        assertTrue(e.getMessage().contains("Invalid name"), e.getMessage());
    }
}
