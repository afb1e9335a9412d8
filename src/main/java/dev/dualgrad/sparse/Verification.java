package dev.dualgrad.sparse;

import dev.dualgrad.Diff;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.TensorFunction;
import java.util.SplittableRandom;

/** The checks shared by the sparse transforms: a constant x, and the optional check of a result against one JVP. */
final class Verification {
    private Verification() {}

    /** Relative tolerance of the check: far above rounding (the two routes differ by a few ulps), far below any missing entry. */
    static final double TOLERANCE = 1e-9;

    /** prepare's checks: no null argument, and x a constant. */
    static void preparing(String op, Object f, Tensor x, Object options) {
        dev.dualgrad.internal.engine.Args.nonNull(f, op, "f");
        dev.dualgrad.internal.engine.Args.nonNull(x, op, "x");
        dev.dualgrad.internal.engine.Args.nonNull(options, op, "options");
        constant(op, x);
    }

    /** evaluate's checks: x not null, a constant, and of the prepared shape. */
    static void evaluating(String op, Tensor x, int[] preparedShape, String what) {
        dev.dualgrad.internal.engine.Args.nonNull(x, op, "x");
        constant(op, x);
        if (!java.util.Arrays.equals(x.shape(), preparedShape)) {
            throw new IllegalArgumentException(op + ": x has shape " + java.util.Arrays.toString(x.shape()) + " but the " + what
                    + " was prepared for " + java.util.Arrays.toString(preparedShape) + "; prepare another for that shape");
        }
    }

    static void constant(String op, Tensor x) {
        if (!x.isConstant()) {
            throw new IllegalArgumentException(op + ": x carries a tangent or a tape node of an enclosing transform; a sparse matrix"
                    + " holds plain doubles, so that derivative would be lost. Pass x.detach(), or use the dense transform.");
        }
    }

    /** J·v against the JVP along a random v: a pattern that misses an entry at this x (control flow on values) fails here. */
    static void jacobian(String op, TensorFunction f, Tensor x, SparseMatrix j) {
        double[] v = direction(x.size());
        double[] want = Tensors.buffer(Diff.jvp(f, x, Tensor.of(v, x.shape())).tangent());
        compare(op, want, j, v);
    }

    /** H·v against the Hessian-vector product along a random v. */
    static void hessian(String op, TensorFunction f, Tensor x, SparseMatrix h) {
        double[] v = direction(x.size());
        double[] want = Tensors.buffer(Diff.hvp(f, x, Tensor.of(v, x.shape())));
        compare(op, want, h, v);
    }

    private static double[] direction(int n) {
        SplittableRandom r = new SplittableRandom(0x5eed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextDouble(-1, 1);
        return v;
    }

    private static void compare(String op, double[] want, SparseMatrix m, double[] v) {
        double[] got = m.multiply(v);
        double[] scale = new double[want.length]; // Σⱼ |Mᵢⱼ vⱼ|: the size of the rounding in row i
        m.forEach((i, j, value) -> scale[i] += Math.abs(value * v[j]));
        for (int i = 0; i < want.length; i++) {
            if (want[i] == got[i] || (Double.isNaN(want[i]) && Double.isNaN(got[i]))) continue; // also equal infinities
            double err = Math.abs(want[i] - got[i]);
            if (!(err <= TOLERANCE * Math.max(scale[i], Math.abs(want[i])) + Double.MIN_NORMAL)) {
                throw new IllegalStateException(String.format(java.util.Locale.ROOT, "%s: verification failed at row %d: the product with a"
                        + " random direction is %.17g by the sparse matrix but %.17g by a direct JVP. The pattern detected where this was"
                        + " prepared does not hold at this x (does f branch on values?); prepare it again here.", op, i, got[i], want[i]));
            }
        }
    }
}
