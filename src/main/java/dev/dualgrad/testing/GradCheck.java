package dev.dualgrad.testing;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.Diff;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.MultiTensorFunction;
import dev.dualgrad.transforms.TensorFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Gradient checking for your own functions and custom rules, in the spirit of PyTorch's gradcheck and
 * JAX's check_grads. For f at the given inputs it compares:
 * <ol>
 *   <li>JVPs J·v along random directions against finite differences of f along v;</li>
 *   <li>VJPs: ⟨uᵀJ, v⟩ from a reverse sweep against ⟨u, (finite-difference J·v)⟩, and, for small
 *       sizes, the reverse Jacobian against the finite-difference Jacobian element by element;</li>
 *   <li>forward against reverse: the dot-product test ⟨u, J·v⟩ = ⟨uᵀJ, v⟩ (rounding only), and the
 *       full forward and reverse Jacobians for small sizes;</li>
 *   <li>second order: for s = ⟨w, f⟩ and each argument, the Hessian-vector product (forward over
 *       reverse) against finite differences of the gradient of s.</li>
 * </ol>
 * Finite differences are central, (f(x + hv) − f(x − hv)) / 2h, or the fourth-order stencil
 * (−f(x+2hv) + 8f(x+hv) − 8f(x−hv) + f(x−2hv)) / 12h on request. A value a passes against a
 * finite-difference value n when |a − n| ≤ atol + rtol·|n|; defaults are gradcheck's float64 ones
 * (h = 1e-6, atol = 1e-5, rtol = 1e-3). Forward and reverse must agree to 1e-10 relative (with an
 * absolute floor of 1e-12 for derivatives that are zero by cancellation).
 *
 * <pre>{@code
 * GradCheck.of(x -> x.sin().mul(x).sum(1), x).assertPasses();              // JUnit: AssertionError with the report
 * GradCheckResult r = GradCheck.of(f, a, b).stencil(Stencil.FOURTH_ORDER).run(); // or inspect the result
 * }</pre>
 */
public final class GradCheck {
    /** Finite-difference stencils. */
    public enum Stencil { CENTRAL, FOURTH_ORDER }

    /** Relative agreement demanded between the modes (no finite differences involved). */
    public static final double MODES_RTOL = 1e-10;
    /**
     * Absolute floor of that agreement: a derivative that is exactly zero in theory (a constant built
     * from cancelling terms, as Σ softmax) comes out of either mode as rounding noise of ~1e-16.
     */
    public static final double MODES_ATOL = 1e-12;

    private final MultiTensorFunction f;
    private final Tensor[] xs;
    private double eps = 1e-6, atol = 1e-5, rtol = 1e-3;
    private Stencil stencil = Stencil.CENTRAL;
    private int directions = 2;
    private long seed = 0x6ead;
    private long fullJacobianLimit = 4096;
    private boolean secondOrder = true;

