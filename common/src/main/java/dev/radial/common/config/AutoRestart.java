package dev.radial.common.config;

/** autorestart: restart always, never, or when the exit code is not in exitcodes. */
public enum AutoRestart {
    TRUE, FALSE, UNEXPECTED
}
