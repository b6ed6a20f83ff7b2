package dev.radial.spoke.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The two pages (our own markup; supervisord's ui/status.html and ui/tail.html give only the URLs and the content).
 * Every value from a process, a log or the query string is escaped with {@link Html}. Pure functions, any thread.
 */
final class Pages {
    private Pages() {
    }

    private static final String HEAD = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>%s</title>
            <link rel="stylesheet" href="stylesheets/radial.css">
            <link rel="icon" href="images/icon.svg" type="image/svg+xml">
            </head>
            """;

    /** supervisord's css_class_for_state: running, error (FATAL, BACKOFF) or nominal. */
    static String stateClass(int state) {
        return switch (state) {
            case 20 -> "running";
            case 200, 30 -> "error";
            default -> "nominal";
        };
    }

    /** Actions by state, as supervisord's actions_for_process (RUNNING; STOPPED/EXITED/FATAL; otherwise). */
    static List<String> actions(int state) {
        return switch (state) {
            case 20 -> List.of("restart", "stop", "clearlog");
            case 0, 100, 200 -> List.of("start", "clearlog");
            default -> List.of("clearlog");
        };
    }

    static String label(String action) {
        return switch (action) {
            case "start" -> "Start";
            case "stop" -> "Stop";
            case "restart" -> "Restart";
            default -> "Clear Log";
        };
    }

    /** The status page for getAllProcessInfo's structs (sorted by group, then name, as supervisord). */
    static String status(List<Map<String, Object>> infos, String message, String identification) {
        List<Map<String, Object>> rows = new ArrayList<>(infos);
        rows.sort(Comparator.comparing((Map<String, Object> m) -> String.valueOf(m.get("group")))
                .thenComparing(m -> String.valueOf(m.get("name"))));
        StringBuilder b = new StringBuilder(HEAD.formatted("Supervisor Status"));
        b.append("<body><header><h1>Supervisor status</h1><span class=\"ident\">")
                .append(Html.esc(identification)).append("</span>")
                .append("<label class=\"live\"><input type=\"checkbox\" id=\"live\" checked> live</label></header>\n");
        b.append("<div id=\"message\" class=\"").append(message == null ? "message empty" : "message").append("\">")
                .append(message == null ? "" : Html.esc(message)).append("</div>\n");
        b.append("<nav><a href=\"index.html?action=refresh\">Refresh</a>")
                .append("<a href=\"index.html?action=restartall\">Restart All</a>")
                .append("<a href=\"index.html?action=stopall\">Stop All</a></nav>\n");
        if (rows.isEmpty()) {
            b.append("<p id=\"empty\">No programs to manage</p>");
        }
        b.append("<table id=\"processes\"").append(rows.isEmpty() ? " hidden" : "")
                .append("><thead><tr><th>State</th><th>Description</th><th>Name</th><th>Action</th></tr></thead>\n<tbody>");
        // a group header (with the group actions) for real groups: those with a process not named like the group
        java.util.Set<String> groups = new java.util.HashSet<>();
        for (Map<String, Object> m : rows) {
            if (!String.valueOf(m.get("group")).equals(String.valueOf(m.get("name")))) {
                groups.add(String.valueOf(m.get("group")));
            }
        }
        String group = null;
        for (Map<String, Object> m : rows) {
            String g = String.valueOf(m.get("group"));
            if (!g.equals(group) && groups.contains(g)) {
                group = g;
                b.append(groupRow(g));
            }
            b.append(row(m));
        }
        b.append("</tbody></table>\n<footer>Radial spoke (supervisord ")
                .append(Html.esc(dev.radial.spoke.rpc.SupervisorRpc.SUPERVISOR_VERSION))
                .append(" compatible)</footer>\n<script src=\"scripts/radial.js\"></script></body></html>\n");
        return b.toString();
    }

    private static String groupRow(String g) {
        return "<tr class=\"group\" data-group=\"" + Html.esc(g) + "\"><td colspan=\"3\">group <b>" + Html.esc(g)
                + "</b></td><td class=\"actions\">"
                + "<a data-action=\"startgroup\" href=\"index.html?processname=" + Html.esc(Html.q(g))
                + "&amp;action=startgroup\">Start group</a>"
                + "<a data-action=\"restartgroup\" href=\"index.html?processname=" + Html.esc(Html.q(g))
                + "&amp;action=restartgroup\">Restart group</a>"
                + "<a data-action=\"stopgroup\" href=\"index.html?processname=" + Html.esc(Html.q(g))
                + "&amp;action=stopgroup\">Stop group</a></td></tr>\n";
    }

    private static String row(Map<String, Object> m) {
        String g = String.valueOf(m.get("group"));
        String n = String.valueOf(m.get("name"));
        String spec = g.equals(n) ? n : g + ":" + n;
        int state = m.get("state") instanceof Integer i ? i : -1;
        String href = Html.esc(Html.q(spec));
        StringBuilder b = new StringBuilder();
        b.append("<tr class=\"process\" data-name=\"").append(Html.esc(spec)).append("\">")
                .append("<td><span class=\"state ").append(stateClass(state)).append("\">")
                .append(Html.esc(String.valueOf(m.get("statename")).toLowerCase(java.util.Locale.ROOT)))
                .append("</span>");
        if (m.get("health") instanceof String health) { // only a process with probes has one (ProcessInfo)
            b.append(" <span class=\"health ").append(Html.esc(health)).append("\" title=\"")
                    .append(Html.esc(m.get("health_description"))).append("\">").append(Html.esc(health))
                    .append("</span>");
        }
        b.append("</td><td class=\"description\">").append(Html.esc(m.get("description")))
                .append("</td><td class=\"name\"><a href=\"tail.html?processname=").append(href).append("\">")
                .append(Html.esc(spec)).append("</a></td><td class=\"actions\">");
        for (String a : actions(state)) {
            b.append("<a data-action=\"").append(a).append("\" href=\"index.html?processname=").append(href)
                    .append("&amp;action=").append(a).append("\">").append(label(a)).append("</a>");
        }
        b.append("<a data-action=\"tail\" target=\"_blank\" href=\"logtail/").append(href)
                .append("\">Tail -f Stdout</a><a data-action=\"tailerr\" target=\"_blank\" href=\"logtail/")
                .append(href).append("/stderr\">Tail -f Stderr</a></td></tr>\n");
        return b.toString();
    }

    /** tail.html: the last bytes of a stdout log, with a refresh link and an in-page follow. */
    static String tail(String processname, String text, int limit) {
        StringBuilder b = new StringBuilder(HEAD.formatted(Html.esc("Supervisor tail of process " + processname)));
        b.append("<body class=\"tail\"><header><h1>").append(Html.esc("Tail of " + processname)).append("</h1>");
        if (processname != null) {
            b.append("<a id=\"refresh\" href=\"tail.html?processname=").append(Html.esc(Html.q(processname)))
                    .append("&amp;limit=").append(limit).append("\">Refresh</a>")
                    .append("<button id=\"follow\" type=\"button\" data-name=\"").append(Html.esc(processname))
                    .append("\">Follow (tail -f)</button>");
        }
        b.append("<a href=\"index.html\">Status</a></header>\n<pre id=\"tail\">").append(Html.esc(text))
                .append("</pre>\n<script src=\"scripts/radial.js\"></script></body></html>\n");
        return b.toString();
    }
}
