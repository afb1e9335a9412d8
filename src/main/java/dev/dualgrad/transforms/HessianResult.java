package dev.dualgrad.transforms;

import dev.dualgrad.tensor.Tensor;
import java.util.Locale;

/**
 * A Hessian H[i..., j...] = ∂²f/∂x[i...]∂x[j...] of a scalar f, with the check of its symmetry. The
 * Hessian is returned as computed (forward over reverse: column j is the tangent of ∇f along e_j), not
 * symmetrised, so ‖H − Hᵀ‖_F is an honest measure of rounding (or of a derivative rule whose forward and
 * reverse forms disagree).
 *
 * @param hessian H, shaped x.shape followed by x.shape
 * @param asymmetry ‖H − Hᵀ‖_F = √(Σ_{i,j} (H_ij − H_ji)²), over H flattened to n×n
 * @param relativeAsymmetry ‖H − Hᵀ‖_F / ‖H‖_F, or the absolute asymmetry when ‖H‖_F = 0
 * @param plan the mode, chunk (columns per pass), passes and memory of the Jacobian of ∇f, and why
 */
public record HessianResult(Tensor hessian, double asymmetry, double relativeAsymmetry, JacobianPlan plan) {
    /**
     * The shape, both asymmetries and the plan.
     *
     * @return one line of text
     */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Hessian %s, ‖H − Hᵀ‖_F = %.3g (%.3g relative to ‖H‖_F); %s",
                java.util.Arrays.toString(hessian.shape()), asymmetry, relativeAsymmetry, plan);
    }
}
