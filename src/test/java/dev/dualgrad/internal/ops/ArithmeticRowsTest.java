package dev.dualgrad.internal.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The row kernels of add, sub, mul and div (vector lanes where the Vector API is loaded, a scalar tail) against
 * Java's own operators, element by element: every stride pattern a broadcast row can have, offsets that put the
 * lanes anywhere in the arrays, lengths below, at and above a vector, and operands from every IEEE class.
 */
class ArithmeticRowsTest {
    private static final double[] SPECIALS = {0.0, -0.0, 1.5, -2.0, 3e-320, -1e308, 1e308, Double.MIN_NORMAL,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};

    private static double[] operand(int n, SplittableRandom r) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = r.nextInt(3) == 0 ? SPECIALS[r.nextInt(SPECIALS.length)] : r.nextDouble() * 8 - 4;
        return x;
    }

    @Test
    void everyStridePatternAndOffsetGivesJavasValues() {
        BinaryOp[] ops = {BinaryOps.ADD, BinaryOps.SUB, BinaryOps.MUL, BinaryOps.DIV};
        DoubleBinaryOperator[] java = {(u, v) -> u + v, (u, v) -> u - v, (u, v) -> u * v, (u, v) -> u / v};
        int[][] strides = {{1, 1}, {1, 0}, {0, 1}, {2, 1}, {1, 3}, {0, 2}};
        SplittableRandom r = new SplittableRandom(5);
        for (int k = 0; k < ops.length; k++) {
            for (int[] s : strides) {
                for (int n : new int[] {0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 33, 64, 1003}) {
                    int ao = r.nextInt(5), bo = r.nextInt(5), oo = r.nextInt(5);
                    double[] a = operand(ao + 3 * n + 1, r), b = operand(bo + 3 * n + 1, r);
                    double[] y = new double[oo + n + 2];
                    y[0] = 42; // outside [oo, oo + n): must stay as it was
                    y[oo + n] = 43;
                    ops[k].row(a, ao, s[0], b, bo, s[1], y, oo, n);
                    for (int i = 0; i < n; i++) {
                        double u = a[ao + i * s[0]], v = b[bo + i * s[1]];
                        String what = ops[k].name() + " strides " + s[0] + "," + s[1] + " n " + n + " at " + i + ": " + u + ", " + v;
                        // NaN payloads are not Java values: doubleToLongBits folds them, and keeps -0.0 apart from 0.0
                        assertEquals(Double.doubleToLongBits(java[k].applyAsDouble(u, v)), Double.doubleToLongBits(y[oo + i]), what);
                    }
                    if (oo > 0) assertEquals(42, y[0], "written before the row");
                    assertEquals(43, y[oo + n], "written past the row");
                }
            }
        }
    }
}
