package dev.dualgrad.transforms;

import dev.dualgrad.tensor.Tensor;

/**
 * The output of a forward-Laplacian pass: the value f(x), the Jacobian along the seeded directions and
 * the collapsed second-order term. For {@code Diff.laplacian} the Jacobian is ∂f/∂x shaped
 * [...out, ...in] (as {@code Diff.jacobian}) and the Laplacian Δf = Σᵢ ∂²f/∂xᵢ², one per output
 * element; {@code batchLaplacian} gives them per sample, {@code weightedLaplacian} tr(σσᵀ∇²f) and
 * {@code laplacianEstimate} the Hutchinson estimate (see each method for the Jacobian's layout there).
 *
 * @param value f(x)
 * @param jacobian the first derivatives
 * @param laplacian the second-order term, shaped like the value
 */
public record LaplacianResult(Tensor value, Tensor jacobian, Tensor laplacian) {
    /**
     * @param value f(x)
     * @param jacobian the first derivatives
     * @param laplacian the second-order term
     * @throws IllegalArgumentException when a part is null
     */
    public LaplacianResult {
        if (value == null || jacobian == null || laplacian == null) {
            throw new IllegalArgumentException("LaplacianResult: value, jacobian and laplacian must not be null");
        }
    }
}
