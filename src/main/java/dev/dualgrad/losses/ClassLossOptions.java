package dev.dualgrad.losses;

import dev.dualgrad.tensor.Tensor;

/**
 * Options of cross-entropy and NLL, with PyTorch's semantics ({@code torch.nn.functional.cross_entropy}
 * and {@code nll_loss}): a {@link Reduction}, per-class weights w, an ignored target index, and label
 * smoothing ε.
 *
 * <p>With ŷ = log_softmax(x) (for NLL, ŷ is the input), C classes, and rows n whose target tₙ is not the
 * ignored index, the per-row loss is</p>
 * <pre>
 *   ℓₙ = (1 − ε)·(−w_{tₙ} ŷ_{n,tₙ}) + (ε/C)·(−Σ_c w_c ŷ_{n,c})        (w_c = 1 without weights)
 * </pre>
 * <p>and ℓₙ = 0 for ignored rows. MEAN returns Σₙ ℓₙ / Σₙ w_{tₙ} over the rows not ignored, SUM returns Σₙ ℓₙ,
 * NONE returns the ℓₙ. With soft targets p (probabilities), ℓₙ = −Σ_c w_c p'_{n,c} ŷ_{n,c} with
 * p' = (1 − ε)p + ε/C, and MEAN divides by the number of rows.</p>
 *
 * <p>Immutable: each setter returns a modified copy.</p>
 *
 * <pre>{@code
 * Loss.crossEntropy(logits, targets, ClassLossOptions.defaults().labelSmoothing(0.1).reduction(Reduction.SUM));
 * }</pre>
 */
public final class ClassLossOptions {
    /**
     * The ignored target index unless {@link #ignoreIndex(int)} sets another: −100, PyTorch's default. A
     * target equal to it is ignored even with the defaults, as in PyTorch.
     */
    public static final int DEFAULT_IGNORE_INDEX = -100;

    final Reduction reduction;
    final Tensor weight;
    final int ignoreIndex;
    final boolean ignoreIndexSet;
    final double labelSmoothing;

    private ClassLossOptions(Reduction reduction, Tensor weight, int ignoreIndex, boolean ignoreIndexSet, double labelSmoothing) {
        this.reduction = reduction;
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
        this.ignoreIndexSet = ignoreIndexSet;
        this.labelSmoothing = labelSmoothing;
    }

    /**
     * PyTorch's defaults: MEAN, no class weights, ignore index −100 (not set explicitly), no label smoothing.
     *
     * @return the default options
     */
    public static ClassLossOptions defaults() {
        return new ClassLossOptions(Reduction.MEAN, null, DEFAULT_IGNORE_INDEX, false, 0);
    }

    /**
     * Sets how the per-row losses are combined.
     *
     * @param r MEAN (weighted mean over the rows not ignored), SUM, or NONE
     * @return a copy with this reduction
     * @throws IllegalArgumentException if r is null
     */
    public ClassLossOptions reduction(Reduction r) {
        if (r == null) throw new IllegalArgumentException("ClassLossOptions.reduction: r is null (the reduction must not be null)");
        return new ClassLossOptions(r, weight, ignoreIndex, ignoreIndexSet, labelSmoothing);
    }

    /**
     * Sets per-class weights w, PyTorch's {@code weight}: class c's terms are multiplied by w_c, and MEAN
     * divides by Σₙ w_{tₙ}. The weights are constants: they are detached, so no derivative flows into them.
     * Their length must equal the number of classes, which the loss checks.
     *
     * @param w the weights, shape [C], or null for none (every class weighs 1)
     * @return a copy with these weights
     * @throws IllegalArgumentException if w is not of rank 1
     */
    public ClassLossOptions weight(Tensor w) {
        if (w != null && w.rank() != 1) throw new IllegalArgumentException("class weights must have shape [C], got " + java.util.Arrays.toString(w.shape()));
        return new ClassLossOptions(reduction, w == null ? null : w.detach(), ignoreIndex, ignoreIndexSet, labelSmoothing);
    }

    /**
     * Sets the ignored target index, PyTorch's {@code ignore_index}: rows whose target equals it contribute
     * exactly 0 (and a zero derivative) and are left out of MEAN's denominator. When every row is ignored,
     * MEAN is 0/0 = NaN, as in PyTorch. Integer targets only: crossEntropy with soft targets refuses options
     * that set it.
     *
     * @param i the index to ignore; any int (it need not lie in [0, C))
     * @return a copy with this ignore index, marked as set ({@link #hasIgnoreIndex()})
     */
    public ClassLossOptions ignoreIndex(int i) {
        return new ClassLossOptions(reduction, weight, i, true, labelSmoothing);
    }

    /**
     * Sets label smoothing ε, PyTorch's {@code label_smoothing}: the target distribution becomes
     * (1 − ε)·target + ε/C, i.e. ℓₙ = (1 − ε)·(−w_{tₙ} ŷ_{n,tₙ}) + (ε/C)·(−Σ_c w_c ŷ_{n,c}) for integer targets.
     * For crossEntropy only: nll refuses options with ε ≠ 0.
     *
     * @param eps ε in [0, 1]; 0 is no smoothing, 1 the uniform target
     * @return a copy with this smoothing
     * @throws IllegalArgumentException if eps lies outside [0, 1] or is NaN
     */
    public ClassLossOptions labelSmoothing(double eps) {
        if (!(eps >= 0 && eps <= 1)) throw new IllegalArgumentException("label smoothing must lie in [0, 1], got " + eps);
        return new ClassLossOptions(reduction, weight, ignoreIndex, ignoreIndexSet, eps);
    }

    /**
     * The reduction.
     *
     * @return the reduction, {@link Reduction#MEAN} unless set
     */
    public Reduction reduction() { return reduction; }

    /**
     * The per-class weights.
     *
     * @return the weights [C] (detached), or null when every class weighs 1
     */
    public Tensor weight() { return weight; }

    /**
     * The ignored target index. It applies whenever a target equals it, set or not (so the default −100
     * never matches a valid class).
     *
     * @return the index, {@link #DEFAULT_IGNORE_INDEX} unless set
     */
    public int ignoreIndex() { return ignoreIndex; }

    /**
     * Whether {@link #ignoreIndex(int)} was called; soft targets refuse options where it was.
     *
     * @return true when the ignore index was set explicitly
     */
    public boolean hasIgnoreIndex() { return ignoreIndexSet; }

    /**
     * The label smoothing.
     *
     * @return ε, 0 unless set
     */
    public double labelSmoothing() { return labelSmoothing; }
}
