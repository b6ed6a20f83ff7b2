package dev.radial.hub.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.hub.git.SourceTree;
import dev.radial.hub.source.Credentials;
import dev.radial.hub.source.Source;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A publish stopped dead at each of its steps (as kill -9 would stop it: no catch, no cleanup) leaves /config
 * serving one whole revision once a new publisher (a restarted hub) has checked it: the old one if the switch
 * had not happened, the new one if it had.
 */
class PublisherCrashTest {
    /** Not caught by the publisher: it stops the publish where it is. */
    static final class Killed extends Error {
        Killed(Publisher.Step step) {
            super("killed at " + step);
        }
    }

    static final String CONF = "[supervisord]\n[include]\nfiles=%(ENV_RADIAL_CONFIG_ROOT)s/supervisor/conf.d/*.ini\n";

    static Map<String, Composer.Placed> revision(String tag, List<String> names) {
        Map<String, String> files = new TreeMap<>();
        files.put("supervisor/supervisord.conf", CONF);
        files.put("supervisor/conf.d/x.ini", "[program:x]\ncommand=/bin/true\n; " + tag + "\n");
        for (String n : names) {
            files.put(n + "/v", tag + "\n");
        }
        Map<String, SourceTree.FileEntry> entries = new TreeMap<>();
        files.forEach((k, v) -> {
            byte[] b = v.getBytes(StandardCharsets.UTF_8);
            entries.put(k, new SourceTree.FileEntry(Integer.toHexString(v.hashCode()), b.length, false, null,
                    () -> new ByteArrayInputStream(b)));
        });
        SourceTree t = new SourceTree(new Source("wheel", "/nowhere", "config", Credentials.NONE), tag, entries);
        Map<String, Composer.Placed> out = new LinkedHashMap<>();
        entries.forEach((k, e) -> out.put(k, new Composer.Placed(e, t)));
        return out;
    }

    @Test
    void aPublishKilledAtAnyStepIsRepairedByTheNextHub(@TempDir Path tmp) throws Exception {
        for (Publisher.Step step : Publisher.Step.values()) {
            Path root = tmp.resolve(step.name());
            Files.createDirectories(root);
            Map<String, String> env = Map.of("RADIAL_CONFIG_ROOT", root.toString());
            Publisher first = new Publisher(root, Permissions.fromEnvironment(Map.of()), env);
            assertTrue(first.publish("old", revision("old", List.of("a", "b"))));
            first.hook = s -> {
                if (s == step) {
                    throw new Killed(s);
                }
            };
            assertThrows(Killed.class, () -> first.publish("new", revision("new", List.of("b", "c"))));

            Publisher restarted = new Publisher(root, Permissions.fromEnvironment(Map.of()), env);
            ConfigHealth h = restarted.check();
            assertTrue(h.ok(), step + ": " + h);
            boolean switched = step.compareTo(Publisher.Step.SWITCHED) >= 0;
            String tag = switched ? "new" : "old";
            assertEquals(tag, h.revision(), step.name());
            for (String n : switched ? List.of("b", "c") : List.of("a", "b")) {
                assertEquals(tag + "\n", Files.readString(root.resolve(n + "/v")), step + " " + n);
            }
            assertTrue(!Files.exists(root.resolve(switched ? "a" : "c"), java.nio.file.LinkOption.NOFOLLOW_LINKS),
                    step + ": no link to a name the served revision lacks");
            // and the interrupted revision publishes (or is already served)
            assertEquals(!switched, restarted.publish("new", revision("new", List.of("b", "c"))), step.name());
            assertEquals("new\n", Files.readString(root.resolve("c/v")));
            assertTrue(restarted.check().ok());
        }
    }
}
