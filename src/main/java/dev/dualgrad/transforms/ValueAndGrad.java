package dev.dualgrad.transforms;

import dev.dualgrad.tensor.Tensor;

/**
 * f(x) and ∇f(x) for a scalar f, one gradient per argument: {@code grads().get(i)} = ∂f/∂xᵢ, shaped
 * like xᵢ.
 *
 * @param value f(x), a tensor of one element
 * @param grads the gradients, one per argument
 */
public record ValueAndGrad(Tensor value, PerArgument grads) {
    /**
     * The gradient of a one-argument function.
     *
     * @return ∇f(x), shaped like x
     * @throws IllegalStateException when f has several arguments (use {@link #grads()})
     */
    public Tensor grad() {
        return grads.only();
    }
}
