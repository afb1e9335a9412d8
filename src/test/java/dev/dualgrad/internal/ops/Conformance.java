package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Tensors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.internal.transforms.FiniteDifferences;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.MultiTensorFunction;
import java.util.Arrays;
import java.util.Locale;

/**
 * The checks every registered op must pass, on given inputs. Each throws an AssertionError that names
 * the op, the inputs and the worst element.
 */
final class Conformance {
    static final double H = 1e-6, ATOL = 1e-5, RTOL = 1e-3;

    private Conformance() {}

    static Tensor[] directions(Tensor[] xs, long seed) {
        Tensor[] v = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) v[i] = TensorRandom.seed(seed + i).normal(xs[i].shape());
        return v;
    }

    static String describe(OpSpec spec, Tensor[] xs) {
        StringBuilder sb = new StringBuilder(spec.name());
        for (Tensor x : xs) sb.append("\n  input ").append(x);
        return sb.toString();
    }

    static void close(String what, OpSpec spec, Tensor[] xs, Tensor analytic, Tensor numeric) {
        double[] a = Tensors.buffer(analytic), n = Tensors.buffer(numeric);
        assertArrayEquals(numeric.shape(), analytic.shape(), what + ": shapes differ for " + describe(spec, xs));
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - n[i]) <= ATOL + RTOL * Math.abs(n[i]))) {
                fail(String.format(Locale.ROOT, "%s: element %d is %.12g analytically but %.12g by finite differences (tolerance %.1g + %.1g·|n|)\n%s",
                        what, i, a[i], n[i], ATOL, RTOL, describe(spec, xs)));
            }
        }
    }

    /** Every derivative check of this class on one case. */
    static void allChecks(OpSpec spec, Tensor[] xs, long seed) {
        jvpMatchesFiniteDifferences(spec, xs, seed);
        dotProductTest(spec, xs, seed);
        jacobiansAgree(spec, xs);
        secondOrderMatchesFiniteDifferences(spec, xs, seed);
        hvpAndHessianMatchFiniteDifferences(spec, xs, seed);
    }

    /** 1. The JVP along random v against central finite differences. */
    static void jvpMatchesFiniteDifferences(OpSpec spec, Tensor[] xs, long seed) {
        MultiTensorFunction f = spec::apply;
        Tensor[] v = directions(xs, seed);
        Tensor t = Diff.jvp(f, xs, v).tangent();
        close("JVP vs finite differences", spec, xs, t, FiniteDifferences.directional(f, xs, v, H));
    }

    /** 2. ⟨w, J v⟩ by a forward pass equals ⟨Jᵀ w, v⟩ by a reverse sweep, to rounding. */
    static void dotProductTest(OpSpec spec, Tensor[] xs, long seed) {
        MultiTensorFunction f = spec::apply;
        Tensor[] v = directions(xs, seed);
        Tensor jv = Diff.jvp(f, xs, v).tangent();
        Tensor w = TensorRandom.seed(seed + 1000).normal(jv.shape());
        Tensor[] jtw = Diff.vjp(f, xs).applyAll(w).toArray();
        double fwd = 0, rev = 0, scale = 0;
        for (int i = 0; i < jv.size(); i++) {
            fwd += Tensors.buffer(w)[i] * Tensors.buffer(jv)[i];
            scale += Math.abs(Tensors.buffer(w)[i] * Tensors.buffer(jv)[i]);
        }
        for (int k = 0; k < xs.length; k++) {
            for (int i = 0; i < v[k].size(); i++) {
                rev += Tensors.buffer(jtw[k])[i] * Tensors.buffer(v[k])[i];
                scale += Math.abs(Tensors.buffer(jtw[k])[i] * Tensors.buffer(v[k])[i]);
            }
        }
        if (!(Math.abs(fwd - rev) <= 1e-10 * scale + 1e-14)) {
            fail(String.format(Locale.ROOT, "dot-product test: ⟨w, Jv⟩ = %.17g by forward but ⟨Jᵀw, v⟩ = %.17g by reverse\n%s", fwd, rev, describe(spec, xs)));
        }
    }

    /** 3. The forward Jacobian equals the reverse Jacobian; 4. neither depends on the chunk size, bitwise. */
    static void jacobiansAgree(OpSpec spec, Tensor[] xs) {
        MultiTensorFunction f = spec::apply;
        JacobianOptions o = JacobianOptions.defaults();
        Tensor[] fwd = Diff.jacobian(f, xs, o.mode(JacobianMode.FORWARD)).toArray();
        Tensor[] rev = Diff.jacobian(f, xs, o.mode(JacobianMode.REVERSE)).toArray();
        Tensor[] fwd1 = Diff.jacobian(f, xs, o.mode(JacobianMode.FORWARD).chunkSize(1)).toArray();
        Tensor[] rev1 = Diff.jacobian(f, xs, o.mode(JacobianMode.REVERSE).chunkSize(1)).toArray();
        Tensor[] fwd2 = Diff.jacobian(f, xs, o.mode(JacobianMode.FORWARD).chunkSize(2)).toArray();
        for (int k = 0; k < xs.length; k++) {
            double[] a = Tensors.buffer(fwd[k]), b = Tensors.buffer(rev[k]);
            double max = 0;
            for (double x : a) max = Math.max(max, Math.abs(x));
            for (int i = 0; i < a.length; i++) {
                if (!(Math.abs(a[i] - b[i]) <= 1e-12 * Math.max(1, max))) {
                    fail(String.format(Locale.ROOT, "forward Jacobian ≠ reverse Jacobian for argument %d at element %d: %.17g vs %.17g\n%s",
                            k, i, a[i], b[i], describe(spec, xs)));
                }
            }
            assertArrayEquals(Tensors.buffer(fwd[k]), Tensors.buffer(fwd1[k]), 0, "forward Jacobian depends on the chunk size (all vs 1)\n" + describe(spec, xs));
            assertArrayEquals(Tensors.buffer(fwd[k]), Tensors.buffer(fwd2[k]), 0, "forward Jacobian depends on the chunk size (all vs 2)\n" + describe(spec, xs));
            assertArrayEquals(Tensors.buffer(rev[k]), Tensors.buffer(rev1[k]), 0, "reverse Jacobian depends on the chunk size (all vs 1)\n" + describe(spec, xs));
        }
    }

    /** 5. Reverse-over-forward: ∇ₓ⟨w, J(x)v⟩ against central differences of x ↦ ⟨w, J(x)v⟩. */
    static void secondOrderMatchesFiniteDifferences(OpSpec spec, Tensor[] xs, long seed) {
        MultiTensorFunction f = spec::apply;
        Tensor[] v = directions(xs, seed);
        Tensor w = TensorRandom.seed(seed + 2000).normal(spec.apply(xs).shape());
        MultiTensorFunction s = ys -> Diff.jvp(f, ys, v).tangent().mul(w).sum();
        Tensor[] g = Diff.grad(s, xs).toArray();
        Tensor[] num = FiniteDifferences.jacobian(s, xs, H);
        for (int k = 0; k < xs.length; k++) close("reverse-over-forward vs finite differences (argument " + k + ")", spec, xs, g[k], num[k]);
    }

    /**
     * 6. Second order by forward over reverse: for s(x) = ⟨w, f(x)⟩ (first argument only, the others
     * held), hvp(s, x, v) against central differences of ∇s along v, and against reverse over forward;
     * the Hessian against the columns of hvp, and symmetric to rounding.
     */
    static void hvpAndHessianMatchFiniteDifferences(OpSpec spec, Tensor[] xs, long seed) {
        Tensor w = TensorRandom.seed(seed + 3000).normal(spec.apply(xs).shape());
        dev.dualgrad.transforms.TensorFunction s = z -> {
            Tensor[] args = xs.clone();
            args[0] = z;
            return spec.apply(args).mul(w).sum();
        };
        Tensor x = xs[0], v = TensorRandom.seed(seed + 4000).normal(x.shape());
        Tensor hv = Diff.hvp(s, x, v);
        Tensor num = Diff.grad(s, x.add(v.mul(H))).sub(Diff.grad(s, x.sub(v.mul(H)))).div(2 * H);
        close("hvp vs finite differences of the gradient", spec, xs, hv, num);
        Tensor hv2 = dev.dualgrad.internal.transforms.SecondOrder.hvpReverseOverForward(s, x, v);
        double scale = 0;
        for (double d : Tensors.buffer(hv)) scale = Math.max(scale, Math.abs(d));
        for (int i = 0; i < hv.size(); i++) {
            if (!(Math.abs(Tensors.buffer(hv)[i] - Tensors.buffer(hv2)[i]) <= 1e-11 * Math.max(1, scale))) {
                fail("forward-over-reverse hvp ≠ reverse-over-forward hvp at " + i + ": " + Tensors.buffer(hv)[i] + " vs " + Tensors.buffer(hv2)[i] + "\n" + describe(spec, xs));
            }
        }
        dev.dualgrad.transforms.HessianResult h = Diff.hessianWithCheck(s, x, JacobianOptions.defaults());
        double[] hd = Tensors.buffer(h.hessian());
        int n = x.size();
        double hmax = 0;
        for (double d : hd) hmax = Math.max(hmax, Math.abs(d));
        if (!(h.asymmetry() <= 1e-12 * Math.max(1, hmax) * n)) fail("Hessian not symmetric to rounding: " + h + "\n" + describe(spec, xs));
        double[] hvFromH = new double[n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) hvFromH[i] += hd[i * n + j] * Tensors.buffer(v)[j];
        for (int i = 0; i < n; i++) {
            if (!(Math.abs(hvFromH[i] - Tensors.buffer(hv)[i]) <= 1e-11 * Math.max(1, hmax) * n)) {
                fail("Hessian·v ≠ hvp at " + i + ": " + hvFromH[i] + " vs " + Tensors.buffer(hv)[i] + "\n" + describe(spec, xs));
            }
        }
    }

    /** Values for one input: admitted by the domain, drawn from a seeded generator. */
    static Tensor sample(Domain d, int[] shape, long seed) {
        Tensor u = TensorRandom.seed(seed).uniform(0, 1, shape);
        double[] x = u.toArray();
        for (int i = 0; i < x.length; i++) {
            switch (d) {
                case NONZERO: x[i] = (x[i] < 0.5 ? -1 : 1) * (0.5 + 3 * Math.abs(x[i] - 0.5)); break;
                case DISTINCT: x[i] = -2 + 0.1 * i + 0.01 * x[i]; break;
                default: x[i] = d.lo + (d.hi - d.lo) * x[i];
            }
        }
        if (d == Domain.DISTINCT) { // shuffle the evenly spaced values
            java.util.Random r = new java.util.Random(seed);
            for (int i = x.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                double t = x[i];
                x[i] = x[j];
                x[j] = t;
            }
        }
        return Tensor.of(x, shape);
    }

    /** Inputs for a spec and shape tuple admitted by the spec, from the first seed that works. */
    static Tensor[] inputs(OpSpec spec, int[][] shapes, long seed) {
        for (long s = seed; s < seed + 1000; s++) {
            Tensor[] xs = new Tensor[shapes.length];
            for (int i = 0; i < xs.length; i++) xs[i] = sample(spec.domains()[i], shapes[i], s * 31 + i);
            if (spec.admits(xs)) return xs;
        }
        throw new IllegalStateException("no admitted inputs for " + spec + " at shapes " + Arrays.deepToString(shapes));
    }
}
