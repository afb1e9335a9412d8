package dev.dualgrad.transforms;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.transforms.GradChecker;
import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;
import java.util.Locale;

/**
 * What {@code Diff.check} found: the forward Jacobian, the reverse Jacobian and the central
 * finite-difference Jacobian of each argument, and the largest disagreement of each comparison with the
 * element where it occurs. It is the full-Jacobian part of {@code testing.GradCheck}, by the same
 * routine and tolerances:
 * <ul>
 *   <li>forward against reverse, element by element: |J_fwd − J_rev| ≤ 1e-10·max|J| + 1e-12, max|J| the
 *       largest finite |element| of that argument's two Jacobians (rounding only);</li>
 *   <li>each mode against finite differences n: |a − n| ≤ atol + rtol·|n|, by default atol = 1e-5,
 *       rtol = 1e-3 (gradcheck's float64 defaults) with step h = 1e-6.</li>
 * </ul>
 * The worst element of a comparison is the one with the largest |a − reference| / tolerance; a NaN
 * against a number is a disagreement, two NaNs are not.
 */
public final class CheckReport {
    private final Tensor[] forward, reverse, numeric;
    private final double atol, rtol;
    private final GradChecker.Finding modes, numericFinding;

    /**
     * Compares the three sets of Jacobians, one per input of the checked function, all of the same shapes.
     *
     * @param forward the Jacobians by forward mode
     * @param reverse the Jacobians by reverse mode
     * @param numeric the Jacobians by finite differences
     * @param atol the absolute tolerance against finite differences
     * @param rtol the relative tolerance against finite differences
     */
    public CheckReport(Tensor[] forward, Tensor[] reverse, Tensor[] numeric, double atol, double rtol) {
        Args.nonNull(forward, "CheckReport", "forward");
        Args.nonNull(reverse, "CheckReport", "reverse");
        Args.nonNull(numeric, "CheckReport", "numeric");
        this.forward = forward.clone();
        this.reverse = reverse.clone();
        this.numeric = numeric.clone();
        this.atol = atol;
        this.rtol = rtol;
        GradChecker.JacobianFindings f = GradChecker.compareJacobians(new GradChecker.FullJacobians(forward, reverse, numeric),
                atol, rtol, "finite differences");
        this.modes = f.modes();
        this.numericFinding = f.numeric();
    }

    /**
     * Whether forward = reverse to rounding and both match finite differences within tolerance.
     *
     * @return true when no element of either comparison exceeds its tolerance
     */
    public boolean passed() {
        return modes.passed() && numericFinding.passed();
    }

    /**
     * Throws unless {@link #passed()}, for use in tests.
     *
     * @return this report, when it passed
     * @throws AssertionError with {@link #toString()} as its message, when it did not
     */
    public CheckReport assertPassed() {
        if (!passed()) throw new AssertionError(toString());
        return this;
    }

    /**
     * The Jacobians by forward mode.
     *
     * @return one per argument, shaped f(x).shape followed by that argument's shape
     */
    public PerArgument forwardJacobians() {
        return PerArgument.of(forward);
    }

    /**
     * The Jacobians by reverse mode.
     *
     * @return one per argument, shaped like {@link #forwardJacobians()}
     */
    public PerArgument reverseJacobians() {
        return PerArgument.of(reverse);
    }

    /**
     * The Jacobians by finite differences.
     *
     * @return one per argument, shaped like {@link #forwardJacobians()}
     */
    public PerArgument numericJacobians() {
        return PerArgument.of(numeric);
    }

    private static double excess(GradChecker.Finding f) {
        return f.worst() == null ? 0 : f.worst().excess();
    }

    private static String describe(GradChecker.Worst w, String referenceName) {
        return String.format(Locale.ROOT, "argument %d, Jacobian element %s: %s %.10g vs %s %.10g", w.argument(), Arrays.toString(w.index()),
                w.source(), w.value(), referenceName, w.reference());
    }

    /**
     * The verdict, the tolerance, and for each comparison whether it passed and its worst element.
     *
     * @return a multi-line report beginning "check passed" or "check FAILED"
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(passed() ? "check passed" : "check FAILED");
        sb.append(String.format(Locale.ROOT, " (finite-difference tolerance |a−n| ≤ %.1g + %.1g·|n|)", atol, rtol));
        sb.append(modes.passed() ? "\n  forward = reverse to rounding" : "\n  forward ≠ reverse, worst at " + describe(modes.worst(), "reverse"));
        double e = excess(numericFinding);
        String where = numericFinding.worst() == null ? "" : describe(numericFinding.worst(), "finite differences");
        sb.append(numericFinding.passed()
                ? String.format(Locale.ROOT, "\n  analytic vs finite differences within tolerance (worst %.3g of it%s)", e, e == 0 ? "" : ", at " + where)
                : String.format(Locale.ROOT, "\n  analytic vs finite differences off by %.3g× the tolerance, worst at %s", e, where));
        return sb.toString();
    }
}
