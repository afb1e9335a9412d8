package dev.dualgrad.transforms;

import dev.dualgrad.tensor.Tensor;

/**
 * The result of a JVP: f(x) and J·v. For a batched JVP the tangent is [k, ...value.shape], the k
 * products J·v_i stacked.
 */
public record ValueAndTangent(Tensor value, Tensor tangent) {}
