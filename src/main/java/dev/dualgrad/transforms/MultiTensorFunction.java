package dev.dualgrad.transforms;

import dev.dualgrad.tensor.Tensor;

/** A function of several tensors, differentiated with respect to each; results come one per argument. */
@FunctionalInterface
public interface MultiTensorFunction {
    Tensor apply(Tensor[] xs);
}
