package dev.radial.spoke.rpc;

import dev.radial.common.xmlrpc.Fault;
import dev.radial.common.xmlrpc.XmlRpcFault;
import java.util.List;

/** Typed access to XML-RPC arguments; a wrong type is INCORRECT_PARAMETERS. */
final class Args {
    private Args() {
    }

    static String string(List<Object> args, int i) throws XmlRpcFault {
        Object v = args.get(i);
        if (v instanceof String s) {
            return s;
        }
        throw new XmlRpcFault(Fault.INCORRECT_PARAMETERS, "argument " + (i + 1) + " must be a string");
    }

    static int integer(List<Object> args, int i) throws XmlRpcFault {
        Object v = args.get(i);
        if (v instanceof Integer n) {
            return n;
        }
        if (v instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new XmlRpcFault(Fault.INCORRECT_PARAMETERS, "argument " + (i + 1) + " must be an integer");
    }

    /** Optional boolean (wait=True by default); Python accepts any truthy value. */
    static boolean flag(List<Object> args, int i, boolean dflt) {
        if (args.size() <= i) {
            return dflt;
        }
        Object v = args.get(i);
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Integer n) {
            return n != 0;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        return true;
    }
}
