package dev.dualgrad.nn;

import dev.dualgrad.tensor.Tensor;

/** Updates a module's parameters from their gradients (given in the order of {@link Module#parameters()}). */
public interface Optimizer {
    void step(Module module, Tensor[] grads);
}
