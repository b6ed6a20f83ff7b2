package dev.radial.spoke.health;

import java.util.Locale;

/** A probe's verdict, as the API, ctl and events spell it ({@link #word()}). */
public enum Health {
    /** No verdict yet: not RUNNING, before the initial delay, or not enough consecutive results. */
    UNKNOWN,
    HEALTHY,
    UNHEALTHY;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
