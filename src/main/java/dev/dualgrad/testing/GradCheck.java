package dev.dualgrad.testing;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.transforms.GradChecker;
import dev.dualgrad.internal.transforms.Tolerances;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.MultiTensorFunction;
import dev.dualgrad.transforms.TensorFunction;
import java.util.Arrays;
import java.util.Locale;

/**
 * Gradient checking for your own functions and custom rules, in the spirit of PyTorch's gradcheck and
 * JAX's check_grads. For f at the given inputs it compares:
 * <ol>
 *   <li>JVPs J·v along random directions v against finite differences of f along v, element by element;</li>
 *   <li>VJPs: ⟨uᵀJ, v⟩ from a reverse sweep, for random u shaped like the output, against
 *       ⟨u, finite-difference J·v⟩;</li>
 *   <li>forward against reverse: the dot-product test ⟨u, J·v⟩ = ⟨uᵀJ, v⟩ (rounding only);</li>
 *   <li>for small sizes ((input size)·(output size) at most {@link #fullJacobianLimit}), the full
 *       forward and reverse Jacobians against the finite-difference Jacobian and against each other,
 *       element by element (what {@code Diff.check} compares, by the same routine);</li>
 *   <li>second order: for s = ⟨w, f⟩ (random w) and each argument, the Hessian-vector product H·v
 *       (forward over reverse) against finite differences of ∇s along v.</li>
 * </ol>
 * Finite differences are central, (f(x + hv) − f(x − hv)) / 2h, or the fourth-order stencil
 * (−f(x+2hv) + 8f(x+hv) − 8f(x−hv) + f(x−2hv)) / 12h on request. A value a passes against a
 * finite-difference value n when |a − n| ≤ atol + rtol·|n| (for ⟨u, ·⟩, a sum of m terms, atol·√m +
 * rtol·|n|); defaults are gradcheck's float64 ones, h = 1e-6, atol = 1e-5, rtol = 1e-3. Forward and
 * reverse must agree to rounding: Jacobian elements to {@link #MODES_RTOL} times the largest |element|,
 * the dot-product test to 1e-10 times the sum of the |terms| of its inner products, each with the
 * absolute floor {@link #MODES_ATOL}. These tolerances are defined once for the whole library (in
 * {@code dev.dualgrad.internal.transforms.Tolerances}), and {@code Diff.check} uses the same.
 *
 * <pre>{@code
 * GradCheck.of(x -> x.sin().mul(x).sum(1), x).assertPasses();              // JUnit: AssertionError with the report
 * GradCheckResult r = GradCheck.of(f, a, b).stencil(Stencil.FOURTH_ORDER).run(); // or inspect the result
 * }</pre>
 *
 * <p>A GradCheck is a mutable builder: each setter changes it and returns it.</p>
 */
public final class GradCheck {
    /** Finite-difference stencils. */
    public enum Stencil {
        /** (f(x + hv) − f(x − hv)) / 2h: error O(h²), two evaluations. */
        CENTRAL,
        /** (−f(x+2hv) + 8f(x+hv) − 8f(x−hv) + f(x−2hv)) / 12h: error O(h⁴), four evaluations. */
        FOURTH_ORDER
    }

    /**
     * Relative agreement demanded between forward and reverse Jacobian elements, relative to the largest
     * |element| of that argument's Jacobians (no finite differences involved): {@value}.
     */
    public static final double MODES_RTOL = Tolerances.FORWARD_REVERSE_RTOL;
    /**
     * Absolute floor of the agreement between the modes, {@value}: a derivative that is exactly zero in
     * theory (a constant built from cancelling terms, as Σ softmax) comes out of either mode as rounding
     * noise of ~1e-16.
     */
    public static final double MODES_ATOL = Tolerances.ROUNDING_ATOL;

    private final MultiTensorFunction f;
    private final Tensor[] xs;
    private double eps = Tolerances.H, atol = Tolerances.ATOL, rtol = Tolerances.RTOL;
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

    /**
     * A check of a function of one tensor at x, with the default settings.
     *
     * @param f the function
     * @param x the point (its values are copied as a constant)
     * @return the check, to configure or run
     */
    public static GradCheck of(TensorFunction f, Tensor x) {
        Args.nonNull(f, "GradCheck.of", "f");
        Args.nonNull(x, "GradCheck.of", "x");
        return new GradCheck(a -> f.apply(a[0]), new Tensor[] {x});
    }

