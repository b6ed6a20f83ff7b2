package dev.radial.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.radial.common.testing.Reference;
import dev.radial.common.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test: supervisord 4.2.5's own parser (driven by oracle/dump_config.py) and ConfigLoader read
 * the same corpus and must agree on accept/reject and on the effective configuration.
 */
class ConfigOracleTest {
    /** One corpus case: its files (path to content; "@env" holds environment lines). */
    record Case(String name, Map<String, String> files) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Path script;

    @BeforeAll
    static void requireReference(@TempDir Path dir) throws IOException {
        Reference.require();
        script = dir.resolve("dump_config.py");
        try (InputStream in = ConfigOracleTest.class.getResourceAsStream("/oracle/dump_config.py")) {
            Files.copy(in, script);
        }
    }

    static Stream<Case> corpus() throws IOException {
        String text;
        try (InputStream in = ConfigOracleTest.class.getResourceAsStream("/oracle/corpus.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Case> cases = new ArrayList<>();
        String name = null;
        String file = null;
        Map<String, String> files = null;
        StringBuilder content = new StringBuilder();
        for (String line : (text + "\n=== END").split("\n", -1)) {
            if (line.startsWith("=== ") || line.startsWith("--- ")) {
                if (file != null) {
                    files.put(file, content.toString());
                }
                content.setLength(0);
                file = null;
                if (line.startsWith("=== ")) {
                    if (name != null) {
                        cases.add(new Case(name, files));
                    }
                    name = line.substring(4).trim();
                    files = new LinkedHashMap<>();
                } else {
                    file = line.substring(4).trim();
                }
            } else if (file != null) {
                content.append(line).append('\n');
            }
        }
        assertTrue(cases.size() >= 40, "the corpus must hold at least 40 cases, has " + cases.size());
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void sameEffectiveConfigAsSupervisord(Case c, @TempDir Path dir) throws Exception {
        Map<String, String> env = new HashMap<>();
        for (Map.Entry<String, String> f : c.files().entrySet()) {
            if (f.getKey().equals("@env")) {
                for (String l : f.getValue().split("\n")) {
                    if (l.contains("=")) {
                        env.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
                    }
                }
            } else if (f.getKey().endsWith("/")) {
                Files.createDirectories(dir.resolve(f.getKey()));
            } else {
                Path p = dir.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.getValue());
            }
        }
        Path conf = dir.resolve("supervisord.conf");
        Map<String, String> fullEnv = new HashMap<>(System.getenv());
        fullEnv.putAll(env);
        Reference.Run ref = Reference.run(List.of(Reference.PYTHON.toString(), script.toString(), conf.toString()),
                env, null, 60);
        assertEquals(0, ref.exit(), "oracle script failed: " + ref.stderr());
        String refJson = ref.stdout();
        boolean refOk = refJson.startsWith("{\"config\"");

        SupervisorConfig ours = null;
        ConfigException error = null;
        try {
            ours = ConfigLoader.create().environment(fullEnv).load(conf);
        } catch (ConfigException e) {
            error = e;
        }
        if (!refOk) {
            if (error == null) {
                fail("supervisord rejects this config but we accept it; supervisord said: " + refJson);
            }
            return;
        }
        if (error != null) {
            fail("supervisord accepts this config but we reject it: " + error.getMessage());
        }
        String ourJson = Json.write(Map.of("ok", true, "config", ConfigDump.toMap(ours)));
        if (!refJson.equals(ourJson)) {
            int i = 0;
            while (i < Math.min(refJson.length(), ourJson.length()) && refJson.charAt(i) == ourJson.charAt(i)) {
                i++;
            }
            int from = Math.max(0, i - 120);
            fail("effective config differs at char " + i + "\n supervisord: ..."
                    + refJson.substring(from, Math.min(refJson.length(), i + 120)) + "\n ours:        ..."
                    + ourJson.substring(from, Math.min(ourJson.length(), i + 120)));
        }
    }
}
