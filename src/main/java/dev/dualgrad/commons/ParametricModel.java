package dev.dualgrad.commons;

import dev.dualgrad.tensor.Tensor;

/**
 * A model y = g(p; x) of observed data for {@link LeastSquares#curveFit}: predictions from parameters p
 * (differentiated) and inputs x (constants, the same at every call). Write it with tensor ops, reading no
 * value of p: {@code p.at(0)} is the first parameter as a 0-d tensor that keeps its derivative
 * ({@code p.get(0)}, a double, would not and throws).
 *
 * <p>{@code curveFit} may also call it with a block of rows of the inputs, {@code x[lo, hi)} along the first axis,
 * when it has checked that each sample's prediction depends on its own row alone (then it takes the Jacobian
 * block by block); a model that reads the number of rows, or captures data of the whole batch, is detected
 * there and evaluated on all the inputs only.</p>
 */
@FunctionalInterface
public interface ParametricModel {
    /**
     * The predictions for every input.
     *
     * @param parameters p, a rank-1 tensor [n]
     * @param inputs x, the inputs given to {@code curveFit}
     * @return g(p; x), shaped like the observations
     */
    Tensor predict(Tensor parameters, Tensor inputs);
}
