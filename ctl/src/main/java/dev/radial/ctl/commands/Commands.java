package dev.radial.ctl.commands;

import dev.radial.ctl.Controller;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Every command, by name, plus {@code help}, which lists them the way Python's cmd module does. */
public final class Commands {
    private Commands() {
    }

    /** Commands supervisorctl does not have: left out of {@code help}'s list so that it stays supervisorctl's. */
    static final java.util.Set<String> EXTENSIONS = java.util.Set.of("health");

    private static final Map<String, Command> ALL = build();

    public static Map<String, Command> all() {
        return ALL;
    }

    private static Map<String, Command> build() {
        Map<String, Command> map = new TreeMap<>();
        List<Command> list = new ArrayList<>();
        list.addAll(ProcessCommands.all());
        list.addAll(LogCommands.all());
        list.addAll(ConfigCommands.all());
        list.addAll(DaemonCommands.all());
        list.addAll(HealthCommands.all());
        for (Command c : list) {
            map.put(c.name(), c);
        }
        Map<String, Command> withHelp = new LinkedHashMap<>(map);
        withHelp.put("help", new Command("help", (ctl, arg) -> {
            help(ctl, map, arg.strip());
            return false;
        }, "help\t\tPrint a list of available actions\nhelp <action>\tPrint help for <action>"));
        return Collections.unmodifiableMap(withHelp);
    }

    /** supervisorctl's check for commands that take no argument: prints the error and the command's help. */
    static boolean noArguments(Controller ctl, String command, String arg) {
        if (arg.isEmpty()) {
            return true;
        }
        ctl.output("Error: " + command + " accepts no arguments");
        ctl.exitStatus(dev.radial.ctl.LsbExit.GENERIC);
        ctl.output(all().get(command).help());
        return false;
    }

    private static void help(Controller ctl, Map<String, Command> commands, String topic) {
        if (topic.equals("help")) {
            ctl.output("help\t\tPrint a list of available actions");
            ctl.output("help <action>\tPrint help for <action>");
            return;
        }
        if (!topic.isEmpty()) {
            Command c = commands.get(topic);
            if (c == null || c.help() == null) {
                ctl.output("*** No help on " + topic);
            } else {
                ctl.output(c.help());
            }
            return;
        }
        List<String> names = new ArrayList<>();
        for (Command c : commands.values()) {
            // ours (health) answer help <topic> but stay out of the list, which is supervisorctl's
            if (c.help() != null && !c.name().equals("EOF") && !EXTENSIONS.contains(c.name())) {
                names.add(c.name());
            }
        }
        ctl.output("");
        String header = "default commands (type help <topic>):";
        ctl.output(header);
        ctl.output("=".repeat(header.length()));
        for (String row : columnize(names, 80)) {
            ctl.output(row);
        }
        ctl.output("");
    }

    /** Python's cmd.Cmd.columnize: the fewest rows whose columns, two spaces apart, fit the width. */
    static List<String> columnize(List<String> list, int displayWidth) {
        int size = list.size();
        if (size == 0) {
            return List.of("<empty>");
        }
        if (size == 1) {
            return List.of(list.get(0));
        }
        int nrows;
        int ncols = 0;
        List<Integer> colwidths = new ArrayList<>();
        for (nrows = 1; nrows < size; nrows++) {
            ncols = (size + nrows - 1) / nrows;
            colwidths.clear();
            int totwidth = -2;
            for (int col = 0; col < ncols; col++) {
                int colwidth = 0;
                for (int row = 0; row < nrows; row++) {
                    int i = row + nrows * col;
                    if (i >= size) {
                        break;
                    }
                    colwidth = Math.max(colwidth, list.get(i).length());
                }
                colwidths.add(colwidth);
                totwidth += colwidth + 2;
                if (totwidth > displayWidth) {
                    break;
                }
            }
            if (totwidth <= displayWidth) {
                break;
            }
        }
        if (nrows >= size) {
            nrows = size;
            ncols = 1;
            colwidths = List.of(0);
        }
        List<String> rows = new ArrayList<>();
        for (int row = 0; row < nrows; row++) {
            List<String> texts = new ArrayList<>();
            for (int col = 0; col < ncols; col++) {
                int i = row + nrows * col;
                texts.add(i >= size ? "" : list.get(i));
            }
            while (!texts.isEmpty() && texts.get(texts.size() - 1).isEmpty()) {
                texts.remove(texts.size() - 1);
            }
            StringBuilder sb = new StringBuilder();
            for (int col = 0; col < texts.size(); col++) {
                if (col > 0) {
                    sb.append("  ");
                }
                String t = texts.get(col);
                sb.append(t).append(" ".repeat(Math.max(0, colwidths.get(col) - t.length())));
            }
            rows.add(sb.toString());
        }
        return rows;
    }
}
