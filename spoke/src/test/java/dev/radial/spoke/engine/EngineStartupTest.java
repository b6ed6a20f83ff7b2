package dev.radial.spoke.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.config.ConfigLoader;
import dev.radial.common.config.SupervisorConfig;
import dev.radial.spoke.logging.MainLog;
import dev.radial.spoke.process.ProcessGroup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP servers listen before the engine starts (as supervisord's do before its first loop), so calls can be
 * queued before the start-up: they must find the configured groups. A catch-up scan of the hub that found a fresh
 * socket saw no groups in reloadConfig, added "web" and got ALREADY_ADDED. A TERM in that window must still leave
 * nothing running when the engine is done.
 */
class EngineStartupTest {
    private static SupervisorConfig config(Path dir) throws Exception {
        Path conf = dir.resolve("supervisord.conf");
        Files.writeString(conf, "[supervisord]\nlogfile=" + dir.resolve("supervisord.log") + "\nchildlogdir=" + dir
                + "\n[group:web]\nprograms=app\n[program:app]\ncommand=/bin/sleep 1032\nstartsecs=0\n"
                + "stdout_logfile=NONE\nstderr_logfile=NONE\n");
        return ConfigLoader.create().environment(Map.of("PATH", "/usr/bin:/bin")).load(conf);
    }

    private static Engine engine(Path dir, ByteArrayOutputStream logBytes) throws Exception {
        MainLog log = new MainLog(null, 0, 0, "info", new PrintStream(logBytes, true, StandardCharsets.UTF_8));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new Engine(config(dir), log, Map.of("PATH", "/usr/bin:/bin"), quiet, quiet);
    }

    @Test
    void aCallQueuedBeforeTheStartFindsTheConfiguredGroups(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        Engine engine = engine(dir, logBytes);
        CompletableFuture<List<String>> early = engine.submit(() -> new ArrayList<>(engine.groups().keySet()));
        engine.start();
        try {
            assertEquals(List.of("web"), early.get(30, TimeUnit.SECONDS), "the groups a call queued early sees");
        } finally {
            engine.shutdown();
            assertEquals(false, engine.done().get(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void aShutdownQueuedBeforeTheStartStopsWhatTheStartUpStarted(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        Engine engine = engine(dir, logBytes);
        engine.shutdown();
        engine.start();
        assertEquals(false, engine.done().get(60, TimeUnit.SECONDS), "the engine finished its shutdown");
        String log = logBytes.toString(StandardCharsets.UTF_8);
        // every process the start-up spawned was stopped before the engine finished: none is left RUNNING
        for (ProcessGroup g : engine.groups().values()) {
            g.sorted().forEach(p -> assertTrue(!p.state().name().equals("RUNNING"), p.name() + " " + p.state()
                    + "; log:\n" + log));
        }
    }
}
