package dev.dualgrad.internal.transforms;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.transforms.JacobianResult;
import dev.dualgrad.transforms.MultiTensorFunction;

import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.util.Locale;

/**
 * The dot-product test between the modes: for random u (shaped like the output) and v (like the
 * inputs), ⟨u, J·v⟩ from one forward pass must equal ⟨uᵀJ, v⟩ from one reverse sweep, and both must
 * equal uᵀJv from an assembled Jacobian. No finite differences are involved, so a disagreement means a
 * wrong rule, not a step size.
 */
public final class DotProductCheck {
    /** Relative tolerance against Σ|u||J||v|: rounding only. */
    public static final double TOLERANCE = 1e-9;

    private DotProductCheck() {}

    static void verify(String op, MultiTensorFunction f, Tensor[] xs, JacobianResult r) {
        Tensor[] x = Jacobians.detached(xs);
        Tensor y = f.apply(x);
        Tensor u = TensorRandom.seed(0x5eed).normal(y.shape());
        Tensor[] v = new Tensor[x.length];
        for (int i = 0; i < x.length; i++) v[i] = TensorRandom.seed(0x5eed + 1 + i).normal(x[i].shape());
        double fwd = dot(u, Forward.jvp(op, f, x, v, false).tangent());
        Tensor[] pulled = Reverse.vjp(op, f, x).sweep(u);
        double rev = 0, mat = 0, scale = 0;
        double[] ud = Tensors.buffer(u);
        for (int i = 0; i < x.length; i++) {
            rev += dot(pulled[i], v[i]);
            double[] j = Tensors.buffer(r.get(i)), vd = Tensors.buffer(v[i]);
            int n = vd.length;
            for (int a = 0; a < ud.length; a++) {
                for (int b = 0; b < n; b++) {
                    double t = ud[a] * j[a * n + b] * vd[b];
                    mat += t;
                    scale += Math.abs(t);
                }
            }
        }
        double tol = TOLERANCE * (scale + Math.abs(fwd) + Double.MIN_NORMAL);
        if (!(Math.abs(fwd - rev) <= tol && Math.abs(fwd - mat) <= tol)) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s: verify failed: ⟨u, J·v⟩ by a forward pass = %.17g, ⟨uᵀJ, v⟩ by a reverse sweep = %.17g, uᵀJv from the %s-mode"
                            + " Jacobian = %.17g; they must agree to %.3g. A forward or reverse rule of some op in f is wrong"
                            + " (Diff.check(f, x) shows where).", op, fwd, rev, r.plan().mode(), mat, tol));
        }
    }

    static double dot(Tensor a, Tensor b) {
        double[] x = Tensors.buffer(a), y = Tensors.buffer(b);
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * y[i];
        return s;
    }
}
