package dev.dualgrad.tensor;

/**
 * Options of {@link Tensor#norm(int[], NormOptions)}: the order p ∈ {1, 2, ∞} of the vector norm and
 * whether the reduced axes stay. As PyTorch's {@code torch.linalg.vector_norm}:
 * <pre>
 *   p = 1   Σ |x|             derivative sign(x), 0 at x = 0
 *   p = 2   √(Σ x²)           derivative x / ‖x‖₂, 0 where ‖x‖₂ = 0 (the subgradient 0, as PyTorch)
 *   p = ∞   max |x|           derivative sign(x) shared equally by the entries that tie for the maximum
 * </pre>
 * The 2-norm is computed as m·√(Σ (x/m)²) with m = max|x|, so that it neither overflows nor underflows
 * where the norm itself does not (‖[1e200, 1e200]‖ = 1.41e200, ‖[1e-200, 1e-200]‖ = 1.41e-200). Immutable.
 *
 * <pre>{@code
 * x.norm(new int[] {-1}, NormOptions.defaults().p(1).keepDims(true));
 * }</pre>
 */
public final class NormOptions {
    private final double p;
    private final boolean keepDims;

    private NormOptions(double p, boolean keepDims) {
        this.p = p;
        this.keepDims = keepDims;
    }

    /**
     * The Euclidean norm (p = 2), the reduced axes removed.
     *
     * @return the default options
     */
    public static NormOptions defaults() {
        return new NormOptions(2, false);
    }

    /**
     * Sets the order.
     *
     * @param p 1, 2 or {@code Double.POSITIVE_INFINITY}
     * @return a copy with this order
     * @throws IllegalArgumentException for any other p
     */
    public NormOptions p(double p) {
        if (p != 1 && p != 2 && p != Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("NormOptions.p: the order must be 1, 2 or Double.POSITIVE_INFINITY, got " + p);
        }
        return new NormOptions(p, keepDims);
    }

    /**
     * Sets whether the reduced axes stay, with size 1.
     *
     * @param keep true to keep them
     * @return a copy with this setting
     */
    public NormOptions keepDims(boolean keep) {
        return new NormOptions(p, keep);
    }

    /**
     * The order.
     *
     * @return p, 2 unless set
     */
    public double p() { return p; }

    /**
     * Whether the reduced axes stay.
     *
     * @return false unless set
     */
    public boolean keepDims() { return keepDims; }
}
