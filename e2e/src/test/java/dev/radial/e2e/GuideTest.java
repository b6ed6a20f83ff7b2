package dev.radial.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.testing.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/guide.md runs as written: its {@code sh runnable} blocks, in order, in one bash from the repository's top
 * (this run's image tag; the wheel and containers it starts are removed at the end whatever happens). Every
 * other {@code sh} block names, on its first line, the tests that cover it, and those test classes exist; every
 * {@code dockerfile} block names the file it is taken from, and each of its lines is in that file.
 */
class GuideTest {
    static final Path GUIDE = Images.TOP.resolve("docs/guide.md");
    static final Pattern BLOCK = Pattern.compile("(?m)^```([a-z]+)( runnable)?\\n(.*?)^```\\n", Pattern.DOTALL);

    record Block(String lang, boolean runnable, String body) {
    }

    static List<Block> blocks() throws Exception {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(Files.readString(GUIDE));
        while (m.find()) {
            out.add(new Block(m.group(1), m.group(2) != null, m.group(3)));
        }
        return out;
    }

    @Test
    void blocksThatCannotRunNameTheirTestsAndDockerfilesMatchTheExamples() throws Exception {
        List<Block> blocks = blocks();
        assertTrue(blocks.stream().filter(Block::runnable).count() >= 8, "runnable blocks found: " + blocks);
        for (Block b : blocks) {
            if (b.lang().equals("sh") && !b.runnable()) {
                Matcher c = Pattern.compile("^# covered by (.*)").matcher(b.body());
                assertTrue(c.find(), "an sh block that is not runnable must say which tests cover it:\n" + b.body());
                Matcher names = Pattern.compile("\\b([A-Z][A-Za-z]+Test)\\b").matcher(b.body());
                int n = 0;
                while (names.find()) {
                    n++;
                    assertTrue(testClassExists(names.group(1)), "no test class " + names.group(1) + ":\n" + b.body());
                }
                assertTrue(n > 0, "names no test class:\n" + b.body());
            } else if (b.lang().equals("dockerfile") || b.lang().equals("ini")) {
                // an excerpt of a tested file: its first line names the file, each other line is in it
                String first = b.body().lines().findFirst().orElseThrow();
                Path file = Images.TOP.resolve(first.replaceFirst("^[#;] ", ""));
                assertTrue(Files.isRegularFile(file), "the first line names the file: " + first);
                List<String> lines = Files.readAllLines(file);
                b.body().lines().skip(1).forEach(l -> assertTrue(lines.contains(l), file + " has no line: " + l));
            } else {
                assertTrue(b.lang().equals("sh"), "unexpected block " + b.lang());
            }
        }
    }

    static boolean testClassExists(String name) throws Exception {
        try (var s = Files.walk(Images.TOP, 12)) {
            return s.anyMatch(p -> p.getFileName().toString().equals(name + ".java") && p.toString().contains("src/test"));
        }
    }

    @Test
    void theRunnableBlocksRunAsWritten() throws Exception {
        Images.ensureAppsBuilt();
        StringBuilder script = new StringBuilder("set -euo pipefail\n"
                // whatever happens: the example wheel and the containers the guide started go away
                + "trap 'rc=$?; set +e; [ -n \"${c:-}\" ] && docker rm -f \"$c\" >/dev/null 2>&1; "
                + "[ -n \"${s:-}\" ] && docker rm -f \"$s\" >/dev/null 2>&1; docker rmi -f \"static-web:$$\" >/dev/null 2>&1; "
                + "[ -n \"${demo:-}\" ] && [ -f \"$demo/docker-compose.yml\" ] && docker-compose -f \"$demo/docker-compose.yml\" "
                + "down -v -t 5 >/dev/null 2>&1; [ -n \"${demo:-}\" ] && rm -rf \"$demo\"; exit $rc' EXIT\n");
        int i = 0;
        for (Block b : blocks()) {
            if (b.runnable()) {
                script.append("echo '### guide block ").append(++i).append("' >&2\n").append(b.body());
            }
        }
        Reference.Run r = Reference.run(List.of("timeout", "600", "bash", "-c", script.toString()),
                Map.of("RADIAL_IMAGE_TAG", Images.RUN, "GIT_CONFIG_NOSYSTEM", "1", "GIT_AUTHOR_NAME", "guide",
                        "GIT_AUTHOR_EMAIL", "guide@localhost", "GIT_COMMITTER_NAME", "guide",
                        "GIT_COMMITTER_EMAIL", "guide@localhost"), Images.TOP, 700);
        assertEquals(0, r.exit(), "the guide's blocks failed:\n" + r.stdout() + "\n" + r.stderr());
        assertTrue(r.stdout().contains("Hello from the app wheel (served by web-1)"), r.stdout());
        assertTrue(r.stdout().contains("resize-42 by queue-worker_"), r.stdout());
        assertTrue(r.stdout().matches("(?s).*jobs done: [1-9].*"), r.stdout());
        assertTrue(r.stdout().contains("Hello from one container"), r.stdout());
        assertTrue(r.stdout().matches("(?s).*web: web:nginx +RUNNING.*"), r.stdout());
    }
}
