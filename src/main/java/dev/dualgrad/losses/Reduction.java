package dev.dualgrad.losses;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.tensor.Tensor;

/**
 * How a loss combines its per-element values ℓ₁ … ℓ_K into its result, as PyTorch's {@code reduction}
 * argument ({@code 'mean'}, {@code 'sum'}, {@code 'none'}).
 *
 * <p>The elementwise losses (bce, bceWithLogits, mse) reduce over every element, weights included:
 * MEAN is (1/K)·Σ_k w_k ℓ_k. The class losses (crossEntropy and nll with integer targets) reduce over
 * rows, and their MEAN is the weighted mean Σ_n ℓ_n / Σ_n w_{t_n} over the rows not ignored, as
 * PyTorch's; see {@link ClassLossOptions}.</p>
 */
public enum Reduction {
    /**
     * The average. For elementwise losses (1/K)·Σ_k ℓ_k; for class losses with integer targets
     * Σ_n ℓ_n / Σ_n w_{t_n} over the rows not ignored (N when there are no weights and nothing is ignored);
     * for soft targets Σ_n ℓ_n / N over the N rows.
     */
    MEAN,
    /** The sum Σ_k ℓ_k. */
    SUM,
    /** No reduction: one value per element, or per row (sample, and position for [N, C, d…] scores) for class losses. */
    NONE;

    /**
     * Applies this reduction to unweighted per-element values: their mean (over all elements), their sum,
     * or the values unchanged.
     *
     * @param perElement the per-element values ℓ, any shape
     * @return a 0-d tensor for MEAN and SUM; {@code perElement} itself for NONE
     */
    public Tensor apply(Tensor perElement) {
        Args.nonNull(perElement, "Reduction." + name(), "perElement");
        switch (this) {
            case MEAN: return perElement.mean();
            case SUM: return perElement.sum();
            default: return perElement;
        }
    }
}
