package dev.dualgrad.losses;

import dev.dualgrad.tensor.Tensor;

/** How a loss combines its per-element values, as PyTorch's {@code reduction}. */
public enum Reduction {
    /** The average (for class losses with weights: divided by the sum of the targets' weights). */
    MEAN,
    /** The sum. */
    SUM,
    /** No reduction: one value per element (or per sample). */
    NONE;

    /** Applies this reduction to unweighted per-element values. */
    public Tensor apply(Tensor perElement) {
        switch (this) {
            case MEAN: return perElement.mean();
            case SUM: return perElement.sum();
            default: return perElement;
        }
    }
}
