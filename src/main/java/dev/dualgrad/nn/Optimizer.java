package dev.dualgrad.nn;

import dev.dualgrad.transforms.PerArgument;

/** Updates a module's parameters in place of the old ones from their gradients. */
public interface Optimizer {
    /**
     * One update step.
     *
     * @param module the module whose parameters are replaced by the updated ones
     * @param grads the gradient of the loss with respect to each parameter, in the order of
     *     {@link Module#parameters()} (as {@code Diff.grad(loss, module.parameterArray())} returns them)
     * @throws IllegalArgumentException when the gradients do not match the parameters in number or shape
     */
    void step(Module module, PerArgument grads);
}
