package dev.dualgrad.tensor;

/**
 * Options of {@link Tensor#var(int[], VarianceOptions)} and {@link Tensor#std(int[], VarianceOptions)}:
 * the correction c and whether the reduced axes stay. Over N elements,
 * <pre>
 *   var = Σ (x − mean)² / max(0, N − c)        std = √var
 * </pre>
 * The default c = 1 is the unbiased estimator (Bessel's correction), as PyTorch's {@code correction=1}
 * (its {@code unbiased=True}); NumPy's default is c = 0 ({@code ddof=0}). Immutable: each setter
 * returns a modified copy.
 *
 * <pre>{@code
 * x.var(new int[] {-1}, VarianceOptions.defaults().correction(0).keepDims(true));
 * }</pre>
 */
public final class VarianceOptions {
    private final int correction;
    private final boolean keepDims;

    private VarianceOptions(int correction, boolean keepDims) {
        this.correction = correction;
        this.keepDims = keepDims;
    }

    /**
     * Correction 1 (unbiased, as PyTorch), the reduced axes removed.
     *
     * @return the default options
     */
    public static VarianceOptions defaults() {
        return new VarianceOptions(1, false);
    }

    /**
     * Sets the correction c: the sum of squared deviations is divided by max(0, N − c). 0 gives the
     * biased (population) variance, as inside layerNorm; 1 the unbiased sample variance. With N ≤ c the
     * result is 0/0 = NaN, or ∞ where the deviations are not all zero, as PyTorch.
     *
     * @param c the correction, ≥ 0
     * @return a copy with this correction
     * @throws IllegalArgumentException when c is negative
     */
    public VarianceOptions correction(int c) {
        if (c < 0) throw new IllegalArgumentException("VarianceOptions.correction: the correction must be ≥ 0, got " + c);
        return new VarianceOptions(c, keepDims);
    }

    /**
     * Sets whether the reduced axes stay, with size 1.
     *
     * @param keep true to keep them
     * @return a copy with this setting
     */
    public VarianceOptions keepDims(boolean keep) {
        return new VarianceOptions(correction, keep);
    }

    /**
     * The correction.
     *
     * @return c, 1 unless set
     */
    public int correction() { return correction; }

    /**
     * Whether the reduced axes stay.
     *
     * @return false unless set
     */
    public boolean keepDims() { return keepDims; }
}