    private GradCheck(MultiTensorFunction f, Tensor[] xs) {
        if (xs.length == 0) throw new IllegalArgumentException("GradCheck: give at least one input");
        this.f = f;
        this.xs = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) this.xs[i] = xs[i].detach();
    }

    public static GradCheck of(TensorFunction f, Tensor x) {
        return new GradCheck(a -> f.apply(a[0]), new Tensor[] {x});
    }

    public static GradCheck of(MultiTensorFunction f, Tensor... xs) {
        return new GradCheck(f, xs);
    }

    /** Finite-difference step h. */
    public GradCheck eps(double h) {
        if (!(h > 0)) throw new IllegalArgumentException("GradCheck: eps must be positive, got " + h);
        this.eps = h;
        return this;
    }

    public GradCheck atol(double a) {
        if (!(a >= 0)) throw new IllegalArgumentException("GradCheck: atol must be ≥ 0, got " + a);
        this.atol = a;
        return this;
    }

    public GradCheck rtol(double r) {
        if (!(r >= 0)) throw new IllegalArgumentException("GradCheck: rtol must be ≥ 0, got " + r);
        this.rtol = r;
        return this;
    }

    public GradCheck stencil(Stencil s) {
        this.stencil = s;
        return this;
    }

    /** Number of random directions for the JVP, VJP and second-order checks (default 2). */
    public GradCheck directions(int n) {
        if (n < 1) throw new IllegalArgumentException("GradCheck: needs at least one direction, got " + n);
        this.directions = n;
        return this;
    }

    public GradCheck seed(long s) {
        this.seed = s;
        return this;
    }

    /** Full Jacobians are compared when (input size)·(output size) is at most this (default 4096). */
    public GradCheck fullJacobianLimit(long n) {
        this.fullJacobianLimit = n;
        return this;
    }

    /** Whether to check second order (default on); turn it off for functions with kinks near x. */
    public GradCheck secondOrder(boolean on) {
        this.secondOrder = on;
        return this;
    }

    /** Runs every check and throws an AssertionError with the report if any fails. */
    public GradCheckResult assertPasses() {
        return run().assertPassed();
    }

    public GradCheckResult run() {
        Tensor y = f.apply(xs);
        List<GradCheckResult.Check> checks = new ArrayList<>();
        String fd = stencil == Stencil.CENTRAL ? "central differences" : "the fourth-order stencil";
        Worst jvpWorst = new Worst(), vjpWorst = new Worst(), dotWorst = new Worst();
        for (int d = 0; d < directions; d++) {
            Tensor[] v = random(xs, seed + 10L * d);
            Tensor u = TensorRandom.seed(seed + 10L * d + 7).normal(y.shape());
            Tensor jv = Diff.jvp(f, xs, v).tangent();
            Tensor num = directional(v, xs, f);
            double[] a = Tensors.buffer(jv), n = Tensors.buffer(num);
            for (int i = 0; i < a.length; i++) jvpWorst.offer(-1, y.shape(), i, a[i], n[i], atol + rtol * Math.abs(n[i]));
            Tensor[] ujt = Diff.vjp(f, xs).applyAll(u).toArray();
            double rev = 0, fdDot = 0, fwdDot = 0, scale = 0;
            for (int i = 0; i < xs.length; i++) {
                for (int k = 0; k < v[i].size(); k++) {
                    double t = Tensors.buffer(ujt[i])[k] * Tensors.buffer(v[i])[k];
                    rev += t;
                    scale += Math.abs(t);
                }
            }
            for (int k = 0; k < a.length; k++) {
                fdDot += Tensors.buffer(u)[k] * n[k];
                fwdDot += Tensors.buffer(u)[k] * a[k];
                scale += Math.abs(Tensors.buffer(u)[k] * a[k]);
            }
            vjpWorst.offer(-1, new int[] {directions}, d, rev, fdDot, atol * Math.sqrt(a.length) + rtol * Math.abs(fdDot));
            dotWorst.offer(-1, new int[] {directions}, d, rev, fwdDot, MODES_RTOL * scale + MODES_ATOL);
        }
        checks.add(new GradCheckResult.Check("JVP J·v along " + directions + " random direction(s)", fd, jvpWorst.worst));
        checks.add(new GradCheckResult.Check("VJP ⟨uᵀJ, v⟩ for random u, v", "⟨u, " + fd + " of J·v⟩", vjpWorst.worst));
        checks.add(new GradCheckResult.Check("dot-product test ⟨u, J·v⟩ = ⟨uᵀJ, v⟩", "the other mode, to " + MODES_RTOL + " relative", dotWorst.worst));
        long n = 0;
        for (Tensor x : xs) n += x.size();
        if (n * y.size() <= fullJacobianLimit) fullJacobians(checks, fd);
        if (secondOrder) secondOrder(checks, y, fd);
        return new GradCheckResult(describe(), checks);
    }

    private void fullJacobians(List<GradCheckResult.Check> checks, String fd) {
        JacobianOptions o = JacobianOptions.defaults();
        Tensor[] fwd = Diff.jacobian(f, xs, o.mode(JacobianMode.FORWARD)).toArray();
        Tensor[] rev = Diff.jacobian(f, xs, o.mode(JacobianMode.REVERSE)).toArray();
        Worst modes = new Worst(), numeric = new Worst();
        for (int i = 0; i < xs.length; i++) {
            Tensor[] num = numericJacobian(i);
            double max = 0;
            for (double v : Tensors.buffer(fwd[i])) max = Math.max(max, Math.abs(v));
            double[] a = Tensors.buffer(fwd[i]), b = Tensors.buffer(rev[i]), c = Tensors.buffer(num[0]);
            for (int k = 0; k < a.length; k++) {
                modes.offer(i, fwd[i].shape(), k, b[k], a[k], MODES_RTOL * max + MODES_ATOL);
                numeric.offer(i, fwd[i].shape(), k, b[k], c[k], atol + rtol * Math.abs(c[k]));
            }
        }
        checks.add(new GradCheckResult.Check("reverse Jacobian, element by element", fd, numeric.worst));
        checks.add(new GradCheckResult.Check("forward Jacobian = reverse Jacobian", "each other, to " + MODES_RTOL + " relative", modes.worst));
    }

    /** The finite-difference Jacobian w.r.t. argument i (the others held), shaped y.shape + x_i.shape. */
    private Tensor[] numericJacobian(int arg) {
        int[] yShape = f.apply(xs).shape();
        int m = Shape.size(yShape), size = xs[arg].size();
        double[] j = new double[m * size];
        for (int c = 0; c < size; c++) {
            double[] e = new double[size];
            e[c] = 1;
            Tensor[] v = new Tensor[xs.length];
            for (int i = 0; i < xs.length; i++) v[i] = i == arg ? Tensor.of(e, xs[i].shape()) : Tensor.zeros(xs[i].shape());
            double[] col = Tensors.buffer(directional(v, xs, f));
            for (int r = 0; r < m; r++) j[r * size + c] = col[r];
        }
        return new Tensor[] {Tensor.of(j, Shape.concat(yShape, xs[arg].shape()))};
    }

    private void secondOrder(List<GradCheckResult.Check> checks, Tensor y, String fd) {
        Tensor w = TensorRandom.seed(seed + 99).normal(y.shape());
        Worst worst = new Worst();
        for (int arg = 0; arg < xs.length; arg++) {
            final int a = arg;
            TensorFunction s = z -> {
                Tensor[] args = xs.clone();
                args[a] = z;
                return f.apply(args).mul(w).sum();
            };
            for (int d = 0; d < directions; d++) {
                Tensor v = TensorRandom.seed(seed + 1000L * (arg + 1) + d).normal(xs[arg].shape());
                Tensor hv = Diff.hvp(s, xs[arg], v);
                Tensor num = directional(new Tensor[] {v}, new Tensor[] {xs[arg]}, zs -> Diff.grad(s, zs[0]));
                double[] h = Tensors.buffer(hv), nn = Tensors.buffer(num);
                for (int k = 0; k < h.length; k++) worst.offer(arg, xs[arg].shape(), k, h[k], nn[k], atol + rtol * Math.abs(nn[k]));
            }
        }
        checks.add(new GradCheckResult.Check("second order: H·v of ⟨w, f⟩ (forward over reverse)", fd + " of its gradient", worst.worst));
    }

    /** Finite-difference directional derivative of g at zs along v with this check's stencil. */
    private Tensor directional(Tensor[] v, Tensor[] zs, MultiTensorFunction g) {
        if (stencil == Stencil.CENTRAL) return at(g, zs, v, eps).sub(at(g, zs, v, -eps)).div(2 * eps);
        return at(g, zs, v, 2 * eps).neg().add(at(g, zs, v, eps).mul(8)).sub(at(g, zs, v, -eps).mul(8)).add(at(g, zs, v, -2 * eps)).div(12 * eps);
    }

    private static Tensor at(MultiTensorFunction g, Tensor[] zs, Tensor[] v, double t) {
        Tensor[] p = new Tensor[zs.length];
        for (int i = 0; i < zs.length; i++) p[i] = zs[i].add(v[i].mul(t));
        return g.apply(p).detach();
    }

    private static Tensor[] random(Tensor[] xs, long seed) {
        Tensor[] v = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) v[i] = TensorRandom.seed(seed + i).normal(xs[i].shape());
        return v;
    }

    private String describe() {
        StringBuilder sb = new StringBuilder("f at inputs of shape");
        for (Tensor x : xs) sb.append(' ').append(Arrays.toString(x.shape()));
        return sb.append(String.format(java.util.Locale.ROOT, " (h = %.1g, atol = %.1g, rtol = %.1g, %s)", eps, atol, rtol,
                stencil == Stencil.CENTRAL ? "central differences" : "fourth-order stencil")).toString();
    }

    /** Keeps the element with the largest excess over its tolerance. */
    private static final class Worst {
        GradCheckResult.Worst worst;

        void offer(int arg, int[] shape, int flat, double analytic, double reference, double tol) {
            GradCheckResult.Worst w = new GradCheckResult.Worst(arg, unravel(shape, flat), analytic, reference, tol);
            if (worst == null || w.excess() > worst.excess()) worst = w;
        }

        private static int[] unravel(int[] shape, int flat) {
            if (Shape.size(shape) <= flat) return new int[] {flat};
            int[] idx = new int[shape.length];
            for (int d = shape.length - 1; d >= 0; d--) {
                idx[d] = flat % shape[d];
                flat /= shape[d];
            }
            return idx;
        }
    }
}
