package dev.dualgrad.losses;

import dev.dualgrad.tensor.Tensor;

/**
 * Options of cross-entropy and NLL, with PyTorch's semantics: a reduction, per-class weights, an
 * ignored target index (default −100), and label smoothing ε ∈ [0, 1]. Immutable: each setter returns a copy.
 */
public final class ClassLossOptions {
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

    public static ClassLossOptions defaults() {
        return new ClassLossOptions(Reduction.MEAN, null, DEFAULT_IGNORE_INDEX, false, 0);
    }

    public ClassLossOptions reduction(Reduction r) {
        if (r == null) throw new IllegalArgumentException("reduction must not be null");
        return new ClassLossOptions(r, weight, ignoreIndex, ignoreIndexSet, labelSmoothing);
    }

    /** Per-class weights, shape [C]; treated as constants (never differentiated). */
    public ClassLossOptions weight(Tensor w) {
        if (w != null && w.rank() != 1) throw new IllegalArgumentException("class weights must have shape [C], got " + java.util.Arrays.toString(w.shape()));
        return new ClassLossOptions(reduction, w == null ? null : w.detach(), ignoreIndex, ignoreIndexSet, labelSmoothing);
    }

    /** Targets equal to this index contribute nothing, and are left out of the mean's denominator. */
    public ClassLossOptions ignoreIndex(int i) {
        return new ClassLossOptions(reduction, weight, i, true, labelSmoothing);
    }

    /** Mixes the target distribution with the uniform one: (1 − ε)·target + ε/C. */
    public ClassLossOptions labelSmoothing(double eps) {
        if (!(eps >= 0 && eps <= 1)) throw new IllegalArgumentException("label smoothing must lie in [0, 1], got " + eps);
        return new ClassLossOptions(reduction, weight, ignoreIndex, ignoreIndexSet, eps);
    }

    /** The reduction: {@link Reduction#MEAN} unless set. */
    public Reduction reduction() { return reduction; }

    /** The per-class weights [C], or null when every class weighs 1. */
    public Tensor weight() { return weight; }

    /** The ignored target index; it has effect only where {@link #hasIgnoreIndex()} or it equals a target. */
    public int ignoreIndex() { return ignoreIndex; }

    /** True when {@link #ignoreIndex(int)} was called (otherwise the PyTorch default −100 applies). */
    public boolean hasIgnoreIndex() { return ignoreIndexSet; }

    /** The label smoothing ε, 0 unless set. */
    public double labelSmoothing() { return labelSmoothing; }
}
