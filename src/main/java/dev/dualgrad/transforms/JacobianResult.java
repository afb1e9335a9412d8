package dev.dualgrad.transforms;

import dev.dualgrad.tensor.Tensor;

/**
 * Jacobians of f with respect to each argument, each shaped output shape followed by that argument's
 * shape (J[i..., j...] = ∂f(x)[i...]/∂x[j...]), and the plan that produced them.
 *
 * @param jacobians one Jacobian per argument
 * @param plan the mode, chunk size, passes and memory used, and why
 */
public record JacobianResult(PerArgument jacobians, JacobianPlan plan) {
    /**
     * The Jacobian with respect to one argument.
     *
     * @param argument the argument's position; negative counts from the end
     * @return ∂f/∂x_argument
     */
    public Tensor get(int argument) {
        return jacobians.get(argument);
    }

    /**
     * The Jacobian of a one-argument function.
     *
     * @return ∂f/∂x, shaped f(x).shape followed by x.shape
     * @throws IllegalStateException when f has several arguments (use {@link #get(int)})
     */
    public Tensor jacobian() {
        return jacobians.only();
    }
}
