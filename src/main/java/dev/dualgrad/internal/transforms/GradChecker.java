package dev.dualgrad.internal.transforms;

import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.CheckReport;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.MultiTensorFunction;
import dev.dualgrad.transforms.TensorFunction;
import java.util.ArrayList;
import java.util.List;

/**
 * The one gradient checker, behind {@code testing.GradCheck} (every comparison) and {@code Diff.check}
 * (its preset {@link #jacobians} with {@link #compareJacobians}: the full forward, reverse and
 * central-difference Jacobians at the default {@link Tolerances}). For f at xs it compares:
 * <ol>
 *   <li>along random directions v (and random u shaped like the output): J·v against finite differences
 *       of f along v, element by element; ⟨uᵀJ, v⟩ from a reverse sweep against ⟨u, finite-difference
 *       J·v⟩; and the dot-product test ⟨u, J·v⟩ = ⟨uᵀJ, v⟩ ({@link DotProductCheck});</li>
 *   <li>when (input size)·(output size) is at most the limit, the full forward and reverse Jacobians
 *       against finite differences and against each other, element by element;</li>
 *   <li>second order: for s = ⟨w, f⟩ (random w) and each argument, H·v by forward over reverse against
 *       finite differences of ∇s along v.</li>
 * </ol>
 * Each comparison keeps its worst element: the one with the largest |a − reference| / tolerance.
 */
public final class GradChecker {
    private GradChecker() {}

    /**
     * What to compare and at which tolerances.
     *
     * @param h the finite-difference step
     * @param atol the absolute tolerance against finite differences
     * @param rtol the relative tolerance against finite differences
     * @param fourthOrder the fourth-order stencil instead of central differences
     * @param directions random directions for the JVP, VJP, dot-product and second-order checks (0: none)
     * @param seed the seed of those directions
     * @param fullJacobianLimit full Jacobians are compared when (input size)·(output size) is at most this
     * @param secondOrder whether to check H·v
     */
    public record Settings(double h, double atol, double rtol, boolean fourthOrder, int directions, long seed,
                           long fullJacobianLimit, boolean secondOrder) {}

    /**
     * The worst element of one comparison: which argument (−1 when the comparison concerns the output as a
     * whole), its index, which value was compared (the mode, or null), the value, the reference and the
     * tolerance there.
     */
    public record Worst(int argument, int[] index, String source, double value, double reference, double tolerance) {
        /** |value − reference| / tolerance, as {@link Tolerances#excess}: above 1 fails. */
        public double excess() {
            return Tolerances.excess(value, reference, tolerance);
        }
    }

    /** One comparison: its name, what it compared against, and its worst element (null when nothing was compared). */
    public record Finding(String name, String reference, Worst worst) {
        /** No element beyond its tolerance. */
        public boolean passed() {
            return worst == null || worst.excess() <= 1;
        }
    }

    /** The full Jacobians of f, one per argument: by forward mode, by reverse mode, by finite differences. */
    public record FullJacobians(Tensor[] forward, Tensor[] reverse, Tensor[] numeric) {}

    /** The comparisons of {@link FullJacobians}: both modes against finite differences, and forward against reverse. */
    public record JacobianFindings(Finding numeric, Finding modes) {}

    /** Every comparison the settings ask for, in the order of the class comment. */
    public static List<Finding> run(MultiTensorFunction f, Tensor[] xs0, Settings s) {
        Tensor[] xs = Jacobians.detached(xs0);
        Tensor y = f.apply(xs);
        String fd = s.fourthOrder() ? "the fourth-order stencil" : "central differences";
        List<Finding> out = new ArrayList<>();
        if (s.directions() > 0) directional(out, f, xs, y, s, fd);
        long n = 0;
        for (Tensor x : xs) n += x.size();
        if (n * y.size() <= s.fullJacobianLimit()) {
            JacobianFindings j = compareJacobians(jacobians(f, xs, s.h(), s.fourthOrder()), s.atol(), s.rtol(), fd);
            out.add(j.numeric());
            out.add(j.modes());
        }
        if (s.secondOrder() && s.directions() > 0) out.add(secondOrder(f, xs, y, s, fd));
        return out;
    }

    /**
     * {@code Diff.check}'s preset: the full forward, reverse and central-difference Jacobians (step
     * {@link Tolerances#H}), compared as {@link #compareJacobians} does at {@link Tolerances#ATOL} and
     * {@link Tolerances#RTOL}, whatever their size; no random directions, no second order.
     */
    public static CheckReport check(MultiTensorFunction f, Tensor[] xs) {
        FullJacobians j = jacobians(f, xs, Tolerances.H, false);
        return new CheckReport(j.forward(), j.reverse(), j.numeric(), Tolerances.ATOL, Tolerances.RTOL);
    }

    /** The forward-mode, reverse-mode and finite-difference Jacobians of f at xs. */
    public static FullJacobians jacobians(MultiTensorFunction f, Tensor[] xs0, double h, boolean fourthOrder) {
        Tensor[] xs = Jacobians.detached(xs0);
        JacobianOptions o = JacobianOptions.defaults();
        return new FullJacobians(Jacobians.jacobian(f, o.mode(JacobianMode.FORWARD), xs).jacobians().toArray(),
                Jacobians.jacobian(f, o.mode(JacobianMode.REVERSE), xs).jacobians().toArray(),
                FiniteDifferences.jacobian(f, xs, h, fourthOrder));
    }

