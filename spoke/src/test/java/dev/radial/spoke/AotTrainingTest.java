package dev.radial.spoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.testing.LauncherLayout;
import dev.radial.common.testing.LauncherLayout.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spoke's ahead-of-time cache as bin/_launch and the spoke image make it: the training run is a real daemon
 * run that succeeds quietly and leaves no process or file behind, the cache it yields holds the spoke's classes
 * and is used by a later run, and bin/_launch makes it on first use, starts the spoke on it and remakes it when a
 * jar changes (the JVM itself does not notice changed jars).
 */
class AotTrainingTest {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /** bin/_launch's daemon flags (the cache is only used by a JVM with the same GC and class path). */
    private static final List<String> SPOKE_FLAGS = List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx128m", "-Xss512k",
            "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "--enable-native-access=ALL-UNNAMED");

    /**
     * The training on its own, in a JVM of its own (it installs the daemon's signal handlers): exit 0, nothing
     * printed, its temporary directory gone, and no process it started still alive (found by a marker in the
     * environment every child inherits).
     */
    @Test
    void trainingRunsARealDaemonAndLeavesNothingBehind(@TempDir Path dir) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        String marker = "RADIAL_AOT_TRAINING_TEST=" + UUID.randomUUID();
        Result train = java(dir, LauncherLayout.classPathOfJars(dir.resolve("spoke.jar")),
                List.of("-Djava.io.tmpdir=" + tmp), Map.of(marker.split("=")[0], marker.split("=")[1]),
                AotTraining.FLAG);
        assertEquals(0, train.code(), train.output());
        assertEquals("", train.output(), "the training prints nothing");
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "temporary directory removed");
        }
        assertEquals(List.of(), withMarker(marker), "no process of the training left");
    }

    @Test
    void cacheHoldsTheSpokesClasses(@TempDir Path dir) throws Exception {
        String cp = LauncherLayout.classPathOfJars(dir.resolve("spoke.jar"));
        Path cache = dir.resolve("spoke.aot");
        Result train = java(dir, cp, List.of("-XX:AOTCacheOutput=" + cache), Map.of(), AotTraining.FLAG);
        assertEquals(0, train.code(), train.output());
        assertTrue(Files.size(cache) > 0, train.output());

        // AOTMode=on: fail rather than run without the cache; class+load says where each class came from
        Result run = java(dir, cp, List.of("-XX:AOTMode=on", "-XX:AOTCache=" + cache, "-Xlog:class+load"), Map.of(),
                AotTraining.FLAG);
        assertEquals(0, run.code(), run.output());
        for (String c : List.of("dev.radial.spoke.engine.Engine", "dev.radial.spoke.http.HttpServer",
                "dev.radial.spoke.rpc.SupervisorRpc", "dev.radial.spoke.os.Spawner")) {
            assertTrue(run.output().lines().anyMatch(l -> l.contains(" " + c + " source: shared objects file")),
                    c + " from the cache:\n" + run.output());
        }
        // every class of ours from the cache, but the hidden ones (a name with /0x) spun at run time
        assertEquals(List.of(), run.output().lines().filter(l -> l.contains(" dev.radial.") && l.contains(" source: ")
                && !l.contains("/0x") && !l.contains(" source: shared objects file")).toList(), "ours from the cache");
        // the rest are spun at run time (FFM's downcall stubs, their lambda forms, the type switches of pattern
        // matching: about 300, which JDK 25's cache does not keep) and a few JDK event classes
        long all = run.output().lines().filter(l -> l.contains(" source: ")).count();
        long cached = run.output().lines().filter(l -> l.contains(" source: shared objects file")).count();
        assertTrue(cached > all * 8 / 10, cached + " of " + all + " classes from the cache");
    }

    /**
     * bin/_launch in a copy of the repository's layout (no sources, so it builds nothing): the first run makes
     * the cache and its stamp and starts the daemon on it (mapped, so the JVM took it), the next reuses it, and a
     * jar that changed, even to an older time, makes it remake the cache.
     */
    @Test
    void launcherMakesUsesAndRemakesTheCache(@TempDir Path top) throws Exception {
        Path target = LauncherLayout.copy(top, "spoke");
        Path cache = target.resolve("spoke.aot");
        Path stamp = target.resolve("spoke.aot.stamp");
        Path conf = top.resolve("supervisord.conf");
        Files.writeString(conf, """
                [supervisord]
                logfile=%(here)s/supervisord.log
                pidfile=%(here)s/supervisord.pid
                [unix_http_server]
                file=%(here)s/supervisor.sock
                """);

        Result first = launch(top, "-v");
        assertEquals(0, first.code(), first.output());
        assertTrue(Files.size(cache) > 0 && Files.exists(stamp), first.output());
        assertTrue(Files.readString(stamp).lines().findFirst().orElseThrow().endsWith(" --enable-native-access=ALL-UNNAMED"),
                "the stamp's flags are the training's: " + Files.readString(stamp));
        Object made = Files.readAttributes(cache, "unix:ino").get("ino");

        // the daemon itself: started on the cache, and the JVM mapped it (a refused cache is silent)
        Process daemon = new ProcessBuilder("bash", top.resolve("bin/_launch").toString(), "spoke",
                SpokeMain.class.getName(), "-c", conf.toString()).directory(top.toFile()).redirectErrorStream(true)
                .redirectOutput(top.resolve("daemon.out").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // answering: its signal handlers are installed (the socket alone exists before they are)
            while (!answers(top.resolve("supervisor.sock"))) {
                assertTrue(daemon.isAlive() && System.nanoTime() < deadline, Files.readString(top.resolve("daemon.out")));
                Thread.sleep(20);
            }
            Path proc = Path.of("/proc", Long.toString(daemon.pid()));
            assertTrue(Files.readString(proc.resolve("cmdline")).contains("-XX:AOTCache=" + cache),
                    "started with the cache");
            assertTrue(Files.readString(proc.resolve("maps")).contains(cache.toString()), "the JVM mapped the cache");
        } finally {
            daemon.destroy();
            if (!daemon.waitFor(60, TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor();
            }
        }
        assertEquals(0, daemon.exitValue(), Files.readString(top.resolve("daemon.out")));

        Result second = launch(top, "-v");
        assertEquals(0, second.code(), second.output());
        assertEquals(made, Files.readAttributes(cache, "unix:ino").get("ino"), "an unchanged jar keeps the cache");

        String before = Files.readString(stamp);
        Path jar = target.resolve("radial-spoke-0.1.0-SNAPSHOT.jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 86_400_000L));
        Result third = launch(top, "-v");
        assertEquals(0, third.code(), third.output());
        assertNotEquals(before, Files.readString(stamp), "the stamp follows the jar");
        assertNotEquals(made, Files.readAttributes(cache, "unix:ino").get("ino"), "a changed jar remakes the cache");
        try (Stream<Path> left = Files.list(target)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().matches("spoke\\.aot\\..*[0-9]+.*"))
                    .toList(), "no temporary files left");
        }
    }

    /**
     * A stale cache (its jar changed) in a target/ the user running bin/spoke cannot write: the launcher could not
     * remove it, and under set -e that ended bin/spoke before the daemon started ("rm: cannot remove ...
     * Permission denied", exit 1). It must start the program without the cache. Run as nobody (setpriv) when the
     * tests run as root, who may write anywhere.
     */
    @Test
    void launcherRunsWithoutAStaleCacheItCannotRemove(@TempDir Path top) throws Exception {
        Path target = LauncherLayout.copy(top, "spoke");
        Result first = launch(top, "-v");
        assertEquals(0, first.code(), first.output());
        Path jar = target.resolve("radial-spoke-0.1.0-SNAPSHOT.jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 86_400_000L));
        List<String> cmd = new ArrayList<>();
        if (new com.sun.security.auth.module.UnixSystem().getUid() == 0) {
            cmd.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        cmd.addAll(List.of("bash", top.resolve("bin/_launch").toString(), "spoke", SpokeMain.class.getName(), "-v"));
        for (Path p = top; p.getParent() != null; p = p.getParent()) {
            p.toFile().setExecutable(true, false); // the temporary directories are the test user's alone
            p.toFile().setReadable(true, false);
        }
        target.toFile().setWritable(false, false);
        try {
            Result stale = run(top, cmd, Map.of("HOME", top.toString()));
            assertEquals(0, stale.code(), stale.output());
            assertTrue(stale.output().contains("4.2.5"), stale.output());
            assertTrue(Files.exists(target.resolve("spoke.aot")), "the cache could not be removed");
        } finally {
            target.toFile().setWritable(true, true);
        }
    }

    /**
     * The disk fills up during the first start's training: on a 30 MiB tmpfs the training's class list (19 MiB)
     * fits and the cache (21 MiB) does not, and then JDK 25's training JVM exits 0 although the JVM it starts to
     * assemble the cache failed and made none. The launcher had written the stamp of a cache that was not there;
     * it must start the spoke without a cache and leave neither a stamp nor a temporary file. The tmpfs is
     * mounted over target/ in a mount namespace of the test's own (unshare -m: the mount ends with the command),
     * which needs root: the tests run as root in CI, and without root or a mount namespace this fails saying so.
     */
    @Test
    void launcherRunsWithoutACacheWhenTheDiskFillsDuringTraining(@TempDir Path top) throws Exception {
        assertEquals(0, new com.sun.security.auth.module.UnixSystem().getUid(),
                "mounting a tmpfs needs root: run the tests as root, as .ci/run does");
        Path target = LauncherLayout.copy(top, "spoke");
        Path saved = top.resolve("spoke/target.saved");
        Path listing = top.resolve("listing");
        // first the case itself, by the JVM alone: the training exits 0 and leaves no cache (if a JDK ever makes
        // the class list or the cache smaller, 30 MiB no longer reproduces it and this says so)
        String script = """
                set -u
                cp -a "$TARGET" "$SAVED" && mount -t tmpfs -o size=30m tmpfs "$TARGET" && cp -a "$SAVED/." "$TARGET/" \
                  || exit 99
                "$JAVA" -XX:+UseSerialGC -Xms8m -Xmx128m --enable-native-access=ALL-UNNAMED \
                  -XX:AOTCacheOutput="$TARGET/probe.aot" -Xlog:aot=off -Xlog:cds=off \
                  -cp "$TARGET/radial-spoke-0.1.0-SNAPSHOT.jar:$TARGET/lib/*" "$MAIN" --aot-training >/dev/null 2>&1
                echo "training alone: exit $?, cache $(ls "$TARGET"/probe.aot 2>/dev/null || echo none)"
                rm -f "$TARGET"/probe.aot*
                bash "$TOP/bin/_launch" spoke "$MAIN" -v
                rc=$?
                ls -A "$TARGET" > "$LISTING"
                df -k "$TARGET" >> "$LISTING"
                exit $rc
                """;
        Result ns = run(top, List.of("unshare", "-m", "true"), Map.of());
        assertEquals(0, ns.code(), "no mount namespace here (unshare -m needs CAP_SYS_ADMIN): " + ns.output());
        Result r = run(top, List.of("unshare", "-m", "bash", "-c", script), Map.of("TARGET", target.toString(),
                "SAVED", saved.toString(), "TOP", top.toString(), "MAIN", SpokeMain.class.getName(),
                "LISTING", listing.toString(), "JAVA", JAVA));
        assertNotEquals(99, r.code(), "no tmpfs mount here: " + r.output());
        assertTrue(r.output().contains("training alone: exit 0, cache none"), "the full disk case: " + r.output());
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("4.2.5"), "the spoke ran: " + r.output());
        String left = Files.readString(listing);
        assertFalse(left.lines().anyMatch(l -> l.startsWith("spoke.aot")), "no cache, stamp or temporary file: " + left);
    }

    /** With RADIAL_JAVA_OPTS the cache is not used, so no training (5-20 s) makes one; the program still runs. */
    @Test
    void launcherMakesNoCacheForRunsThatReplaceTheFlags(@TempDir Path top) throws Exception {
        Path target = LauncherLayout.copy(top, "spoke");
        List<String> cmd = List.of("bash", top.resolve("bin/_launch").toString(), "spoke", SpokeMain.class.getName(),
                "-v");
        Result r = run(top, cmd, Map.of("RADIAL_JAVA_OPTS", "-Xmx64m"));
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("4.2.5"), r.output());
        assertFalse(Files.exists(target.resolve("spoke.aot")), "no cache made for a run that would not use it");
        assertFalse(Files.exists(target.resolve("spoke.aot.stamp")));
    }

    private static boolean answers(Path sock) {
        try {
            return AotTraining.call(sock, "supervisor.getState").contains("RUNNING");
        } catch (IOException e) {
            return false;
        }
    }

    private static Result launch(Path top, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", top.resolve("bin/_launch").toString(), "spoke",
                SpokeMain.class.getName()));
        cmd.addAll(List.of(args));
        return run(top, cmd, Map.of());
    }

    /** The pids of live processes whose environment holds {@code marker} (zombies have none: they are gone). */
    private static List<Long> withMarker(String marker) throws IOException {
        List<Long> found = new ArrayList<>();
        byte[] want = ("\0" + marker + "\0").getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                try {
                    byte[] env = Files.readAllBytes(p.resolve("environ"));
                    byte[] padded = new byte[env.length + 1];
                    System.arraycopy(env, 0, padded, 1, env.length);
                    if (new String(padded, StandardCharsets.ISO_8859_1).contains(new String(want,
                            StandardCharsets.ISO_8859_1))) {
                        found.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // gone meanwhile, or not ours to read
                }
            }
        }
        return found;
    }

    private static Result java(Path dir, String cp, List<String> flags, Map<String, String> env, String... args)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(JAVA));
        cmd.addAll(SPOKE_FLAGS);
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", cp, SpokeMain.class.getName()));
        cmd.addAll(List.of(args));
        return run(dir, cmd, env);
    }

    private static Result run(Path dir, List<String> cmd, Map<String, String> env) throws Exception {
        return LauncherLayout.run(dir, cmd, env, Duration.ofSeconds(180));
    }
}
