package dev.radial.common.config;

/** The [supervisorctl] section as supervisorctl reads it. */
public record CtlConfig(String serverurl, String username, String password, String prompt, String historyFile) {
}
