package dev.dualgrad.commons;

import dev.dualgrad.tensor.Tensor;

/**
 * A model y = g(p; x) of observed data for {@link LeastSquares#curveFit}: predictions from parameters p
 * (differentiated) and inputs x (constants, the same at every call). Write it with tensor ops, reading no
 * value of p: {@code p.at(0)} is the first parameter as a 0-d tensor that keeps its derivative
 * ({@code p.get(0)}, a double, would not and throws).
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