    /**
     * Element by element: the worse of the forward and reverse value against finite differences
     * (|a − n| ≤ atol + rtol·|n|), and forward against reverse ({@link Tolerances#forwardReverse} of the
     * largest finite |element| of that argument's two Jacobians).
     */
    public static JacobianFindings compareJacobians(FullJacobians j, double atol, double rtol, String fd) {
        Keeper numeric = new Keeper(), modes = new Keeper();
        for (int i = 0; i < j.forward().length; i++) {
            double[] a = Tensors.buffer(j.forward()[i]), b = Tensors.buffer(j.reverse()[i]), c = Tensors.buffer(j.numeric()[i]);
            int[] shape = j.forward()[i].shape();
            double max = 0;
            for (int k = 0; k < a.length; k++) {
                if (Double.isFinite(a[k])) max = Math.max(max, Math.abs(a[k]));
                if (Double.isFinite(b[k])) max = Math.max(max, Math.abs(b[k]));
            }
            double modesTol = Tolerances.forwardReverse(max);
            for (int k = 0; k < a.length; k++) {
                double tol = Tolerances.finiteDifference(atol, rtol, c[k]);
                numeric.offer(i, shape, k, "forward", a[k], c[k], tol);
                numeric.offer(i, shape, k, "reverse", b[k], c[k], tol);
                modes.offer(i, shape, k, "forward", a[k], b[k], modesTol);
            }
        }
        return new JacobianFindings(new Finding("forward and reverse Jacobians, element by element", fd, numeric.worst),
                new Finding("forward Jacobian = reverse Jacobian", "each other, to " + Tolerances.FORWARD_REVERSE_RTOL + " relative", modes.worst));
    }

    private static void directional(List<Finding> out, MultiTensorFunction f, Tensor[] xs, Tensor y, Settings s, String fd) {
        Keeper jvp = new Keeper(), vjp = new Keeper(), dot = new Keeper();
        int[] dirs = {s.directions()};
        for (int d = 0; d < s.directions(); d++) {
            Tensor[] v = new Tensor[xs.length];
            for (int i = 0; i < xs.length; i++) v[i] = TensorRandom.seed(s.seed() + 10L * d + i).normal(xs[i].shape());
            Tensor u = TensorRandom.seed(s.seed() + 10L * d + 7).normal(y.shape());
            DotProductCheck.Dot p = DotProductCheck.of("GradCheck", f, xs, u, v);
            double[] a = Tensors.buffer(p.jv()), n = Tensors.buffer(FiniteDifferences.directional(f, xs, v, s.h(), s.fourthOrder()));
            double[] ud = Tensors.buffer(u);
            double fdDot = 0;
            for (int k = 0; k < a.length; k++) {
                jvp.offer(-1, y.shape(), k, "forward", a[k], n[k], Tolerances.finiteDifference(s.atol(), s.rtol(), n[k]));
                fdDot += ud[k] * n[k];
            }
            // ⟨u, fd⟩ sums a.length terms, each within atol + rtol·|n|: the atol part grows like √(terms)
            vjp.offer(-1, dirs, d, "reverse", p.reverse(), fdDot, s.atol() * Math.sqrt(a.length) + s.rtol() * Math.abs(fdDot));
            dot.offer(-1, dirs, d, "reverse", p.reverse(), p.forward(), Tolerances.dotProduct(p.scale()));
        }
        out.add(new Finding("JVP J·v along " + s.directions() + " random direction(s)", fd, jvp.worst));
        out.add(new Finding("VJP ⟨uᵀJ, v⟩ for random u, v", "⟨u, " + fd + " of J·v⟩", vjp.worst));
        out.add(new Finding("dot-product test ⟨u, J·v⟩ = ⟨uᵀJ, v⟩", "the other mode, to " + Tolerances.DOT_PRODUCT_RTOL + " relative", dot.worst));
    }

    private static Finding secondOrder(MultiTensorFunction f, Tensor[] xs, Tensor y, Settings s, String fd) {
        Tensor w = TensorRandom.seed(s.seed() + 99).normal(y.shape());
        Keeper worst = new Keeper();
        for (int arg = 0; arg < xs.length; arg++) {
            int a = arg;
            TensorFunction sw = z -> {
                Tensor[] args = xs.clone();
                args[a] = z;
                return f.apply(args).mul(w).sum();
            };
            for (int d = 0; d < s.directions(); d++) {
                Tensor v = TensorRandom.seed(s.seed() + 1000L * (arg + 1) + d).normal(xs[arg].shape());
                double[] hv = Tensors.buffer(SecondOrder.hvp(sw, xs[arg], v));
                double[] num = Tensors.buffer(FiniteDifferences.directional(zs -> SecondOrder.gradient("GradCheck", sw, zs[0]),
                        new Tensor[] {xs[arg]}, new Tensor[] {v}, s.h(), s.fourthOrder()));
                for (int k = 0; k < hv.length; k++) {
                    worst.offer(arg, xs[arg].shape(), k, "forward over reverse", hv[k], num[k], Tolerances.finiteDifference(s.atol(), s.rtol(), num[k]));
                }
            }
        }
        return new Finding("second order: H·v of ⟨w, f⟩ (forward over reverse)", fd + " of its gradient", worst.worst);
    }

    /** Keeps the element with the largest excess over its tolerance (the first of equals). */
    private static final class Keeper {
        Worst worst;

        void offer(int arg, int[] shape, int flat, String source, double value, double reference, double tol) {
            if (worst != null && !(Tolerances.excess(value, reference, tol) > worst.excess())) return;
            worst = new Worst(arg, unravel(shape, flat), source, value, reference, tol);
        }
    }

    /** The index of element {@code flat} of a tensor of this shape; a one-element index {flat} past its end. */
    static int[] unravel(int[] shape, int flat) {
        if (flat >= Shape.size(shape)) return new int[] {flat};
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }
}
