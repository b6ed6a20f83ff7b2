package dev.radial.compat;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.radial.common.testing.Reference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Supervisor's own end-to-end tests (Debian's {@code supervisor/tests/test_end_to_end.py} and its fixtures,
 * run unchanged from the installed package by compat/src/test/python/radial_e2e.py) three times in one run:
 * against supervisord (the baseline), against our spoke with Python's supervisorctl, and against our spoke with
 * our ctl (pidproxy is ours in both spoke runs). Each spoke run must pass every test the baseline passed on the
 * same machine in the same run; the harness retries a failed test once, in every run.
 */
class SupervisorEndToEndSuiteTest {
    /** The suite has 25 tests; the baseline failing more than a few means the machine, not the spoke, is off. */
    private static final int BASELINE_MINIMUM = 20;
    private static final long RUN_TIMEOUT_MINUTES = 20;

    @TempDir
    Path dir;

    @Test
    void spokePassesEveryTestSupervisordPasses() throws Exception {
        Reference.require();
        requirePexpect();
        Path spoke = Tools.launcher(dir, "spoke", "dev.radial.spoke.SpokeMain");
        Path ctl = Tools.launcher(dir, "ctl", "dev.radial.ctl.CtlMain");
        Path pidproxy = Tools.pidproxy();
        Map<String, String> baseline = run("supervisord", List.of());
        TreeSet<String> mustPass = new TreeSet<>();
        baseline.forEach((test, outcome) -> {
            if (outcome.equals("pass")) {
                mustPass.add(test);
            }
        });
        assertTrue(mustPass.size() >= BASELINE_MINIMUM, "supervisord itself passed only " + mustPass.size() + " of "
                + baseline.size() + " end-to-end tests on this machine: " + baseline + "\n" + details("supervisord"));
        List<String> problems = new ArrayList<>();
        List<String> spokeArgs = List.of("--spoke", spoke.toString(), "--pidproxy", pidproxy.toString());
        List<String> ctlArgs = new ArrayList<>(spokeArgs);
        ctlArgs.addAll(List.of("--ctl", ctl.toString()));
        Map<String, List<String>> modes = new java.util.LinkedHashMap<>();
        modes.put("spoke", spokeArgs);
        modes.put("spoke-ctl", ctlArgs);
        for (Map.Entry<String, List<String>> mode : modes.entrySet()) {
            Map<String, String> got = run(mode.getKey(), mode.getValue());
            for (String test : mustPass) {
                if (!"pass".equals(got.get(test))) {
                    problems.add(mode.getKey() + ": " + test + " " + got.get(test));
                }
            }
            if (problems.stream().anyMatch(p -> p.startsWith(mode.getKey() + ":"))) {
                problems.add(details(mode.getKey()));
            }
        }
        if (!problems.isEmpty()) {
            fail("tests supervisord passes (" + mustPass.size() + ") that failed against the spoke:\n"
                    + String.join("\n", problems));
        }
    }

    private static void requirePexpect() throws IOException, InterruptedException {
        Reference.Run r = Reference.run(List.of(Reference.PYTHON.toString(), "-c", "import pexpect"), null, null, 60);
        if (r.exit() != 0) {
            throw new AssertionError("/usr/bin/python3 cannot import pexpect: apt-get install -y python3-pexpect "
                    + "(.ci/run does this)\n" + r.stderr());
        }
    }

    /** One run of the harness; the outcome of each test by name. */
    private Map<String, String> run(String mode, List<String> extra) throws IOException, InterruptedException {
        Path shim = Files.createDirectories(dir.resolve("shim"));
        Path python = shim.resolve("python");
        if (!Files.exists(python)) {
            // the fixtures run "python %(here)s/x.py" (Debian has no "python"): the one that can import supervisor
            Files.createSymbolicLink(python, Reference.PYTHON);
        }
        Path result = dir.resolve(mode + ".tsv");
        List<String> cmd = new ArrayList<>(List.of(Reference.PYTHON.toString(),
                Tools.TOP.resolve("compat/src/test/python/radial_e2e.py").toString(), "--mode", mode,
                "--out", result.toString()));
        cmd.addAll(extra);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(mode + ".log").toFile());
        pb.environment().put("PATH", shim + ":" + pb.environment().getOrDefault("PATH", "/usr/bin:/bin"));
        Process p = pb.start();
        try {
            if (!p.waitFor(RUN_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                fail("the " + mode + " run did not finish in " + RUN_TIMEOUT_MINUTES + " min:\n" + log(mode));
            }
        } finally {
            Tools.destroyTree(p);
        }
        if (p.exitValue() != 0 || !Files.exists(result)) {
            fail("the harness failed in mode " + mode + " (exit " + p.exitValue() + "):\n" + log(mode));
        }
        Map<String, String> outcomes = new TreeMap<>();
        for (String line : Files.readAllLines(result, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t");
            outcomes.put(f[0], f[1]);
        }
        System.out.println("end-to-end suite, " + mode + ": " + outcomes);
        return outcomes;
    }

    private String log(String mode) throws IOException {
        return Files.readString(dir.resolve(mode + ".log"), StandardCharsets.UTF_8);
    }

    private String details(String mode) {
        try {
            return Files.readString(dir.resolve(mode + ".tsv.details"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no details: " + e.getMessage() + ")";
        }
    }
}
