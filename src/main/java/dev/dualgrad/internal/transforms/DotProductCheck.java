package dev.dualgrad.internal.transforms;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.transforms.JacobianResult;
import dev.dualgrad.transforms.MultiTensorFunction;

import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.util.Locale;

/**
 * The dot-product test between the modes: for u shaped like the output and v like the inputs,
 * ⟨u, J·v⟩ from one forward pass must equal ⟨uᵀJ, v⟩ from one reverse sweep to rounding
 * ({@link Tolerances#dotProduct}). No finite differences are involved, so a disagreement means a wrong
 * rule, not a step size. The gradient checker runs it along random directions; {@code JacobianOptions.verify}
 * runs it once and also compares uᵀJv from the assembled Jacobian.
 */
public final class DotProductCheck {
    private DotProductCheck() {}

    /**
     * One dot-product test.
     *
     * @param jv J·v, shaped like the output
     * @param ujt uᵀJᵢ for each input i
     * @param forward ⟨u, J·v⟩
     * @param reverse ⟨uᵀJ, v⟩ = Σᵢ ⟨uᵀJᵢ, vᵢ⟩
     * @param scale Σ|u_k (J·v)_k| + Σᵢ Σ|(uᵀJᵢ)_k vᵢ_k|: the size of the terms both sums add up
     */
    record Dot(Tensor jv, Tensor[] ujt, double forward, double reverse, double scale) {}

    /** ⟨u, J·v⟩ by one forward pass and ⟨uᵀJ, v⟩ by one reverse sweep of f at xs. */
    static Dot of(String op, MultiTensorFunction f, Tensor[] xs, Tensor u, Tensor[] v) {
        Tensor jv = Forward.jvp(op, f, xs, v, false).tangent();
        Tensor[] ujt = Reverse.vjp(op, f, xs).sweep(u);
        double[] ud = Tensors.buffer(u), a = Tensors.buffer(jv);
        double fwd = 0, rev = 0, scale = 0;
        for (int i = 0; i < xs.length; i++) {
            double[] g = Tensors.buffer(ujt[i]), vd = Tensors.buffer(v[i]);
            for (int k = 0; k < vd.length; k++) {
                double t = g[k] * vd[k];
                rev += t;
                scale += Math.abs(t);
            }
        }
        for (int k = 0; k < a.length; k++) {
            double t = ud[k] * a[k];
            fwd += t;
            scale += Math.abs(t);
        }
        return new Dot(jv, ujt, fwd, rev, scale);
    }

    /**
     * {@code JacobianOptions.verify}: for random u and v, ⟨u, J·v⟩ (forward pass), ⟨uᵀJ, v⟩ (reverse sweep)
     * and uᵀJv from the assembled Jacobian must agree to {@link Tolerances#dotProduct} of all their terms.
     *
     * @throws IllegalStateException when they do not
     */
    static void verify(String op, MultiTensorFunction f, Tensor[] xs, JacobianResult r) {
        Tensor[] x = Jacobians.detached(xs);
        Tensor y = f.apply(x);
        Tensor u = TensorRandom.seed(0x5eed).normal(y.shape());
        Tensor[] v = new Tensor[x.length];
        for (int i = 0; i < x.length; i++) v[i] = TensorRandom.seed(0x5eed + 1 + i).normal(x[i].shape());
        Dot dot = of(op, f, x, u, v);
        double mat = 0, scale = dot.scale();
        double[] ud = Tensors.buffer(u);
        for (int i = 0; i < x.length; i++) {
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
        double tol = Tolerances.dotProduct(scale), fwd = dot.forward(), rev = dot.reverse();
        if (!(Double.isFinite(fwd) && Double.isFinite(rev) && Double.isFinite(mat) && Double.isFinite(tol))) {
            // Non-finite numbers cannot be compared: say where they come from instead of blaming a rule.
            String where = null;
            for (int i = 0; i < x.length && where == null; i++) where = nonFinite(x[i], x.length == 1 ? "the input" : "input " + i);
            if (where == null) where = nonFinite(y, "the output f(x)");
            for (int i = 0; i < x.length && where == null; i++) where = nonFinite(r.get(i), "the Jacobian" + (x.length == 1 ? "" : " of input " + i));
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s: verify cannot check this Jacobian: %s, so the dot products (forward %.17g, reverse %.17g, from the Jacobian %.17g)"
                            + " are not finite and cannot be compared. This says nothing about the rules; verify at a point where f"
                            + " and its derivatives are finite.", op, where == null ? "a product overflowed" : where, fwd, rev, mat));
        }
        if (!(Math.abs(fwd - rev) <= tol && Math.abs(fwd - mat) <= tol)) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s: verify failed: ⟨u, J·v⟩ by a forward pass = %.17g, ⟨uᵀJ, v⟩ by a reverse sweep = %.17g, uᵀJv from the %s-mode"
                            + " Jacobian = %.17g; they must agree to %.3g. A forward or reverse rule of some op in f is wrong"
                            + " (Diff.check(f, x) shows where).", op, fwd, rev, r.plan().mode(), mat, tol));
        }
    }

    /** "where holds NaN at element k" for the first non-finite element, or null when every element is finite. */
    private static String nonFinite(Tensor t, String where) {
        double[] d = Tensors.buffer(t);
        for (int k = 0; k < d.length; k++) {
            if (!Double.isFinite(d[k])) return where + " holds " + d[k] + " at element " + k;
        }
        return null;
    }
}
