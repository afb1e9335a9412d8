package dev.dualgrad.transforms;

import dev.dualgrad.tensor.Tensor;

/** A function of one tensor, to be differentiated. Non-differentiable arguments (labels, options) are captured. */
@FunctionalInterface
public interface TensorFunction {
    /**
     * Evaluates the function. It must compute with the tensor ops only (not through {@code toArray()}
     * and back), so that the transforms see every operation.
     *
     * @param x the argument
     * @return f(x)
     */
    Tensor apply(Tensor x);
}
