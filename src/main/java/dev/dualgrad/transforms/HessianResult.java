package dev.dualgrad.transforms;

import dev.dualgrad.tensor.Tensor;
import java.util.Locale;

/**
 * A Hessian with the check of its symmetry: ‖H − Hᵀ‖_F, absolute and relative to ‖H‖_F. The Hessian is
 * returned as computed (forward over reverse), not symmetrised, so the asymmetry is an honest measure
 * of rounding.
 */
public record HessianResult(Tensor hessian, double asymmetry, double relativeAsymmetry, JacobianPlan plan) {
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Hessian %s, ‖H − Hᵀ‖_F = %.3g (%.3g relative to ‖H‖_F); %s",
                java.util.Arrays.toString(hessian.shape()), asymmetry, relativeAsymmetry, plan);
    }
}
