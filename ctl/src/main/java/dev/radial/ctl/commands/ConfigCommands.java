package dev.radial.ctl.commands;

import dev.radial.common.xmlrpc.Fault;
import dev.radial.common.xmlrpc.XmlRpcFault;
import dev.radial.ctl.Controller;
import dev.radial.ctl.LsbExit;
import dev.radial.ctl.Namespec;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** avail, reread, add, remove, update: applying configuration changes the way supervisorctl does. */
final class ConfigCommands {
    private ConfigCommands() {
    }

    static List<Command> all() {
        return List.of(
                Command.of("avail", "avail\t\t\tDisplay all configured processes", ConfigCommands::avail),
                Command.of("reread", "reread \t\t\tReload the daemon's configuration files without add/remove",
                        ConfigCommands::reread),
                Command.of("add", "add <name> [...]\tActivates any updates in config for process/group",
                        ConfigCommands::add),
                Command.of("remove", "remove <name> [...]\tRemoves process/group from active config",
                        ConfigCommands::remove),
                Command.of("update", """
                        update\t\t\tReload config and add/remove as necessary, and will restart affected programs
                        update all\t\tReload config and add/remove as necessary, and will restart affected programs
                        update <gname> [...]\tUpdate specific groups""", ConfigCommands::update));
    }

    private static void avail(Controller ctl, String arg) throws IOException, XmlRpcFault {
        if (!Commands.noArguments(ctl, "avail", arg)) {
            return;
        }
        Object infos;
        try {
            infos = ctl.call("getAllConfigInfo");
        } catch (XmlRpcFault f) {
            ctl.exitStatus(LsbExit.GENERIC);
            if (f.code() != Fault.SHUTDOWN_STATE.code()) {
                throw f;
            }
            ctl.output("ERROR: supervisor shutting down");
            return;
        }
        for (Map<String, Object> info : ProcessCommands.structs(infos)) {
            String name = Namespec.make((String) info.get("group"), (String) info.get("name"));
            String inuse = Boolean.TRUE.equals(info.get("inuse")) ? "in use" : "avail";
            String auto = Boolean.TRUE.equals(info.get("autostart")) ? "auto" : "manual";
            ctl.result(ProcessCommands.pad(name, 32) + " " + ProcessCommands.pad(inuse, 9) + " "
                    + ProcessCommands.pad(auto, 9) + " " + info.get("group_prio") + ":" + info.get("process_prio"),
                    info);
        }
    }

    /** reloadConfig's answer: [[added, changed, removed]]. */
    private record Changes(List<String> added, List<String> changed, List<String> removed) {
        @SuppressWarnings("unchecked")
        static Changes of(Object result) {
            List<Object> triple = (List<Object>) ((List<Object>) result).get(0);
            return new Changes((List<String>) triple.get(0), (List<String>) triple.get(1),
                    (List<String>) triple.get(2));
        }
    }

    private static void reread(Controller ctl, String arg) throws IOException, XmlRpcFault {
        if (!Commands.noArguments(ctl, "reread", arg)) {
            return;
        }
        Changes changes;
        try {
            changes = Changes.of(ctl.call("reloadConfig"));
        } catch (XmlRpcFault f) {
            ctl.exitStatus(LsbExit.GENERIC);
            if (f.code() == Fault.SHUTDOWN_STATE.code()) {
                ctl.output("ERROR: supervisor shutting down");
            } else if (f.code() == Fault.CANT_REREAD.code()) {
                ctl.output("ERROR: " + f.faultString());
            } else {
                throw f;
            }
            return;
        }
        Map<String, String> byName = new TreeMap<>();
        changes.added().forEach(n -> byName.put(n, "available"));
        changes.changed().forEach(n -> byName.put(n, "changed"));
        changes.removed().forEach(n -> byName.put(n, "disappeared"));
        if (byName.isEmpty()) {
            ctl.output("No config updates to processes");
        }
        byName.forEach((name, change) -> {
            ctl.result(name + ": " + change,
                    Map.of("name", name, "change", change));
        });
    }

