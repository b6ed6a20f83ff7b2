package dev.radial.hub.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The memory of accepted webhook deliveries: by id and by body, bounded. */
class DeliveriesTest {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void idsOfEveryForgeAndBodiesAreRemembered() {
        Deliveries d = new Deliveries(100);
        assertTrue(d.firstTime(Map.of("x-github-delivery", "g1"), b("a")));
        assertFalse(d.firstTime(Map.of("x-github-delivery", "g1"), b("b")), "known GitHub id");
        assertFalse(d.firstTime(Map.of("x-github-delivery", "g2"), b("a")), "known body under a new id");
        assertTrue(d.firstTime(Map.of("x-gitea-delivery", "t1"), b("c")));
        assertFalse(d.firstTime(Map.of("x-gitea-delivery", "t1"), b("d")), "known Gitea id");
        assertTrue(d.firstTime(Map.of("x-gitlab-event-uuid", "l1"), b("e")));
        assertFalse(d.firstTime(Map.of("x-gitlab-event-uuid", "l1"), b("f")), "known GitLab id");
        assertTrue(d.firstTime(Map.of(), b("g")), "no id: known by its body only");
        assertFalse(d.firstTime(Map.of(), b("g")));
    }

    @Test
    void memoryIsBoundedOldestForgottenFirst() {
        Deliveries d = new Deliveries(10);
        for (int i = 0; i < 1000; i++) {
            assertTrue(d.firstTime(Map.of("x-github-delivery", "id" + i), b("body" + i)));
        }
        assertEquals(10, d.size());
        assertFalse(d.firstTime(Map.of("x-github-delivery", "id999"), b("new")), "the newest are remembered");
        assertTrue(d.firstTime(Map.of("x-github-delivery", "id0"), b("body0")), "the oldest were forgotten");
    }
}
