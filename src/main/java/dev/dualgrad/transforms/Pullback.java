package dev.dualgrad.transforms;

import dev.dualgrad.tensor.Tensor;

/**
 * The result of a VJP: f(x), and a pullback u ↦ uᵀJ that can be called any number of times. The
 * cotangent u is shaped like the output; each result is shaped like its input.
 *
 * <p>For f: ℝⁿ → ℝᵐ with Jacobian J (m × n), {@code apply(u)} is the vector-Jacobian product
 * uᵀJ ∈ ℝⁿ for a cotangent u ∈ ℝᵐ, computed by one backward sweep of the tape recorded once for f(x).</p>
 */
public interface Pullback {
    /** @return f(x), computed while recording */
    Tensor value();

    /**
     * Doubles this pullback keeps alive for its sweeps: the values the recorded VJP rules read (each
     * array once). A tanh MLP keeps about one activation per layer.
     *
     * @return the number of doubles retained
     */
    long retainedElements();

    /**
     * uᵀJ for a one-input function.
     *
     * @param u the cotangent, shaped like the output
     * @return uᵀJ, shaped like the input
     * @throws IllegalArgumentException when u is not shaped like the output
     * @throws IllegalStateException when the function has several inputs (use {@link #applyAll})
     */
    Tensor apply(Tensor u);

    /**
     * uᵀJᵢ for each input i.
     *
     * @param u the cotangent, shaped like the output
     * @return one cotangent per input, each shaped like its input
     */
    PerArgument applyAll(Tensor u);

    /**
     * c VJPs in one sweep, for a one-input function.
     *
     * @param u the cotangents, shaped [c, ...output shape]
     * @return shaped [c, ...input shape]: row i is u[i]ᵀJ
     */
    Tensor applyBatched(Tensor u);

    /**
     * c VJPs in one sweep, for each input.
     *
     * @param u the cotangents, shaped [c, ...output shape]
     * @return for each input i, shaped [c, ...input i's shape]
     */
    PerArgument applyAllBatched(Tensor u);
}
