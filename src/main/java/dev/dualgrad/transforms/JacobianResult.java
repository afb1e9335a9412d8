package dev.dualgrad.transforms;

import dev.dualgrad.tensor.Tensor;

/**
 * Jacobians of f with respect to each argument, each shaped output shape followed by that argument's
 * shape, and the plan that produced them.
 */
public record JacobianResult(Tensor[] jacobians, JacobianPlan plan) {
    public Tensor get(int argument) {
        return jacobians[argument];
    }

    /** The Jacobian of a one-argument function. */
    public Tensor jacobian() {
        if (jacobians.length != 1) throw new IllegalStateException("jacobian: there are " + jacobians.length + " Jacobians, one per argument; use get(i)");
        return jacobians[0];
    }
}
