package dev.radial.spoke.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** The overlay a spawn's environment is: exactly the map supervisord's dict update would give, without the copy. */
class ChildEnvironmentMapTest {
    private static final Map<String, String> BASE = Map.of("PATH", "/usr/bin:/bin", "HOME", "/root", "LANG", "C.UTF-8",
            "EMPTY", "");

    @Test
    void isTheBaseWithTheChildsVariablesOverIt() {
        Map<String, String> own = new LinkedHashMap<>();
        own.put("SUPERVISOR_ENABLED", "1");
        own.put("PATH", "/opt/bin"); // overrides the daemon's
        own.put("EMPTY", "set");
        own.put("NEW", "");
        Map<String, String> expected = new LinkedHashMap<>(BASE);
        expected.putAll(own);
        ChildEnvironment env = new ChildEnvironment(BASE, new LinkedHashMap<>(own));
        assertEquals(expected, env);
        assertEquals(env, expected);
        assertEquals(expected.hashCode(), env.hashCode());
        assertEquals(6, env.size());
        assertEquals("/opt/bin", env.get("PATH"));
        assertEquals("/root", env.get("HOME"));
        assertEquals("", env.get("NEW"));
        assertNull(env.get("MISSING"));
        assertTrue(env.containsKey("NEW") && env.containsKey("HOME"));
        assertFalse(env.containsKey("MISSING"));
        List<String> keys = new ArrayList<>();
        env.forEach((k, v) -> keys.add(k));
        assertEquals(6, keys.size());
        assertEquals(6, new HashSet<>(keys).size(), "each variable once: " + keys);
        assertEquals(List.of("SUPERVISOR_ENABLED", "PATH", "EMPTY", "NEW"), keys.subList(2, 6), "the child's last");
        var it = env.entrySet().iterator();
        while (it.hasNext()) {
            it.next();
        }
        assertThrows(NoSuchElementException.class, it::next);
    }

    @Test
    void cannotBeChanged() {
        ChildEnvironment env = new ChildEnvironment(BASE, new LinkedHashMap<>(Map.of("A", "1")));
        assertThrows(UnsupportedOperationException.class, () -> env.put("B", "2"));
        assertThrows(UnsupportedOperationException.class, () -> env.remove("A"));
        assertThrows(UnsupportedOperationException.class, () -> env.entrySet().iterator().next().setValue("x"));
        ProcessLauncher.SpawnRequest r = new ProcessLauncher.SpawnRequest("/bin/true", List.of("true"), env, null,
                null, false);
        assertEquals(env, r.env());
        assertThrows(UnsupportedOperationException.class, () -> r.env().clear());
    }
}
