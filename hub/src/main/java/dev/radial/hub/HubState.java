package dev.radial.hub;

import dev.radial.hub.live.SpokeOutcome;
import dev.radial.hub.publish.ConfigHealth;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the hub knows about itself, for {@code hub status}, {@code /status} and {@code /metrics}. Updated by the
 * sync thread and the spoke update threads, read by HTTP threads: every access is synchronized.
 *
 * <p>Two views: {@link #toMap(boolean) toMap(true)} (status.json, mode 0600, and {@code /status} with the status
 * token) has the last error, source revisions and every spoke; {@code toMap(false)} (anonymous {@code /status})
 * has nothing an outsider could use: readiness, the revision id, times and counts.
 */
public final class HubState {
    private static final DateTimeFormatter HUMAN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** One spoke's latest update. */
    private record SpokeEntry(String revision, SpokeOutcome outcome, long atMillis, long tookMillis) {
    }

    private String revision;
    private List<String> sourceRevisions = List.of();
    private long lastSyncMillis;
    private long lastSuccessMillis;
    private long lastFailureMillis;
    private long lastPublishMillis;
    private String lastError;
    private long syncs;
    private long failures;
    private long consecutiveFailures;
    private long publishes;
    private double lastPublishSeconds;
    private long spokesUpdated;
    private final Map<String, SpokeEntry> spokes = new TreeMap<>();
    private ConfigHealth config = ConfigHealth.UNKNOWN;
    private List<String> warnings = List.of();

    public synchronized boolean ready() {
        return revision != null;
    }

    /**
     * Ready and /config whole: what /healthz and {@code hub status} report. False while /config resolves to no
     * complete revision or has missing or dangling links the hub could not repair.
     */
    public synchronized boolean healthy() {
        return revision != null && config.ok();
    }

    /** The last check of /config (see {@link ConfigHealth}). */
    public synchronized ConfigHealth config() {
        return config;
    }

    /** Warnings about the served revision: files under supervisor/ no include matches, skipped exceptions. */
    public synchronized List<String> warnings() {
        return warnings;
    }

    public synchronized void config(ConfigHealth health) {
        config = health;
    }

    /** The served revision's warnings (from the publisher): shown by {@code hub status} and the full /status. */
    synchronized void warnings(List<String> list) {
        warnings = List.copyOf(list);
    }

    synchronized void published(String id, List<String> sources, double seconds) {
        revision = id;
        sourceRevisions = List.copyOf(sources);
        publishes++;
        lastPublishSeconds = seconds;
        lastPublishMillis = System.currentTimeMillis();
    }

    synchronized void current(String id, List<String> sources) {
        revision = id;
        sourceRevisions = List.copyOf(sources);
    }

    synchronized void synced(boolean ok, String error) {
        syncs++;
        lastSyncMillis = System.currentTimeMillis();
        if (ok) {
            lastSuccessMillis = lastSyncMillis;
            lastError = null;
            consecutiveFailures = 0;
        } else {
            failures++;
            consecutiveFailures++;
            lastFailureMillis = lastSyncMillis;
            lastError = error;
        }
    }

    synchronized void spoke(String identity, String rev, SpokeOutcome o, long tookMillis) {
        spokes.put(identity, new SpokeEntry(rev, o, System.currentTimeMillis(), tookMillis));
        if (o.result() == SpokeOutcome.Result.APPLIED) {
            spokesUpdated++;
        }
    }

    /** Drops spokes whose socket is gone. */
    synchronized void retainSpokes(java.util.Set<String> identities) {
        spokes.keySet().retainAll(identities);
    }

    public synchronized Map<String, Object> toMap() {
        return toMap(true);
    }

