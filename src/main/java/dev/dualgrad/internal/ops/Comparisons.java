package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;

/**
 * Comparisons and other ops whose output is a constant: 1.0 where the relation holds, 0.0 elsewhere
 * (NaN compares false). They never carry a tangent or a tape node; masks built from them are constants
 * in derivative rules.
 */
public final class Comparisons {
    private Comparisons() {}

    private abstract static class Constant extends BinaryOp {
        Constant(String name) { super(name); }
        @Override public boolean differentiable() { return false; }
        @Override public Reads vjpReads() { return Reads.NOTHING; } // never recorded: the output is a constant
        @Override public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) { return null; }
        @Override public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) { return new Tensor[2]; }
    }

    public static final BinaryOp GT = new Constant("gt") {
        public void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int oo, int n) {
            for (int i = 0; i < n; i++) y[oo + i] = a[ao + i * as] > b[bo + i * bs] ? 1 : 0;
        }
    };
    public static final BinaryOp GE = new Constant("ge") {
        public void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int oo, int n) {
            for (int i = 0; i < n; i++) y[oo + i] = a[ao + i * as] >= b[bo + i * bs] ? 1 : 0;
        }
    };
    public static final BinaryOp LT = new Constant("lt") {
        public void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int oo, int n) {
            for (int i = 0; i < n; i++) y[oo + i] = a[ao + i * as] < b[bo + i * bs] ? 1 : 0;
        }
    };
    public static final BinaryOp LE = new Constant("le") {
        public void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int oo, int n) {
            for (int i = 0; i < n; i++) y[oo + i] = a[ao + i * as] <= b[bo + i * bs] ? 1 : 0;
        }
    };
    public static final BinaryOp EQ = new Constant("eq") {
        public void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int oo, int n) {
            for (int i = 0; i < n; i++) y[oo + i] = a[ao + i * as] == b[bo + i * bs] ? 1 : 0;
        }
    };

    /** −1, 0, +1, NaN for NaN; a constant. */
    public static Tensor sign(Tensor x) {
        double[] d = Tensors.buffer(x);
        double[] y = new double[d.length];
        for (int i = 0; i < d.length; i++) y[i] = Math.signum(d[i]);
        return Tensors.adopt(y, x.shape());
    }

    /** Index of the maximum along the last axis for each row (the first at a tie; NaN rows give the NaN's index). */
    public static int[] argmax(Tensor x) {
        return argBest("argmax", x, false);
    }

    /** Index of the minimum along the last axis for each row, with argmax's conventions (the first at a tie, the first NaN). */
    public static int[] argmin(Tensor x) {
        return argBest("argmin", x, true);
    }

    private static int[] argBest(String op, Tensor x, boolean min) {
        if (x.rank() == 0) throw new IllegalArgumentException(op + ": a scalar has no axis to search");
        int c = x.dim(-1);
        if (c == 0) throw new IllegalArgumentException(op + ": the last axis of shape " + java.util.Arrays.toString(x.shape()) + " is empty");
        double[] d = Tensors.buffer(x);
        int[] r = new int[d.length / c];
        for (int i = 0; i < r.length; i++) {
            int best = 0;
            for (int j = 1; j < c; j++) {
                double v = d[i * c + j], b = d[i * c + best];
                if (Double.isNaN(b)) break;
                if ((min ? v < b : v > b) || Double.isNaN(v)) best = j;
            }
            r[i] = best;
        }
        return r;
    }
}
