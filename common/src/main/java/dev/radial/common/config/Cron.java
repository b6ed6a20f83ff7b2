package dev.radial.common.config;

import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Optional;

/**
 * A cron expression of {@code schedule=} (our extension): five fields {@code minute hour day-of-month month
 * day-of-week} as in crontab(5), or six with a leading {@code second} field; or a macro {@code @yearly}
 * ({@code @annually}), {@code @monthly}, {@code @weekly}, {@code @daily} ({@code @midnight}), {@code @hourly}.
 * A field is {@code *} or a comma-separated list of {@code n}, {@code a-b}, {@code *}{@code /s} and
 * {@code a-b/s}; months and weekdays also by their English three-letter names, Sunday as 0 or 7. As in cron,
 * when both day-of-month and day-of-week are restricted, a day matching either matches. Immutable and pure:
 * {@link #next} takes the time to start from, so tests inject the clock. Equal when written the same.
 */
public final class Cron {
    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
        "nov", "dec"};
    private static final String[] WEEKDAYS = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    /** How far {@link #next} looks: beyond this an expression is taken to never fire again. */
    private static final int YEARS = 9;

    private final String text;
    private final BitSet seconds;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet days;
    private final BitSet months;
    private final BitSet weekdays;
    /** The day-of-month or day-of-week field starts with '*': then a day must match both (else either). */
    private final boolean anyDay;
    private final boolean anyWeekday;

    private Cron(String text, BitSet seconds, BitSet minutes, BitSet hours, BitSet days, BitSet months,
            BitSet weekdays, boolean anyDay, boolean anyWeekday) {
        this.text = text;
        this.seconds = seconds;
        this.minutes = minutes;
        this.hours = hours;
        this.days = days;
        this.months = months;
        this.weekdays = weekdays;
        this.anyDay = anyDay;
        this.anyWeekday = anyWeekday;
    }

    /** The expression as written. */
    public String text() {
        return text;
    }

    /** Parses an expression; IllegalArgumentException says which field is wrong and why. */
    public static Cron parse(String expression) {
        String s = expression.strip().toLowerCase(Locale.ROOT);
        String expanded = switch (s) {
            case "@yearly", "@annually" -> "0 0 1 1 *";
            case "@monthly" -> "0 0 1 * *";
            case "@weekly" -> "0 0 * * 0";
            case "@daily", "@midnight" -> "0 0 * * *";
            case "@hourly" -> "0 * * * *";
            default -> {
                if (s.startsWith("@")) {
                    throw new IllegalArgumentException("unknown macro '" + expression.strip()
                            + "' (@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly)");
                }
                yield s;
            }
        };
        String[] f = expanded.split("\\s+");
        if (f.length != 5 && f.length != 6) {
            throw new IllegalArgumentException("'" + expression.strip() + "' has " + f.length
                    + " fields; a cron expression has 5 (minute hour day month weekday) or 6 (second first)");
        }
        int o = f.length - 5;
        BitSet sec = o == 1 ? field("second", f[0], 0, 59, null) : bits(0);
        BitSet min = field("minute", f[o], 0, 59, null);
        BitSet hour = field("hour", f[o + 1], 0, 23, null);
        BitSet day = field("day of month", f[o + 2], 1, 31, null);
        BitSet month = field("month", f[o + 3], 1, 12, MONTHS);
        BitSet wd = field("day of week", f[o + 4], 0, 7, WEEKDAYS);
        if (wd.get(7)) {
            wd.set(0);
            wd.clear(7);
        }
        Cron c = new Cron(expression.strip(), sec, min, hour, day, month, wd, f[o + 2].startsWith("*"),
                f[o + 4].startsWith("*"));
        if (c.next(ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, java.time.ZoneOffset.UTC)).isEmpty()) {
            throw new IllegalArgumentException("'" + expression.strip() + "' never fires");
        }
        return c;
    }

    private static BitSet bits(int... set) {
        BitSet b = new BitSet();
        for (int i : set) {
            b.set(i);
        }
        return b;
    }

    private static BitSet field(String name, String text, int lo, int hi, String[] names) {
        BitSet b = new BitSet();
        for (String part : text.split(",", -1)) {
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(name, part.substring(slash + 1), 1, hi - lo + 1, null, lo);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = lo;
                to = hi;
            } else if (range.indexOf('-') > 0) {
                int dash = range.indexOf('-');
                from = number(name, range.substring(0, dash), lo, hi, names, lo);
                to = number(name, range.substring(dash + 1), lo, hi, names, lo);
                if (to < from) {
                    throw new IllegalArgumentException(name + " range " + range + " goes backwards");
                }
            } else {
                from = number(name, range, lo, hi, names, lo);
                to = slash >= 0 ? hi : from;
            }
            for (int i = from; i <= to; i += step) {
                b.set(i);
            }
        }
        return b;
    }

    private static int number(String name, String v, int lo, int hi, String[] names, int base) {
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(v)) {
                    return i + (base == 1 ? 1 : 0);
                }
            }
        }
        if (!v.matches("[0-9]{1,2}")) {
            throw new IllegalArgumentException("'" + v + "' is not a valid " + name);
        }
        int n = Integer.parseInt(v);
        if (n < lo || n > hi) {
            throw new IllegalArgumentException(name + " " + n + " is outside " + lo + "-" + hi);
        }
        return n;
    }

    /** Whether t's date is one of the expression's days. */
    private boolean dayMatches(ZonedDateTime t) {
        boolean d = days.get(t.getDayOfMonth());
        boolean w = weekdays.get(t.getDayOfWeek().getValue() % 7);
        if (anyDay || anyWeekday) {
            return d && w;
        }
        return d || w;
    }

    /** The first time strictly after {@code after} (whole seconds) that matches; empty if none within 9 years. */
    public Optional<ZonedDateTime> next(ZonedDateTime after) {
        ZonedDateTime t = after.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        ZonedDateTime limit = after.plusYears(YEARS);
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
            } else if (!dayMatches(t)) {
                t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
            } else if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(t.getMinute())) {
                t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
            } else if (!seconds.get(t.getSecond())) {
                t = t.plusSeconds(1);
            } else {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cron c && c.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