    /** The status as JSON-able maps; {@code full} false leaves out everything but readiness, ids, times, counts. */
    public synchronized Map<String, Object> toMap(boolean full) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ready", revision != null);
        m.put("revision", revision == null ? "" : revision);
        m.put("last_sync", iso(lastSyncMillis));
        m.put("last_sync_ok", syncs > 0 && consecutiveFailures == 0);
        m.put("config_ok", config.ok());
        m.put("last_success", iso(lastSuccessMillis));
        m.put("consecutive_failures", consecutiveFailures);
        Map<String, Object> counts = new TreeMap<>();
        for (SpokeEntry e : spokes.values()) {
            counts.merge(e.outcome().result().name().toLowerCase(), 1L, (a, b) -> (Long) a + (Long) b);
        }
        m.put("spoke_results", counts);
        if (!full) {
            return m;
        }
        m.put("sources", new ArrayList<Object>(sourceRevisions));
        m.put("last_error", lastError == null ? "" : lastError);
        m.put("last_failure", iso(lastFailureMillis));
        m.put("last_publish", iso(lastPublishMillis));
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ok", config.ok());
        c.put("problems", new ArrayList<Object>(config.problems()));
        m.put("config", c);
        m.put("syncs", syncs);
        m.put("failures", failures);
        m.put("warnings", new ArrayList<Object>(warnings));
        List<Object> s = new ArrayList<>();
        for (SpokeEntry e : spokes.values()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("spoke", e.outcome().spoke());
            x.put("host", e.outcome().host());
            x.put("result", e.outcome().result().name().toLowerCase());
            x.put("detail", e.outcome().detail());
            x.put("revision", e.revision());
            x.put("at", iso(e.atMillis()));
            x.put("took_ms", e.tookMillis());
            s.add(x);
        }
        m.put("spokes", s);
        return m;
    }

    /** What {@code hub status} prints: one fact a line, times readable, the error only when there is one. */
    public synchronized String summary() {
        StringBuilder sb = new StringBuilder();
        String stateText = syncs == 0 ? "starting (no sync yet)"
                : consecutiveFailures == 0 ? "ok"
                : "failing (" + consecutiveFailures
                        + (consecutiveFailures == 1 ? " failed sync" : " failed syncs in a row") + ")";
        if (revision == null && syncs > 0) {
            stateText += ", no good revision yet: spokes wait";
        }
        if (syncs > 0 && !config.ok()) {
            stateText += "; /config is not whole: " + String.join("; ", config.problems());
        }
        line(sb, "state", stateText);
        line(sb, "revision", revision == null ? "none"
                : revision + (lastPublishMillis == 0 ? " (already published at start)" : ", published "
                        + human(lastPublishMillis)));
        if (!sourceRevisions.isEmpty()) {
            line(sb, "sources", String.join(" ", sourceRevisions));
        }
        if (syncs > 0) {
            line(sb, "last sync", human(lastSyncMillis) + (consecutiveFailures == 0 ? ", ok" : ", failed"));
        }
        if (consecutiveFailures > 0) {
            line(sb, "last good", lastSuccessMillis == 0 ? "never" : human(lastSuccessMillis));
            line(sb, "error", lastError == null ? "" : lastError);
        }
        for (String w : warnings) {
            line(sb, "warning", w);
        }
        if (spokes.isEmpty()) {
            line(sb, "spokes", "none seen");
        } else {
            line(sb, "spokes", Integer.toString(spokes.size()));
            for (SpokeEntry e : spokes.values()) {
                SpokeOutcome o = e.outcome();
                sb.append("  ").append(o.spoke()).append('@').append(o.host()).append("  ")
                        .append(o.result().name().toLowerCase()).append("  revision ").append(e.revision())
                        .append("  ").append(human(e.atMillis()));
                if (!o.detail().isEmpty()) {
                    sb.append("  ").append(o.detail());
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(String.format("%-10s ", key + ":")).append(value).append('\n');
    }

    private static String iso(long millis) {
        return millis == 0 ? "" : Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String human(long millis) {
        return HUMAN.format(Instant.ofEpochMilli(millis));
    }

    /** Prometheus text exposition format. */
    public synchronized String metrics() {
        StringBuilder sb = new StringBuilder();
        metric(sb, "radial_hub_syncs_total", "counter", "Syncs attempted.", syncs);
        metric(sb, "radial_hub_sync_failures_total", "counter", "Syncs that failed (fetch, conflict, invalid config).",
                failures);
        metric(sb, "radial_hub_publishes_total", "counter", "Revisions published.", publishes);
        metric(sb, "radial_hub_last_success_timestamp_seconds", "gauge", "Unix time of the last successful sync.",
                lastSuccessMillis / 1000.0);
        metric(sb, "radial_hub_publish_duration_seconds", "gauge", "Duration of the last publish.",
                lastPublishSeconds);
        metric(sb, "radial_hub_spokes_updated_total", "counter", "Spoke updates applied.", spokesUpdated);
        metric(sb, "radial_hub_ready", "gauge", "1 once a revision is published.", revision != null ? 1 : 0);
        return sb.toString();
    }

    private static void metric(StringBuilder sb, String name, String type, String help, double value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        sb.append(name).append(' ');
        if (value == Math.rint(value)) {
            sb.append((long) value);
        } else {
            sb.append(value);
        }
        sb.append('\n');
    }
}
