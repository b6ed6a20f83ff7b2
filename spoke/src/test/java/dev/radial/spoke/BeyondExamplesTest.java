package dev.radial.spoke;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.testing.Reference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example config of examples/beyond (the keys beyond supervisord) still loads in the real supervisord
 * 4.2.5, which ignores keys it does not know, and runs every program it names there; and our spoke loads it
 * too.
 */
class BeyondExamplesTest {
    static final Path EXAMPLES = Path.of("..", "examples", "beyond").toAbsolutePath().normalize();

    static Stream<String> examples() throws IOException {
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            List<String> l = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".conf")).sorted()
                    .toList();
            assertFalse(l.isEmpty(), "no example in " + EXAMPLES);
            return l.stream();
        }
    }

    /** The example's directory copied (examples use %(here)s for every path), and its program names. */
    private static Path copy(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            for (Path p : s.toList()) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
        return dir;
    }

    private static List<String> programs(Path conf) throws IOException {
        Matcher m = Pattern.compile("(?m)^\\[program:([^\\]]+)\\]").matcher(Files.readString(conf));
        return m.results().map(r -> r.group(1)).toList();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void loadsInRealSupervisord(String example, @TempDir Path dir) throws Exception {
        Reference.require();
        Path conf = copy(dir).resolve(example);
        List<String> programs = programs(conf);
        assertFalse(programs.isEmpty());
        try (Daemons.Running d = Daemons.supervisord(conf)) {
            Reference.Run status = d.ctl("status");
            for (String p : programs) {
                assertTrue(status.stdout().contains(p), "supervisord does not know " + p + ":\n" + status.stdout());
            }
            assertFalse(status.stdout().contains("ERROR"), status.stdout());
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void loadsInOurSpoke(String example, @TempDir Path dir) throws Exception {
        Path conf = copy(dir).resolve(example);
        try (Daemons.Running d = Daemons.spoke(conf)) {
            Reference.Run status = d.ctl("status");
            for (String p : programs(conf)) {
                assertTrue(status.stdout().contains(p), "the spoke does not know " + p + ":\n" + status.stdout());
            }
        }
    }
}
