package dev.radial.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure cron matcher of schedule=, with the clock injected as the time to start from. */
class CronTest {
    private static final ZoneId UTC = ZoneId.of("UTC");

    private static ZonedDateTime t(String iso) {
        return ZonedDateTime.parse(iso + "Z[UTC]");
    }

    /** The next n firing times after start. */
    private static List<String> fires(String expr, String start, int n) {
        Cron c = Cron.parse(expr);
        List<String> out = new ArrayList<>();
        ZonedDateTime at = t(start);
        for (int i = 0; i < n; i++) {
            at = c.next(at).orElseThrow();
            out.add(at.toLocalDateTime().toString());
        }
        return out;
    }

    @Test
    void fieldsListsRangesStepsNames() {
        assertEquals(List.of("2026-12-01T16:30", "2026-12-01T16:45", "2026-12-01T17:00"),
                fires("*/15 * * * *", "2026-12-01T16:29:59", 3));
        assertEquals(List.of("2026-12-01T16:30", "2026-12-01T16:45"), fires("*/15 * * * *", "2026-12-01T16:15", 2),
                "strictly after: a time that matches is not the next one");
        assertEquals(List.of("2026-12-02T02:05", "2026-12-02T02:10", "2026-12-02T04:05"),
                fires("5,10 2-4/2 * * *", "2026-12-01T16:00", 3));
        // 2027-01-01 is a Friday; 2-3 January the weekend
        assertEquals(List.of("2027-01-01T09:00", "2027-01-04T09:00", "2027-01-05T09:00", "2027-01-06T09:00",
                "2027-01-07T09:00", "2027-01-08T09:00"), fires("0 9 * jan mon-fri", "2026-12-01T00:00", 6));
        assertEquals(List.of("2026-12-06T00:00", "2026-12-13T00:00"), fires("0 0 * * 7", "2026-12-01T00:00", 2),
                "7 is Sunday too");
        assertEquals(List.of("2026-12-01T16:00:05", "2026-12-01T16:00:10"), fires("*/5 * * * * *",
                "2026-12-01T16:00:00", 2), "six fields: seconds first");
    }

    @Test
    void dayOfMonthOrDayOfWeekWhenBothAreRestricted() {
        // cron(5): the 13th, or any Friday
        assertEquals(List.of("2026-12-04T00:00", "2026-12-11T00:00", "2026-12-13T00:00", "2026-12-18T00:00"),
                fires("0 0 13 * fri", "2026-12-01T00:00", 4));
        // day-of-week '*': only the 13th
        assertEquals(List.of("2026-12-13T00:00", "2027-01-13T00:00"), fires("0 0 13 * *", "2026-12-01T00:00", 2));
    }

    @Test
    void macrosAndTheCalendar() {
        assertEquals(List.of("2027-01-01T00:00"), fires("@yearly", "2026-12-01T16:00", 1));
        assertEquals(List.of("2027-01-01T00:00"), fires("@monthly", "2026-12-01T16:00", 1));
        assertEquals(List.of("2026-12-06T00:00"), fires("@weekly", "2026-12-01T16:00", 1));
        assertEquals(List.of("2026-12-02T00:00"), fires("@daily", "2026-12-01T16:00", 1));
        assertEquals(List.of("2026-12-01T17:00"), fires("@hourly", "2026-12-01T16:00", 1));
        assertEquals(List.of("2028-02-29T12:00", "2032-02-29T12:00"), fires("0 12 29 feb *", "2026-12-01T00:00", 2));
        assertEquals(List.of("2027-01-31T00:00", "2027-03-31T00:00"), fires("0 0 31 * *", "2026-12-31T00:00", 2));
    }

    @Test
    void daylightSavingTime() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        Cron c = Cron.parse("30 2 * * *");
        // 2027-03-28 02:30 does not exist in Berlin: the day's run moves into the gap's end, never skipped twice
        ZonedDateTime at = c.next(ZonedDateTime.of(2027, 3, 27, 12, 0, 0, 0, berlin)).orElseThrow();
        assertTrue(at.toLocalDate().toString().equals("2027-03-28") || at.toLocalDate().toString().equals(
                "2027-03-29"), at.toString());
        ZonedDateTime after = c.next(at).orElseThrow();
        assertTrue(after.isAfter(at), after.toString());
    }

    @Test
    void errorsSayWhichField() {
        assertEquals("minute 60 is outside 0-59",
                assertThrows(IllegalArgumentException.class, () -> Cron.parse("60 * * * *")).getMessage());
        assertEquals("'* * * *' has 4 fields; a cron expression has 5 (minute hour day month weekday) or 6 "
                + "(second first)", assertThrows(IllegalArgumentException.class, () -> Cron.parse("* * * *"))
                .getMessage());
        assertEquals("'0 0 30 2 *' never fires",
                assertThrows(IllegalArgumentException.class, () -> Cron.parse("0 0 30 2 *")).getMessage());
        assertEquals("hour range 5-3 goes backwards",
                assertThrows(IllegalArgumentException.class, () -> Cron.parse("0 5-3 * * *")).getMessage());
        assertEquals("'foo' is not a valid month",
                assertThrows(IllegalArgumentException.class, () -> Cron.parse("0 0 1 foo *")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Cron.parse("@often")).getMessage()
                .startsWith("unknown macro '@often'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Cron.parse("*/0 * * * *")).getMessage()
                .contains("outside"));
        assertThrows(IllegalArgumentException.class, () -> Cron.parse("1,,2 * * * *"));
        assertThrows(IllegalArgumentException.class, () -> Cron.parse("-1 * * * *"));
        assertThrows(IllegalArgumentException.class, () -> Cron.parse("999999999999 * * * *"));
        assertTrue(Cron.parse(" 0  0 * * * ").equals(Cron.parse("0  0 * * *")));
    }
}
