package dev.dualgrad.transforms;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;
import java.util.Locale;

/**
 * What {@code Diff.check} found: the forward Jacobian, the reverse Jacobian and central finite
 * differences, and the largest disagreement of each pair with the element where it occurs.
 *
 * <p>Forward and reverse must agree to rounding (relative 1e-9); each must agree with finite
 * differences to |a − n| ≤ atol + rtol·|n| (gradcheck's float64 defaults atol 1e-5, rtol 1e-3).</p>
 */
public final class CheckReport {
    private final Tensor[] forward, reverse, numeric;
    private final double atol, rtol;
    private String worstModes = "", worstNumeric = "";
    private double modeExcess, numericExcess;

    /**
     * Compares the three sets of Jacobians, one per input of the checked function.
     *
     * @param forward the Jacobians by forward mode
     * @param reverse the Jacobians by reverse mode
     * @param numeric the Jacobians by central finite differences
     * @param atol the absolute tolerance against finite differences
     * @param rtol the relative tolerance against finite differences
     */
    public CheckReport(Tensor[] forward, Tensor[] reverse, Tensor[] numeric, double atol, double rtol) {
        this.forward = forward;
        this.reverse = reverse;
        this.numeric = numeric;
        this.atol = atol;
        this.rtol = rtol;
        for (int i = 0; i < forward.length; i++) {
            double[] f = Tensors.buffer(forward[i]), r = Tensors.buffer(reverse[i]), n = Tensors.buffer(numeric[i]);
            int[] shape = forward[i].shape();
            for (int e = 0; e < f.length; e++) {
                double scale = Math.max(Math.abs(f[e]), Math.abs(r[e]));
                double mx = differs(f[e], r[e]) ? Math.abs(f[e] - r[e]) / (1e-9 * scale + 1e-12) : 0;
                if (Double.isNaN(mx)) mx = Double.POSITIVE_INFINITY; // one NaN, the other not
                if (mx > modeExcess) {
                    modeExcess = mx;
                    worstModes = describe(i, shape, e, "forward", f[e], "reverse", r[e]);
                }
                double worst = Math.max(excess(f[e], n[e]), excess(r[e], n[e]));
                if (worst > numericExcess) {
                    numericExcess = worst;
                    boolean fwd = excess(f[e], n[e]) >= excess(r[e], n[e]);
                    worstNumeric = describe(i, shape, e, fwd ? "forward" : "reverse", fwd ? f[e] : r[e], "finite differences", n[e]);
                }
            }
        }
    }

    private static boolean differs(double a, double b) {
        return !(a == b || (Double.isNaN(a) && Double.isNaN(b)));
    }

    private double excess(double a, double n) {
        if (Double.isNaN(a) != Double.isNaN(n)) return Double.POSITIVE_INFINITY;
        if (Double.isNaN(a) || a == n) return 0;
        return Math.abs(a - n) / (atol + rtol * Math.abs(n));
    }

    private static String describe(int arg, int[] shape, int flat, String an, double a, String bn, double b) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1, r = flat; d >= 0; d--) {
            idx[d] = shape[d] == 0 ? 0 : r % shape[d];
            r = shape[d] == 0 ? 0 : r / shape[d];
        }
        return String.format(Locale.ROOT, "argument %d, Jacobian element %s: %s %.10g vs %s %.10g", arg, Arrays.toString(idx), an, a, bn, b);
    }

    /** True when forward = reverse to rounding and both match finite differences within tolerance. */
    public boolean passed() {
        return modeExcess <= 1 && numericExcess <= 1;
    }

    /** Throws an AssertionError with this report unless {@link #passed()}. */
    public CheckReport assertPassed() {
        if (!passed()) throw new AssertionError(toString());
        return this;
    }

    public Tensor[] forwardJacobians() { return forward.clone(); }
    public Tensor[] reverseJacobians() { return reverse.clone(); }
    public Tensor[] numericJacobians() { return numeric.clone(); }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(passed() ? "check passed" : "check FAILED");
        sb.append(String.format(Locale.ROOT, " (finite-difference tolerance |a−n| ≤ %.1g + %.1g·|n|)", atol, rtol));
        sb.append(modeExcess <= 1 ? "\n  forward = reverse to rounding" : "\n  forward ≠ reverse, worst at " + worstModes);
        sb.append(numericExcess <= 1 ? String.format(Locale.ROOT, "\n  analytic vs finite differences within tolerance (worst %.3g of it%s)", numericExcess,
                worstNumeric.isEmpty() ? "" : ", at " + worstNumeric)
                : String.format(Locale.ROOT, "\n  analytic vs finite differences off by %.3g× the tolerance, worst at %s", numericExcess, worstNumeric));
        return sb.toString();
    }
}
