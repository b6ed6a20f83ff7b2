package dev.radial.spoke.rpc;

import dev.radial.common.config.ConfigException;
import dev.radial.common.config.GroupConfig;
import dev.radial.common.config.SupervisorConfig;
import dev.radial.common.states.SupervisorState;
import dev.radial.common.xmlrpc.Fault;
import dev.radial.common.xmlrpc.XmlRpcFault;
import dev.radial.spoke.engine.Engine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The daemon and its configuration: getState, reloadConfig, add/removeProcessGroup. Engine thread only. */
final class DaemonMethods {
    private final Engine engine;
    private final SupervisorRpc.Reloader reloader;

    DaemonMethods(Engine engine, SupervisorRpc.Reloader reloader) {
        this.engine = engine;
        this.reloader = reloader;
    }

    Map<String, Object> state() {
        SupervisorState s = engine.supervisorState();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("statecode", s.code());
        m.put("statename", s.name());
        return m;
    }

    List<Object> reloadConfig() throws XmlRpcFault {
        SupervisorConfig fresh;
        try {
            fresh = reloader.reload();
        } catch (ConfigException e) {
            throw new XmlRpcFault(Fault.CANT_REREAD, e.getMessage());
        }
        engine.config(fresh);
        Map<String, GroupConfig> cur = new LinkedHashMap<>();
        engine.groups().values().forEach(g -> cur.put(g.name(), g.config()));
        List<Object> added = new ArrayList<>();
        List<Object> changed = new ArrayList<>();
        List<Object> removed = new ArrayList<>();
        for (GroupConfig g : fresh.groups()) {
            if (!cur.containsKey(g.name())) {
                added.add(g.name());
            } else if (!cur.get(g.name()).equals(g)) {
                changed.add(g.name());
            }
        }
        for (String name : cur.keySet()) {
            if (fresh.group(name).isEmpty()) {
                removed.add(name);
            }
        }
        return List.of(List.of(added, changed, removed));
    }

    boolean addProcessGroup(String name) throws XmlRpcFault {
        for (GroupConfig g : engine.config().groups()) {
            if (g.name().equals(name)) {
                if (!engine.addGroup(g)) {
                    throw new XmlRpcFault(Fault.ALREADY_ADDED, name);
                }
                return true;
            }
        }
        throw new XmlRpcFault(Fault.BAD_NAME, name);
    }

    boolean removeProcessGroup(String name) throws XmlRpcFault {
        if (!engine.groups().containsKey(name)) {
            throw new XmlRpcFault(Fault.BAD_NAME, name);
        }
        if (!engine.removeGroup(name)) {
            throw new XmlRpcFault(Fault.STILL_RUNNING, name);
        }
        return true;
    }
}
