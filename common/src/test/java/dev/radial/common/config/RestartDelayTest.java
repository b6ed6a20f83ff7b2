package dev.radial.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The crash-loop brake: the pure next-delay function and its three keys as the parser reads them. */
class RestartDelayTest {
    private static Duration ms(long m) {
        return Duration.ofMillis(m);
    }

    @Test
    void aLoopDoublesFromTheInitialDelayUpToTheCap() {
        RestartDelay d = RestartDelay.DEFAULT;
        List<Long> waits = new ArrayList<>();
        Duration wait = Duration.ZERO;
        for (int i = 0; i < 10; i++) {
            wait = d.next(wait, ms(1)); // each run lasts 1 ms: a crash loop
            waits.add(wait.toMillis());
        }
        assertEquals(List.of(10L, 20L, 40L, 80L, 160L, 320L, 640L, 1000L, 1000L, 1000L), waits);
    }

    @Test
    void aRunOfResetLengthForgetsTheLoop() {
        RestartDelay d = RestartDelay.DEFAULT;
        assertEquals(Duration.ZERO, d.next(ms(1000), Duration.ofSeconds(10)));
        assertEquals(Duration.ZERO, d.next(Duration.ZERO, Duration.ofHours(3)));
        // just under the reset still counts as quick
        assertEquals(ms(1000), d.next(ms(1000), ms(9_999)));
    }

    @Test
    void zeroInitialDelayTurnsTheBrakeOff() {
        RestartDelay off = new RestartDelay(Duration.ZERO, ms(1000), Duration.ofSeconds(10));
        assertEquals(Duration.ZERO, off.next(Duration.ZERO, ms(1)));
        assertEquals(Duration.ZERO, off.next(ms(500), ms(1)));
    }

    @Test
    void theCapHoldsForAnyPreviousWait() {
        RestartDelay d = new RestartDelay(ms(300), ms(700), Duration.ofSeconds(1));
        assertEquals(ms(300), d.next(Duration.ZERO, ms(1)));
        assertEquals(ms(600), d.next(ms(300), ms(1)));
        assertEquals(ms(700), d.next(ms(600), ms(1)));
        assertEquals(ms(700), d.next(Duration.ofDays(1), ms(1)));
        // a previous wait below the initial one (the keys were lowered by an update) restarts at initial
        assertEquals(ms(300), d.next(ms(1), ms(1)));
    }

    @ParameterizedTest
    @CsvSource({"1,1000000", "0.05,50000", ".5,500000", "2.,2000000", "0,0", " 0.0000015 ,2", "86400,86400000000"})
    void secondsAreDecimalNumbers(String text, long micros) {
        assertEquals(Duration.ofNanos(micros * 1000), RestartDelay.seconds(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"-1|not a number of seconds", "1e3|not a number of seconds",
        "abc|not a number of seconds", ".|not a number of seconds", "''|not a number of seconds",
        "1ms|not a number of seconds", "86400.5|more than a day", "NaN|not a number of seconds"})
    void badSecondsSayWhatIsWrong(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RestartDelay.seconds(text));
        assertTrue(e.getMessage().contains(message) && e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    private static SupervisorConfig load(Path dir, String program) throws Exception {
        Path conf = dir.resolve("supervisord.conf");
        Files.writeString(conf, "[supervisord]\nlogfile=" + dir.resolve("s.log") + "\n[program:a]\ncommand=/bin/true\n"
                + program);
        return ConfigLoader.create().environment(Map.of()).load(conf);
    }

    private static RestartDelay delayOf(SupervisorConfig c) {
        return c.groups().get(0).processes().get(0).restartDelay();
    }

    @Test
    void absentKeysGiveTheDocumentedDefaults(@TempDir Path dir) throws Exception {
        assertEquals(RestartDelay.DEFAULT, delayOf(load(dir, "")));
        assertEquals(new RestartDelay(ms(10), ms(1000), Duration.ofSeconds(10)), RestartDelay.DEFAULT);
    }

    @Test
    void theKeysAreRead(@TempDir Path dir) throws Exception {
        RestartDelay d = delayOf(load(dir, "restart_delay = 0.25\nrestart_delay_max=30\nRESTART_DELAY_RESET=120\n"));
        assertEquals(new RestartDelay(ms(250), Duration.ofSeconds(30), Duration.ofSeconds(120)), d);
    }

    @Test
    void theKeysComeFromDefaultSectionAndExpansions(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("supervisord.conf");
        Files.writeString(conf, "[DEFAULT]\nrestart_delay_max=2\n[supervisord]\nlogfile=" + dir.resolve("s.log")
                + "\n[program:a]\ncommand=/bin/true\nrestart_delay=%(ENV_QUICK)s\n");
        SupervisorConfig c = ConfigLoader.create().environment(Map.of("QUICK", "0.5")).load(conf);
        assertEquals(new RestartDelay(ms(500), ms(2000), Duration.ofSeconds(10)), delayOf(c));
    }

    @Test
    void aBadValueNamesFileLineSectionAndKey(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(dir, "startsecs=0\nrestart_delay=fast\n"));
        assertEquals("program:a", e.section());
        assertEquals("restart_delay", e.key());
        assertEquals(6, e.line());
        assertTrue(e.getMessage().contains("'fast' is not a number of seconds"), e.getMessage());
    }

    @Test
    void aCapBelowTheInitialDelayIsRejected(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(dir, "restart_delay=5\nrestart_delay_max=2\n"));
        assertEquals("restart_delay_max", e.key());
        assertTrue(e.getMessage().contains("restart_delay_max (2) must not be less than restart_delay (5)"),
                e.getMessage());
        // without restart_delay_max the default cap (1 s) is what the initial delay exceeds
        ConfigException e2 = assertThrows(ConfigException.class, () -> load(dir, "restart_delay=5\n"));
        assertEquals("restart_delay", e2.key());
        assertTrue(e2.getMessage().contains("restart_delay_max (1) must not be less than restart_delay (5)"),
                e2.getMessage());
    }

    @Test
    void theRecordRefusesValuesThePolicyCannotUse() {
        assertThrows(IllegalArgumentException.class, () -> new RestartDelay(ms(-1), ms(1), ms(1)));
        assertThrows(IllegalArgumentException.class, () -> new RestartDelay(ms(2), ms(1), ms(1)));
        assertThrows(IllegalArgumentException.class, () -> new RestartDelay(ms(1), Duration.ofDays(2), ms(1)));
    }
}
