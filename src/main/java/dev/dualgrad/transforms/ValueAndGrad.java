package dev.dualgrad.transforms;

import dev.dualgrad.tensor.Tensor;

/** f(x) and ∇f(x), one gradient per argument. */
public record ValueAndGrad(Tensor value, Tensor[] grads) {
    /** The gradient of a one-argument function. */
    public Tensor grad() {
        if (grads.length != 1) throw new IllegalStateException("valueAndGrad: there are " + grads.length + " gradients, one per argument; use grads()");
        return grads[0];
    }
}
