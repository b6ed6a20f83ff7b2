package dev.radial.hub;

import dev.radial.hub.live.SpokeOutcome;
import dev.radial.hub.publish.ConfigHealth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the hub knows about itself, for {@code hub status}, {@code /status} and {@code /metrics}. Updated by the
 * sync thread, read by HTTP threads: every access is synchronized.
 */
public final class HubState {
    private String revision;
    private List<String> sourceRevisions = List.of();
    private long lastSyncMillis;
    private long lastSuccessMillis;
    private String lastError;
    private long syncs;
    private long failures;
    private long publishes;
    private double lastPublishSeconds;
    private long spokesUpdated;
    private List<SpokeOutcome> spokes = List.of();
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

    synchronized void warnings(List<String> list) {
        warnings = List.copyOf(list);
    }

    synchronized void published(String id, List<String> sources, double seconds) {
        revision = id;
        sourceRevisions = List.copyOf(sources);
        publishes++;
        lastPublishSeconds = seconds;
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
        } else {
            failures++;
            lastError = error;
        }
    }

    synchronized void spokes(List<SpokeOutcome> outcomes) {
        spokes = List.copyOf(outcomes);
        spokesUpdated += outcomes.stream().filter(o -> o.result() == SpokeOutcome.Result.APPLIED).count();
    }

    public synchronized Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ready", revision != null);
        m.put("revision", revision == null ? "" : revision);
        m.put("sources", new ArrayList<Object>(sourceRevisions));
        m.put("last_sync", lastSyncMillis / 1000);
        m.put("last_success", lastSuccessMillis / 1000);
        m.put("last_error", lastError == null ? "" : lastError);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ok", config.ok());
        c.put("problems", new ArrayList<Object>(config.problems()));
        m.put("config", c);
        m.put("warnings", new ArrayList<Object>(warnings));
        m.put("syncs", syncs);
        m.put("failures", failures);
        List<Object> s = new ArrayList<>();
        for (SpokeOutcome o : spokes) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("spoke", o.spoke());
            e.put("host", o.host());
            e.put("result", o.result().name().toLowerCase());
            e.put("detail", o.detail());
            s.add(e);
        }
        m.put("spokes", s);
        return m;
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
