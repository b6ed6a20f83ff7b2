package dev.radial.hub.source;

import dev.radial.common.util.Redact;

/**
 * One configuration repository of the wheel. {@code id} is "supervisor" for SUPERVISOR_REPO, "wheel" for
 * WHEEL_REPO and the suffix for WHEEL_REPO_&lt;ID&gt;; sources combine into /config in {@code order}.
 */
public record Source(String id, String uri, String branch, Credentials credentials) {
    /** The URI with any password or token removed, for logs and status. */
    public String safeUri() {
        return Redact.urlPasswords(uri);
    }
}
