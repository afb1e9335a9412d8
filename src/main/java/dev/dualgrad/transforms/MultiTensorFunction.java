package dev.dualgrad.transforms;

import dev.dualgrad.tensor.Tensor;

/** A function of several tensors, differentiated with respect to each; results come one per argument. */
@FunctionalInterface
public interface MultiTensorFunction {
    /**
     * Evaluates the function, computing with the tensor ops only.
     *
     * @param xs the arguments, in the order they were given to the transform
     * @return f(x₁, x₂, …)
     */
    Tensor apply(Tensor[] xs);
}
