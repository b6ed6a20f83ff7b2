package dev.radial.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ConfigLoader#confineTo}: a load that reads nothing outside one directory, as the hub validates. */
class ConfinedLoadTest {
    static final String SECRET = "SECRET-0815";

    static Path tree(Path root) throws Exception {
        Path rev = root.resolve("rev");
        Files.createDirectories(rev.resolve("supervisor/conf.d"));
        Files.createDirectories(rev.resolve("shared"));
        Files.writeString(rev.resolve("supervisor/supervisord.conf"),
                "[supervisord]\n[include]\nfiles=/config/supervisor/conf.d/*.ini\n");
        Files.writeString(rev.resolve("shared/a.ini"), "[program:a]\ncommand=/bin/true\n");
        Files.createDirectories(root.resolve("outside"));
        Files.writeString(root.resolve("outside/secret.ini"), "root:" + SECRET + "\n");
        return rev;
    }

    static ConfigLoader loader(Path rev) {
        return ConfigLoader.create().environment(Map.of()).rebase(Path.of("/config"), rev).confineTo(rev)
                .checkPaths(false);
    }

    @Test
    void linksInsideResolveAgainstTheRoot(@TempDir Path root) throws Exception {
        Path rev = tree(root);
        Files.createSymbolicLink(rev.resolve("supervisor/conf.d/rel.ini"), Path.of("../../shared/a.ini"));
        Files.createSymbolicLink(rev.resolve("shared/b.ini"), Path.of("a.ini"));
        Files.createSymbolicLink(rev.resolve("supervisor/conf.d/abs.ini"), Path.of("/config/shared/b.ini"));
        Files.writeString(rev.resolve("shared/a.ini"), "[program:a]\ncommand=/bin/true\n");
        SupervisorConfig c = loader(rev).load(rev.resolve("supervisor/supervisord.conf"));
        assertEquals(2, c.includedFiles().size(), c.includedFiles().toString());
        assertTrue(c.includedFiles().get(0).toString().endsWith("supervisor/conf.d/abs.ini"), "logical names kept");
    }

    @Test
    void everyWayOutIsRefusedWithoutReading(@TempDir Path root) throws Exception {
        Path rev = tree(root);
        Path link = rev.resolve("supervisor/conf.d/x.ini");
        for (String target : new String[] {root.resolve("outside/secret.ini").toString(), "../../../outside/secret.ini",
            "../../shared/../../outside/secret.ini"}) {
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, Path.of(target));
            ConfigException e = assertThrows(ConfigException.class,
                    () -> loader(rev).load(rev.resolve("supervisor/supervisord.conf")), target);
            assertTrue(e.getMessage().contains("outside the configuration"), e.getMessage());
            assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        }
        // a directory link walked through, and a loop
        Files.delete(link);
        Files.createSymbolicLink(rev.resolve("shared/out"), root.resolve("outside"));
        Files.createSymbolicLink(link, Path.of("../../shared/out/secret.ini"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader(rev).load(rev.resolve("supervisor/supervisord.conf")));
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        Files.delete(link);
        Files.createSymbolicLink(link, Path.of("x.ini"));
        e = assertThrows(ConfigException.class, () -> loader(rev).load(rev.resolve("supervisor/supervisord.conf")));
        assertTrue(e.getMessage().contains("too many levels"), e.getMessage());
        // the same tree without confinement reads the secret (what the hub did before)
        Files.delete(link);
        Files.createSymbolicLink(link, root.resolve("outside/secret.ini"));
        e = assertThrows(ConfigException.class, () -> ConfigLoader.create().rebase(Path.of("/config"), rev)
                .checkPaths(false).load(rev.resolve("supervisor/supervisord.conf")));
        assertTrue(e.getMessage().contains(SECRET), "unconfined loads follow links: " + e.getMessage());
    }

    @Test
    void anIncludeOutsideIsRefused(@TempDir Path root) throws Exception {
        Path rev = tree(root);
        Files.writeString(rev.resolve("supervisor/supervisord.conf"), "[supervisord]\n[include]\nfiles=" + root
                + "/outside/*.ini\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader(rev).load(rev.resolve("supervisor/supervisord.conf")));
        assertTrue(e.getMessage().contains("[include] files") && e.getMessage().contains("outside the configuration"),
                e.getMessage());
        assertEquals(3, e.line());
    }
}