    private static void add(Controller ctl, String arg) throws IOException, XmlRpcFault {
        for (String name : ProcessCommands.words(arg)) {
            try {
                ctl.call("addProcessGroup", name);
                groupResult(ctl, name, "added process group");
            } catch (XmlRpcFault f) {
                if (f.code() == Fault.SHUTDOWN_STATE.code()) {
                    ctl.output("ERROR: shutting down");
                    ctl.exitStatus(LsbExit.GENERIC);
                } else if (f.code() == Fault.ALREADY_ADDED.code()) {
                    ctl.output("ERROR: process group already active");
                } else if (f.code() == Fault.BAD_NAME.code()) {
                    ctl.output("ERROR: no such process/group: " + name);
                    ctl.exitStatus(LsbExit.GENERIC);
                } else {
                    ctl.exitStatus(LsbExit.GENERIC);
                    throw f;
                }
            }
        }
    }

    private static void remove(Controller ctl, String arg) throws IOException, XmlRpcFault {
        for (String name : ProcessCommands.words(arg)) {
            try {
                ctl.call("removeProcessGroup", name);
                groupResult(ctl, name, "removed process group");
            } catch (XmlRpcFault f) {
                ctl.exitStatus(LsbExit.GENERIC);
                if (f.code() == Fault.STILL_RUNNING.code()) {
                    ctl.output("ERROR: process/group still running: " + name);
                } else if (f.code() == Fault.BAD_NAME.code()) {
                    ctl.output("ERROR: no such process/group: " + name);
                } else {
                    throw f;
                }
            }
        }
    }

    private static void groupResult(Controller ctl, String group, String what) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", group);
        item.put("result", what);
        ctl.result(group + ": " + what, item);
    }

    /**
     * supervisorctl's update: removed groups are stopped and removed (unless a stop FAILED), changed groups
     * stopped, removed and added again, new groups added; named groups limit it.
     */
    private static void update(Controller ctl, String arg) throws IOException, XmlRpcFault {
        Changes changes;
        try {
            changes = Changes.of(ctl.call("reloadConfig"));
        } catch (XmlRpcFault f) {
            ctl.exitStatus(LsbExit.GENERIC);
            if (f.code() != Fault.SHUTDOWN_STATE.code()) {
                throw f;
            }
            ctl.output("ERROR: already shutting down");
            return;
        }
        Set<String> wanted = new LinkedHashSet<>(ProcessCommands.words(arg));
        if (wanted.contains("all")) {
            wanted.clear();
        }
        if (!wanted.isEmpty()) {
            Set<String> groups = new HashSet<>();
            for (Map<String, Object> info : ProcessCommands.structs(ctl.call("getAllProcessInfo"))) {
                groups.add((String) info.get("group"));
            }
            groups.addAll(changes.added());
            // supervisorctl iterates a Python set here; sorted order makes ours deterministic
            for (String g : new java.util.TreeSet<>(wanted)) {
                if (!groups.contains(g)) {
                    ctl.output("ERROR: no such group: " + g);
                    ctl.exitStatus(LsbExit.GENERIC);
                }
            }
        }
        for (String g : changes.removed()) {
            if (!wanted.isEmpty() && !wanted.contains(g)) {
                continue;
            }
            Object results = ctl.call("stopProcessGroup", g);
            groupResult(ctl, g, "stopped");
            boolean failed = ProcessCommands.structs(results).stream()
                    .anyMatch(r -> ((Integer) r.get("status")) == Fault.FAILED.code());
            if (failed) {
                ctl.output(g + ": has problems; not removing");
                ctl.exitStatus(LsbExit.GENERIC);
                continue;
            }
            ctl.call("removeProcessGroup", g);
            groupResult(ctl, g, "removed process group");
        }
        for (String g : changes.changed()) {
            if (!wanted.isEmpty() && !wanted.contains(g)) {
                continue;
            }
            ctl.call("stopProcessGroup", g);
            groupResult(ctl, g, "stopped");
            ctl.call("removeProcessGroup", g);
            ctl.call("addProcessGroup", g);
            groupResult(ctl, g, "updated process group");
        }
        for (String g : changes.added()) {
            if (!wanted.isEmpty() && !wanted.contains(g)) {
                continue;
            }
            ctl.call("addProcessGroup", g);
            groupResult(ctl, g, "added process group");
        }
    }
}
