package dev.dualgrad.nn;

/**
 * Options of {@link LayerNorm}: ε and whether the layer has an elementwise affine map (parameters
 * "weight" and "bias"), PyTorch's {@code eps} and {@code elementwise_affine}. Immutable: each setter
 * returns a modified copy.
 *
 * <pre>{@code
 * new LayerNorm(new int[] {256}, LayerNormOptions.defaults().eps(1e-6).elementwiseAffine(false));
 * }</pre>
 */
public final class LayerNormOptions {
    private final double eps;
    private final boolean affine;

    private LayerNormOptions(double eps, boolean affine) {
        this.eps = eps;
        this.affine = affine;
    }

    /**
     * PyTorch's defaults: ε = 1e-5, with the affine map.
     *
     * @return the default options
     */
    public static LayerNormOptions defaults() {
        return new LayerNormOptions(Functional.LAYER_NORM_EPS, true);
    }

    /**
     * Sets ε, added to the variance before the square root.
     *
     * @param eps ε, finite and ≥ 0
     * @return a copy with this ε
     * @throws IllegalArgumentException when ε is negative, infinite or NaN
     */
    public LayerNormOptions eps(double eps) {
        if (!(eps >= 0) || Double.isInfinite(eps)) throw new IllegalArgumentException("LayerNormOptions.eps: eps must be finite and ≥ 0, got " + eps);
        return new LayerNormOptions(eps, affine);
    }

    /**
     * Sets whether the layer has the parameters weight (initially 1) and bias (initially 0).
     *
     * @param affine true for y = n ⊙ weight + bias, false for y = n
     * @return a copy with this setting
     */
    public LayerNormOptions elementwiseAffine(boolean affine) {
        return new LayerNormOptions(eps, affine);
    }

    /**
     * ε.
     *
     * @return ε, 1e-5 unless set
     */
    public double eps() { return eps; }

    /**
     * Whether the layer has weight and bias.
     *
     * @return true unless set
     */
    public boolean elementwiseAffine() { return affine; }
}
