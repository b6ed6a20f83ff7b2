package dev.radial.ctl.commands;

import dev.radial.common.radial.OwnGroup;
import dev.radial.common.xmlrpc.XmlRpcFault;
import dev.radial.ctl.Controller;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Wheel-wide scoping ({@link Controller#scope}): every spoke loads every group of the wheel but runs only its own,
 * so across a wheel {@code all} and a bare {@code status} mean that group. Names given explicitly are untouched.
 */
final class Scope {
    private Scope() {
    }

    /** The spoke's own group among the groups of {@code infos} (getAllProcessInfo), if it has one. */
    static Optional<String> ownGroup(Controller ctl, List<Map<String, Object>> infos) {
        Set<String> groups = new LinkedHashSet<>();
        infos.forEach(i -> groups.add((String) i.get("group")));
        return OwnGroup.of(ctl.scope(), groups);
    }

    /**
     * The processes of the own group, in the server's order; when the spoke has none, prints so, sets
     * {@code failStatus} and returns an empty list.
     */
    static List<Map<String, Object>> own(Controller ctl, List<Map<String, Object>> infos, int failStatus) {
        Optional<String> own = ownGroup(ctl, infos);
        if (own.isEmpty()) {
            missing(ctl, failStatus);
            return List.of();
        }
        return infos.stream().filter(i -> own.get().equals(i.get("group"))).toList();
    }

    /**
     * What a command's {@code all} stands for: {@code ["<own group>:*"]} when scoped, else {@code names} as given;
     * null (after printing why and setting {@code failStatus}) when the spoke has no group of its own.
     */
    static List<String> expandAll(Controller ctl, List<String> names, int failStatus) throws IOException, XmlRpcFault {
        if (ctl.scope() == null || !names.contains("all")) {
            return names;
        }
        Optional<String> own = ownGroup(ctl, ProcessCommands.structs(ctl.call("getAllProcessInfo")));
        if (own.isEmpty()) {
            missing(ctl, failStatus);
            return null;
        }
        return List.of(own.get() + ":*");
    }

    private static void missing(Controller ctl, int failStatus) {
        ctl.output("ERROR (no group " + OwnGroup.describe(ctl.scope()) + " on this spoke; --all-groups shows "
                + "every group)");
        ctl.exitStatus(failStatus);
    }
}
