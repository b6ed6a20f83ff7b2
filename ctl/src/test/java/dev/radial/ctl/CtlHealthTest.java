package dev.radial.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.testing.Reference;
import dev.radial.spoke.Daemons;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ctl against a real spoke with health probes: {@code status} adds the verdict only to a probed process (the
 * other lines stay supervisorctl's, compared with the real one), {@code health} is the container's check (its
 * exit codes as the image's HEALTHCHECK sees them), and supervisorctl's help list is unchanged.
 */
class CtlHealthTest {
    private static String uptimeless(String s) {
        return s.replaceAll("uptime \\d+:\\d\\d:\\d\\d", "uptime T");
    }

    @Test
    void statusColumnAndHealthExitCodes(@TempDir Path dir) throws Exception {
        Reference.require();
        Path ready = dir.resolve("probed.ready");
        Path conf = Daemons.config(dir, """
                [program:plain]
                command=/bin/sleep 100000
                startsecs=0
                [program:probed]
                command=/bin/sleep 100000
                startsecs=0
                readiness_command=test -f '%s'
                readiness_period=0.2
                readiness_failure_threshold=1
                [program:idle]
                command=/bin/sleep 100000
                autostart=false
                """.formatted(ready));
        try (Daemons.Running d = Daemons.spoke(conf)) {
            Daemons.await(Duration.ofSeconds(60), () -> {
                try {
                    return Client.CTL.run(conf, "status", "probed").stdout().contains("health: unhealthy");
                } catch (Exception e) {
                    return false;
                }
            }, "probed to be unhealthy");
            // without probes the line is supervisorctl's
            assertEquals(uptimeless(Client.SUPERVISORCTL.run(conf, "status", "plain").stdout()),
                    uptimeless(Client.CTL.run(conf, "status", "plain").stdout()));
            Reference.Run st = Client.CTL.run(conf, "status", "probed");
            assertTrue(st.stdout().matches("probed\\s+RUNNING\\s+pid \\d+, uptime \\d+:\\d\\d:\\d\\d, health: unhealthy\\n"),
                    st.stdout());
            // supervisorctl ignores the extra keys
            Reference.Run real = Client.SUPERVISORCTL.run(conf, "status", "probed");
            assertTrue(real.stdout().matches("probed\\s+RUNNING\\s+pid \\d+, uptime .*\\n"), real.stdout());

            Reference.Run h = Client.CTL.run(conf, "health", "probed");
            assertEquals(1, h.exit(), h.stdout());
            assertTrue(h.stdout().matches("probed\\s+unhealthy\\s+readiness unhealthy \\(exit status 1, \\d+ failures?\\)\\n"),
                    h.stdout());
            assertEquals(0, Client.CTL.run(conf, "health", "plain").exit());
            Reference.Run idle = Client.CTL.run(conf, "health", "idle");
            assertEquals(1, idle.exit(), "a stopped process is not healthy");
            assertTrue(idle.stdout().matches("idle\\s+down\\s+STOPPED\\n"), idle.stdout());
            Reference.Run none = Client.CTL.run(conf, "health", "nosuch");
            assertEquals(1, none.exit());
            assertEquals("nosuch: ERROR (no such process)\n", none.stdout());

            Files.writeString(ready, "");
            Daemons.await(Duration.ofSeconds(60), () -> {
                try {
                    return Client.CTL.run(conf, "health", "probed").exit() == 0;
                } catch (Exception e) {
                    return false;
                }
            }, "probed to be healthy");
            assertTrue(Client.CTL.run(conf, "status", "probed").stdout().endsWith(", health: healthy\n"));
            assertEquals(1, Client.CTL.run(conf, "health").exit(), "all: idle is stopped");
            Reference.Run json = Client.CTL.run(conf, "--json", "health", "probed");
            assertTrue(json.stdout().contains("\"health\": \"healthy\""), json.stdout());

            // ours, so not in supervisorctl's list; but it has help
            assertEquals(Client.SUPERVISORCTL.run(conf, "help").stdout(), Client.CTL.run(conf, "help").stdout());
            assertTrue(Client.CTL.run(conf, "help", "health").stdout().startsWith("health\t"));
        }
        // a spoke that does not answer is unhealthy: 1, as Docker wants it
        Reference.Run gone = Client.CTL.run(conf, "health");
        assertEquals(1, gone.exit(), gone.stdout() + gone.stderr());
    }
}
