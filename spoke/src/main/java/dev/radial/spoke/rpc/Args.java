package dev.radial.spoke.rpc;

import dev.radial.common.xmlrpc.Fault;
import dev.radial.common.xmlrpc.XmlRpc;
import dev.radial.common.xmlrpc.XmlRpcFault;
import dev.radial.spoke.logging.DebugOutput;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Typed access to XML-RPC arguments as supervisord's methods see them; a wrong type is INCORRECT_PARAMETERS.
 * Integers go through Python's {@code int()}: a double is truncated toward zero, a boolean is 1 or 0, a string
 * of digits is parsed. Stateless.
 */
final class Args {
    private static final java.math.BigInteger MIN_INT = java.math.BigInteger.valueOf(Integer.MIN_VALUE);
    private static final java.math.BigInteger MAX_INT = java.math.BigInteger.valueOf(Integer.MAX_VALUE);

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
        if (v instanceof Long || v instanceof java.math.BigInteger) {
            return nearestInt((Number) v);
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof Double d && !d.isNaN() && d > Integer.MIN_VALUE - 1.0 && d < Integer.MAX_VALUE + 1.0) {
            return (int) d.doubleValue(); // truncation toward zero, as int(10.7) == 10
        }
        if (v instanceof String s) { // what supervisord's parser makes of <i8>5</i8>, or a string
            try {
                return nearestInt(XmlRpc.pythonInt(s));
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new XmlRpcFault(Fault.INCORRECT_PARAMETERS, "argument " + (i + 1) + " must be an integer");
    }

    /**
     * A Python int of any size as the nearest int: as an offset or a length beyond 2 GiB it asks for the same as
     * that int does, since no log a spoke keeps is that long.
     */
    private static int nearestInt(Number n) {
        java.math.BigInteger big = n instanceof java.math.BigInteger b ? b : java.math.BigInteger.valueOf(n.longValue());
        return big.max(MIN_INT).min(MAX_INT).intValue();
    }

    /** Optional boolean (wait=True by default); Python accepts any truthy value. */
    static boolean flag(List<Object> args, int i, boolean dflt) {
        if (args.size() <= i) {
            return dflt;
        }
        Object v = args.get(i);
        if (v == null) {
            return false; // <nil/>: None is false
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Integer n) {
            return n != 0;
        }
        if (v instanceof Long n) {
            return n != 0;
        }
        if (v instanceof java.math.BigInteger n) {
            return n.signum() != 0;
        }
        if (v instanceof Double d) {
            return d != 0.0;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof List<?> l) {
            return !l.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }

    /** Python's {@code str()} of an XML-RPC value, as supervisord puts a rejected argument in a fault string. */
    static String pyStr(Object v) {
        return v instanceof String s ? s : pyRepr(v);
    }

    private static String pyRepr(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof String s) {
            return DebugOutput.str(s);
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof Double d) {
            return floatRepr(d);
        }
        if (v instanceof byte[] b) {
            return DebugOutput.bytes(b);
        }
        if (v instanceof List<?> l) {
            StringBuilder out = new StringBuilder("[");
            for (Object o : l) {
                out.append(out.length() > 1 ? ", " : "").append(pyRepr(o));
            }
            return out.append(']').toString();
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder out = new StringBuilder("{");
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.append(out.length() > 1 ? ", " : "").append(pyRepr(e.getKey())).append(": ")
                        .append(pyRepr(e.getValue()));
            }
            return out.append('}').toString();
        }
        return String.valueOf(v);
    }

    /** Python's repr(float): shortest digits, fixed notation for exponents -4..15, else d.ddde+XX. */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        String sign = (d < 0 || (d == 0 && 1 / d < 0)) ? "-" : "";
        if (d == 0) {
            return sign + "0.0";
        }
        double abs = Math.abs(d);
        BigDecimal bd = new BigDecimal(Double.toString(abs)).stripTrailingZeros();
        // Java may keep a digit more than needed (4.9E-324): take the shortest rounding that reads back the same
        for (int n = 1; n < bd.precision(); n++) {
            BigDecimal shorter = bd.round(new java.math.MathContext(n, java.math.RoundingMode.HALF_EVEN));
            if (shorter.doubleValue() == abs) {
                bd = shorter.stripTrailingZeros();
                break;
            }
        }
        String digits = bd.unscaledValue().toString();
        int exp = digits.length() - 1 - bd.scale();
        if (exp >= -4 && exp < 16) {
            String plain = bd.toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
}
