package dev.radial.ctl.commands;

import dev.radial.common.states.ProcessState;
import dev.radial.common.xmlrpc.XmlRpcFault;
import dev.radial.ctl.Controller;
import dev.radial.ctl.LsbExit;
import dev.radial.ctl.Namespec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code health} (ours, not in supervisorctl's help list): the container's health check. Exits 0 when the spoke
 * answers and every selected process is up as {@code status} counts it (not STOPPED, EXITED or FATAL) and, when
 * it has health probes, RUNNING with every probe healthy; 1 otherwise (Docker's "unhealthy"), also when the spoke
 * does not answer or a name matches nothing. Prints one line per process: name, verdict, the probes' outcomes.
 */
final class HealthCommands {
    static final String HELP = """
            health\t\t\tExit 0 if every process is up and its probes healthy, else 1
            health <name>\t\tThe same for one process
            health <gname>:*\t\tThe same for every process of a group""";

    private HealthCommands() {
    }

    static List<Command> all() {
        return List.of(Command.of("health", HELP, HealthCommands::health));
    }

    private static void health(Controller ctl, String arg) throws IOException, XmlRpcFault {
        if (!ctl.upcheck()) {
            ctl.exitStatus(LsbExit.GENERIC);
            return;
        }
        List<Map<String, Object>> all = ProcessCommands.structs(ctl.call("getAllProcessInfo"));
        List<String> names = ProcessCommands.words(arg);
        List<Map<String, Object>> matching = new ArrayList<>();
        boolean failed = false;
        if (names.isEmpty() || names.contains("all")) {
            matching.addAll(ctl.scope() == null ? all : Scope.own(ctl, all, LsbExit.GENERIC));
            failed = ctl.scope() != null && matching.isEmpty();
        } else {
            for (String name : names) {
                Namespec spec = Namespec.split(name);
                List<Map<String, Object>> found = all.stream().filter(i -> i.get("group").equals(spec.group())
                        && (spec.process() == null || i.get("name").equals(spec.process()))).toList();
                if (found.isEmpty()) {
                    ctl.output(spec.process() == null ? spec.group() + ": ERROR (no such group)"
                            : name + ": ERROR (no such process)");
                    failed = true;
                }
                matching.addAll(found);
            }
        }
        int width = 30;
        for (Map<String, Object> info : matching) {
            width = Math.max(width, Namespec.make((String) info.get("group"), (String) info.get("name")).length());
        }
        for (Map<String, Object> info : matching) {
            String verdict = verdict(info);
            if (!verdict.equals("healthy")) {
                failed = true;
            }
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("group", info.get("group"));
            record.put("name", info.get("name"));
            record.put("statename", info.get("statename"));
            record.put("health", verdict);
            record.put("health_description", info.getOrDefault("health_description", ""));
            String spec = Namespec.make((String) info.get("group"), (String) info.get("name"));
            Object why = info.getOrDefault("health_description", "");
            ctl.result(ProcessCommands.pad(spec, width + 3) + ProcessCommands.pad(verdict, 11)
                    + (why.toString().isEmpty() ? info.get("statename") : why), record);
        }
        if (failed) {
            ctl.exitStatus(LsbExit.GENERIC);
        }
    }

    /**
     * healthy, unhealthy, unknown (a probe has no verdict yet), or "down" (not up as status counts it, or a probed
     * process not RUNNING).
     */
    static String verdict(Map<String, Object> info) {
        ProcessState s = ProcessState.fromCode((Integer) info.get("state"));
        Object h = info.get("health");
        if (h == null || h.toString().isEmpty()) {
            return s.isStopped() ? "down" : "healthy";
        }
        if (s != ProcessState.RUNNING) {
            return "down";
        }
        return h.toString();
    }
}
