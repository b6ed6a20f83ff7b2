package dev.radial.spoke.rpc;

import dev.radial.common.xmlrpc.Fault;
import dev.radial.common.xmlrpc.XmlRpcFault;
import dev.radial.spoke.engine.Engine;
import dev.radial.spoke.process.ProcessGroup;
import dev.radial.spoke.process.Subprocess;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** supervisord's name lookups over the engine's groups. Engine thread only (it reads the engine's live maps). */
final class Lookup {
    record Target(ProcessGroup group, Subprocess process) {
    }

    private final Engine engine;

    Lookup(Engine engine) {
        this.engine = engine;
    }

    /** supervisord's _getGroupAndProcess: "name", "group:name", "group:" or "group:*". */
    Target find(String namespec) throws XmlRpcFault {
        String groupName;
        String processName;
        int colon = namespec.indexOf(':');
        if (colon >= 0) {
            groupName = namespec.substring(0, colon);
            processName = namespec.substring(colon + 1);
            if (processName.isEmpty() || processName.equals("*")) {
                processName = null;
            }
        } else {
            groupName = namespec;
            processName = namespec;
        }
        ProcessGroup g = engine.groups().get(groupName);
        if (g == null) {
            throw new XmlRpcFault(Fault.BAD_NAME, namespec);
        }
        if (processName == null) {
            return new Target(g, null);
        }
        Subprocess p = g.processes().get(processName);
        if (p == null) {
            throw new XmlRpcFault(Fault.BAD_NAME, namespec);
        }
        return new Target(g, p);
    }

    /** One process by namespec; a group name alone is BAD_NAME. */
    Subprocess process(String name) throws XmlRpcFault {
        Target t = find(name);
        if (t.process() == null) {
            throw new XmlRpcFault(Fault.BAD_NAME, name);
        }
        return t.process();
    }

    ProcessGroup group(String name) throws XmlRpcFault {
        ProcessGroup g = engine.groups().get(name);
        if (g == null) {
            throw new XmlRpcFault(Fault.BAD_NAME, name);
        }
        return g;
    }

    static String namespec(String group, String process) {
        return group.equals(process) ? process : group + ":" + process;
    }

    static String spec(Subprocess p) {
        return namespec(p.group(), p.name());
    }

    /** Processes as supervisord's _getAllProcesses: groups by (priority, name), or lexically. */
    List<Subprocess> all(boolean lexical) {
        List<ProcessGroup> groups = new ArrayList<>(engine.groups().values());
        if (lexical) {
            groups.sort(Comparator.comparing(ProcessGroup::name));
        } else {
            groups = engine.sortedGroups();
        }
        List<Subprocess> out = new ArrayList<>();
        for (ProcessGroup g : groups) {
            List<Subprocess> ps = lexical ? new ArrayList<>(g.processes().values()) : g.sorted();
            if (lexical) {
                ps.sort(Comparator.comparing(Subprocess::name));
            }
            out.addAll(ps);
        }
        return out;
    }
}
