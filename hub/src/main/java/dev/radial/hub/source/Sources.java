package dev.radial.hub.source;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The wheel's sources from Radial's variables: SUPERVISOR_REPO/SUPERVISOR_BRANCH (default: the bundled skeleton),
 * then WHEEL_REPO/WHEEL_BRANCH and WHEEL_REPO_&lt;ID&gt;/WHEEL_BRANCH_&lt;ID&gt;, paired by ID (Radial paired
 * them by sort position: defect 1) and combined in ID order. Credentials: GIT_USERNAME + GIT_PASSWORD_FILE,
 * GIT_SSH_KEY + GIT_KNOWN_HOSTS, each overridable per source with the _&lt;ID&gt; suffix.
 */
public final class Sources {
    private Sources() {
    }

    public static List<Source> fromEnvironment(Map<String, String> env, Path skeleton) {
        List<Source> sources = new ArrayList<>();
        String supervisorRepo = env.get("SUPERVISOR_REPO");
        if (supervisorRepo == null || supervisorRepo.isBlank()) {
            supervisorRepo = skeleton.toString();
        }
        sources.add(new Source("supervisor", supervisorRepo, env.getOrDefault("SUPERVISOR_BRANCH", "master"),
                credentials(env, "")));
        Map<String, String> wheels = new TreeMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String k = e.getKey();
            if (e.getValue().isBlank()) {
                continue;
            }
            if (k.equals("WHEEL_REPO")) {
                wheels.put("", e.getValue());
            } else if (k.startsWith("WHEEL_REPO_")) {
                wheels.put(k.substring("WHEEL_REPO_".length()), e.getValue());
            }
        }
        for (Map.Entry<String, String> w : wheels.entrySet()) {
            String id = w.getKey();
            String suffix = id.isEmpty() ? "" : "_" + id;
            String branch = env.getOrDefault("WHEEL_BRANCH" + suffix, "config");
            sources.add(new Source(id.isEmpty() ? "wheel" : id, w.getValue(), branch, credentials(env, suffix)));
        }
        return sources;
    }

    private static Credentials credentials(Map<String, String> env, String suffix) {
        String user = get(env, "GIT_USERNAME", suffix);
        String pw = get(env, "GIT_PASSWORD_FILE", suffix);
        String key = get(env, "GIT_SSH_KEY", suffix);
        String hosts = get(env, "GIT_KNOWN_HOSTS", suffix);
        if (user == null && pw == null && key == null) {
            return Credentials.NONE;
        }
        return new Credentials(user, pw == null ? null : Path.of(pw), key == null ? null : Path.of(key),
                hosts == null ? null : Path.of(hosts));
    }

    private static String get(Map<String, String> env, String name, String suffix) {
        String v = env.get(name + suffix);
        if (v == null && !suffix.isEmpty()) {
            v = env.get(name);
        }
        return v == null || v.isBlank() ? null : v;
    }
}
