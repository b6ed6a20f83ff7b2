package dev.radial.hub.web;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Webhook deliveries already accepted, so that a captured signed request cannot be replayed to force syncs. A
 * delivery is known by its id ({@code X-GitHub-Delivery}, {@code X-Gitea-Delivery}, GitLab's
 * {@code X-Gitlab-Event-UUID} or {@code Idempotency-Key}) and by the digest of its body: the signature covers
 * only the body, so a replay with a fresh id header is still the same body. Only verified deliveries are
 * remembered (an unsigned flood cannot evict them); the oldest are forgotten past {@link #REMEMBERED} keys
 * (an id and a body digest each: 4096 deliveries).
 * Thread-safe.
 */
final class Deliveries {
    static final int REMEMBERED = 8192;
    static final List<String> ID_HEADERS = List.of("x-github-delivery", "x-gitea-delivery", "x-gitlab-event-uuid",
            "idempotency-key");

    private final int capacity;
    private final LinkedHashMap<String, Boolean> seen = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
        }
    };

    Deliveries(int capacity) {
        this.capacity = capacity;
    }

    /**
     * True the first time this delivery is seen, and records it; false for a replay (same id or same body).
     * Header names are lower-case.
     */
    synchronized boolean firstTime(Map<String, String> headers, byte[] body) {
        List<String> keys = new ArrayList<>();
        for (String h : ID_HEADERS) {
            String v = headers.get(h);
            if (v != null && !v.isBlank()) {
                keys.add("id:" + v.strip());
            }
        }
        keys.add("body:" + digest(body));
        for (String k : keys) {
            if (seen.containsKey(k)) {
                return false;
            }
        }
        keys.forEach(k -> seen.put(k, Boolean.TRUE));
        return true;
    }

    synchronized int size() {
        return seen.size();
    }

    private static String digest(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