    /**
     * A check of a function of several tensors at xs, with the default settings.
     *
     * @param f the function
     * @param xs the point, one tensor per argument (their values are copied as constants)
     * @return the check, to configure or run
     * @throws IllegalArgumentException when no input is given
     */
    public static GradCheck of(MultiTensorFunction f, Tensor... xs) {
        Args.nonNull(f, "GradCheck.of", "f");
        Args.nonNull(xs, "GradCheck.of", "xs");
        return new GradCheck(f, xs);
    }

    /**
     * The finite-difference step h (default 1e-6).
     *
     * @param h a positive step
     * @return this check
     * @throws IllegalArgumentException when h is not positive
     */
    public GradCheck eps(double h) {
        if (!(h > 0)) throw new IllegalArgumentException("GradCheck: eps must be positive, got " + h);
        this.eps = h;
        return this;
    }

    /**
     * The absolute tolerance against finite differences (default 1e-5).
     *
     * @param a the atol of |a − n| ≤ atol + rtol·|n|, at least 0
     * @return this check
     * @throws IllegalArgumentException when a is negative or NaN
     */
    public GradCheck atol(double a) {
        if (!(a >= 0)) throw new IllegalArgumentException("GradCheck: atol must be ≥ 0, got " + a);
        this.atol = a;
        return this;
    }

    /**
     * The relative tolerance against finite differences (default 1e-3).
     *
     * @param r the rtol of |a − n| ≤ atol + rtol·|n|, at least 0
     * @return this check
     * @throws IllegalArgumentException when r is negative or NaN
     */
    public GradCheck rtol(double r) {
        if (!(r >= 0)) throw new IllegalArgumentException("GradCheck: rtol must be ≥ 0, got " + r);
        this.rtol = r;
        return this;
    }

    /**
     * The finite-difference stencil (default {@link Stencil#CENTRAL}).
     *
     * @param s the stencil
     * @return this check
     */
    public GradCheck stencil(Stencil s) {
        Args.nonNull(s, "GradCheck.stencil", "s");
        this.stencil = s;
        return this;
    }

    /**
     * The number of random directions for the JVP, VJP, dot-product and second-order checks (default 2).
     *
     * @param n at least 1
     * @return this check
     * @throws IllegalArgumentException when n &lt; 1
     */
    public GradCheck directions(int n) {
        if (n < 1) throw new IllegalArgumentException("GradCheck: needs at least one direction, got " + n);
        this.directions = n;
        return this;
    }

    /**
     * The seed of the random directions u, v and w.
     *
     * @param s any seed
     * @return this check
     */
    public GradCheck seed(long s) {
        this.seed = s;
        return this;
    }

    /**
     * Full Jacobians are compared when (input size)·(output size) is at most this (default 4096).
     *
     * @param n the limit; 0 or less never compares full Jacobians
     * @return this check
     */
    public GradCheck fullJacobianLimit(long n) {
        this.fullJacobianLimit = n;
        return this;
    }

    /**
     * Whether to check second order (default on); turn it off for functions with kinks near x.
     *
     * @param on true to compare H·v against finite differences of the gradient
     * @return this check
     */
    public GradCheck secondOrder(boolean on) {
        this.secondOrder = on;
        return this;
    }

    /**
     * Runs every check and throws with the report if any fails, for use in tests.
     *
     * @return the result, when every check passed
     * @throws AssertionError with the full report, when a check failed
     */
    public GradCheckResult assertPasses() {
        return run().assertPassed();
    }

    /**
     * Runs every check.
     *
     * @return one entry per check, each with its worst element
     */
    public GradCheckResult run() {
        GradChecker.Settings s = new GradChecker.Settings(eps, atol, rtol, stencil == Stencil.FOURTH_ORDER, directions, seed,
                fullJacobianLimit, secondOrder);
        return new GradCheckResult(describe(), GradChecker.run(f, xs, s).stream().map(GradCheckResult.Check::of).toList());
    }

    private String describe() {
        StringBuilder sb = new StringBuilder("f at inputs of shape");
        for (Tensor x : xs) sb.append(' ').append(Arrays.toString(x.shape()));
        return sb.append(String.format(Locale.ROOT, " (h = %.1g, atol = %.1g, rtol = %.1g, %s)", eps, atol, rtol,
                stencil == Stencil.CENTRAL ? "central differences" : "fourth-order stencil")).toString();
    }
}
