package dev.dualgrad.internal.transforms;

/**
 * Every tolerance of the gradient checker, defined once. {@code testing.GradCheck}, {@code Diff.check}
 * (with {@code CheckReport}) and {@code JacobianOptions.verify} all read them here.
 *
 * <p><b>Against finite differences.</b> An analytic value a passes against a finite-difference value n
 * when |a − n| ≤ atol + rtol·|n|, with the step {@link #H}, {@link #ATOL} and {@link #RTOL} by default
 * (PyTorch gradcheck's float64 defaults). Central differences (f(x + hv) − f(x − hv)) / 2h err by about
 * h²·|f‴|/6 from truncation and ε·|f|/h from rounding (ε = 2⁻⁵² ≈ 2.2e-16): at h = 1e-6 both are far
 * below atol + rtol·|n| for functions of moderate size and curvature. {@code GradCheck} lets the caller
 * change all three; {@code Diff.check} uses them as they are.</p>
 *
 * <p><b>Between the modes.</b> Forward and reverse mode compute the same sums of products in different
 * orders, so they differ by rounding only, about ε times the size of the terms; no step size is
 * involved and the tolerances are tight:</p>
 * <ul>
 *   <li>full Jacobians, element by element: |J_fwd − J_rev| ≤ {@link #FORWARD_REVERSE_RTOL}·max|J| +
 *       {@link #ROUNDING_ATOL}, max|J| the largest finite |element| of the two Jacobians of that argument
 *       (an element that is small by cancellation is held to the scale of the terms it came from);</li>
 *   <li>the dot-product test, ⟨u, J·v⟩ by a forward pass against ⟨uᵀJ, v⟩ by a reverse sweep:
 *       |difference| ≤ {@link #DOT_PRODUCT_RTOL}·Σ|terms| + {@link #ROUNDING_ATOL}, Σ|terms| the sum of
 *       the absolute values of the products the two inner products add up.</li>
 * </ul>
 * Both relative tolerances are about 5·10⁵ ulps (1e-10 / ε): loose enough for the rounding of deep compositions,
 * tight enough that any wrong derivative rule (off by a factor, a sign, a term) fails.
 */
public final class Tolerances {
    private Tolerances() {}

    /** The finite-difference step h: 1e-6. */
    public static final double H = 1e-6;
    /** The absolute tolerance against finite differences: 1e-5. */
    public static final double ATOL = 1e-5;
    /** The relative tolerance against finite differences: 1e-3. */
    public static final double RTOL = 1e-3;
    /** Forward against reverse Jacobian, relative to the largest |element|: 1e-10. */
    public static final double FORWARD_REVERSE_RTOL = 1e-10;
    /** ⟨u, J·v⟩ against ⟨uᵀJ, v⟩, relative to the sum of |terms|: 1e-10. */
    public static final double DOT_PRODUCT_RTOL = 1e-10;
    /**
     * The absolute floor of both mode agreements, 1e-12: a derivative that is exactly zero in theory (a
     * constant built from cancelling terms, as Σ softmax) comes out of either mode as rounding noise of
     * ~1e-16.
     */
    public static final double ROUNDING_ATOL = 1e-12;

    /** atol + rtol·|n|: what an analytic value may differ from the finite-difference value n. */
    static double finiteDifference(double atol, double rtol, double n) {
        return atol + rtol * Math.abs(n);
    }

    /** What a forward and a reverse element may differ by in a Jacobian whose largest |element| is {@code scale}. */
    static double forwardReverse(double scale) {
        return FORWARD_REVERSE_RTOL * scale + ROUNDING_ATOL;
    }

    /** What ⟨u, J·v⟩ and ⟨uᵀJ, v⟩ may differ by when their terms' |values| add up to {@code scale}. */
    static double dotProduct(double scale) {
        return DOT_PRODUCT_RTOL * scale + ROUNDING_ATOL;
    }

    /**
     * |a − reference| / tolerance: 1 or less passes. Equal values (infinities included) and two NaNs give 0;
     * a NaN on one side only, or unequal values whose quotient is undefined (∞ against −∞), give +∞.
     */
    public static double excess(double a, double reference, double tolerance) {
        if (Double.isNaN(a) && Double.isNaN(reference)) return 0;
        if (Double.isNaN(a) || Double.isNaN(reference)) return Double.POSITIVE_INFINITY;
        if (a == reference) return 0;
        double e = Math.abs(a - reference) / tolerance;
        return Double.isNaN(e) ? Double.POSITIVE_INFINITY : e; // ∞ against −∞, or against an infinite tolerance
    }
}
