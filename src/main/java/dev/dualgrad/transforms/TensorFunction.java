package dev.dualgrad.transforms;

import dev.dualgrad.tensor.Tensor;

/** A function of one tensor, to be differentiated. Non-differentiable arguments (labels, options) are captured. */
@FunctionalInterface
public interface TensorFunction {
    Tensor apply(Tensor x);
}
