package dev.radial.spoke.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.radial.common.testing.Reference;
import dev.radial.common.xmlrpc.XmlRpcFault;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Python's int() and str() as supervisord applies them to XML-RPC arguments, against Python itself. */
class ArgsTest {
    private static List<String> python(String expressionOfX, List<Double> xs) throws Exception {
        StringBuilder values = new StringBuilder("[");
        for (double x : xs) {
            values.append("float.fromhex('").append(Double.toHexString(x)).append("'),");
        }
        String script = "for x in " + values + "]:\n    print(" + expressionOfX + ")\n";
        Reference.Run r = Reference.run(List.of(Reference.PYTHON.toString(), "-c", script), null, null, 60);
        assertEquals(0, r.exit(), r.stderr());
        return r.stdout().lines().toList();
    }

    private static List<Double> doubles() {
        List<Double> xs = new ArrayList<>(List.of(0.0, -0.0, 1.0, -1.5, 10.7, -10.7, 0.1, 1e-4, 1e-5, 0.00012345,
                123456789012345.6, 1e15, 1e16, 1.5e16, 1e20, 1e300, 5e-324, Double.MAX_VALUE, 2147483647.9,
                -2147483648.9, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.0 / 3, 100.0));
        Random random = new Random(7);
        for (int i = 0; i < 100; i++) {
            xs.add(Double.longBitsToDouble(random.nextLong()));
            xs.add(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
        }
        return xs;
    }

    @Test
    void floatReprIsPythons() throws Exception {
        List<Double> xs = doubles();
        List<String> expected = python("repr(x)", xs);
        for (int i = 0; i < xs.size(); i++) {
            assertEquals(expected.get(i), Args.floatRepr(xs.get(i)), Double.toHexString(xs.get(i)));
        }
    }

    @Test
    void integerArgumentsAreIntOfTheValue() throws Exception {
        List<Double> xs = doubles().stream().filter(d -> !d.isNaN() && !d.isInfinite()
                && Math.abs(d) < 2147483648.0).toList();
        List<String> expected = python("int(x)", xs);
        for (int i = 0; i < xs.size(); i++) {
            assertEquals(Integer.parseInt(expected.get(i)), Args.integer(List.of(xs.get(i)), 0));
        }
        assertEquals(1, Args.integer(List.of(true), 0));
        assertEquals(0, Args.integer(List.of(false), 0));
        assertEquals(12, Args.integer(List.of(" 1_2 "), 0));
    }

    /** A Python int beyond 32 bits (a big {@code <int>}, or such digits as a string) is the nearest int; None is false. */
    @Test
    void integersOfAnySizeAreTheNearestIntAndNoneIsFalse() throws Exception {
        assertEquals(Integer.MAX_VALUE, Args.integer(List.of(99_999_999_999L), 0));
        assertEquals(Integer.MIN_VALUE, Args.integer(List.of(-99_999_999_999L), 0));
        assertEquals(Integer.MAX_VALUE, Args.integer(List.of(java.math.BigInteger.TEN.pow(30)), 0));
        assertEquals(Integer.MIN_VALUE, Args.integer(List.of(java.math.BigInteger.TEN.pow(30).negate()), 0));
        assertEquals(7, Args.integer(List.of(7L), 0));
        java.util.List<Object> none = new ArrayList<>();
        none.add(null);
        assertEquals(false, Args.flag(none, 0, true));
        assertEquals(false, Args.flag(List.of(0L), 0, true));
        assertEquals(true, Args.flag(List.of(java.math.BigInteger.TWO.pow(70)), 0, false));
        // supervisord's parser gives <i8>99999999999</i8> as a string, which int() reads
        assertEquals(Integer.MAX_VALUE, Args.integer(List.of("99999999999"), 0));
        assertEquals(-5, Args.integer(List.of(" -5 "), 0));
    }

    @Test
    void outOfRangeOrNonNumbersAreIncorrectParameters() {
        for (Object v : List.<Object>of(Double.NaN, 1e10, Double.NEGATIVE_INFINITY, "x", List.of(1))) {
            XmlRpcFault f = org.junit.jupiter.api.Assertions.assertThrows(XmlRpcFault.class,
                    () -> Args.integer(List.of(v), 0));
            assertEquals(2, f.code());
        }
    }
}
