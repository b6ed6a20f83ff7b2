package dev.radial.bench;

/**
 * One line of the result table: medians for supervisord and ours (null where it does not apply), the raw limit
 * where one exists, and the target the issue sets, with whether it was met.
 */
record Row(String scenario, String unit, Double supervisord, Double ours, Double limit, String target, Boolean met,
        String note) {
    String ratio() {
        if (supervisord == null || ours == null || ours == 0) {
            return "";
        }
        return String.format("%.2fx", supervisord / ours);
    }
}
