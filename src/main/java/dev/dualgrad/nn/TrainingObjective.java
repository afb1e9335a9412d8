package dev.dualgrad.nn;

import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.ValueAndGrad;

/**
 * A scalar function of a module's parameters, with its gradient, however it is computed: a
 * {@link BlockedObjective} over a data set on this machine's cores, or the same objective over a cluster.
 * {@link Trainer#minimize(TrainingObjective, int)} drives an {@link Optimizer} with it.
 */
@FunctionalInterface
public interface TrainingObjective {
    /**
     * f(θ) and ∇f(θ).
     *
     * @param params θ, one tensor per parameter in the order of {@link Module#parameters()}
     * @return the value, a one-element tensor, and one gradient per parameter, each shaped like it
     * @throws IllegalArgumentException when the parameters do not fit the objective
     */
    ValueAndGrad valueAndGrad(Tensor[] params);

    /**
     * The objective that optimizer step {@code step} (counted from 0) minimizes: this one for a full-data
     * objective, the step's mini-batch for a sampled one.
     *
     * @param step the optimizer step, ≥ 0
     * @return the objective of that step
     * @throws IllegalArgumentException when step is negative
     */
    default TrainingObjective atStep(long step) {
        if (step < 0) throw new IllegalArgumentException("TrainingObjective.atStep: step must be ≥ 0, got " + step);
        return this;
    }
}
