package dev.dualgrad;

import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.internal.transforms.BatchJacobians;
import dev.dualgrad.internal.transforms.Check;
import dev.dualgrad.transforms.CheckReport;
import dev.dualgrad.internal.transforms.Forward;
import dev.dualgrad.transforms.HessianResult;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.JacobianResult;
import dev.dualgrad.internal.transforms.Jacobians;
import dev.dualgrad.transforms.MultiTensorFunction;
import dev.dualgrad.transforms.Pullback;
import dev.dualgrad.internal.transforms.Reverse;
import dev.dualgrad.internal.transforms.SecondOrder;
import dev.dualgrad.transforms.TensorFunction;
import dev.dualgrad.transforms.ValueAndGrad;
import dev.dualgrad.transforms.ValueAndTangent;

/**
 * The transforms. For f: ℝⁿ → ℝᵐ with Jacobian J at x:
 * <ul>
 *   <li>{@code jvp(f, x, v)} = (f(x), J·v): v shaped like the input, the result like the output; one forward pass.</li>
 *   <li>{@code vjp(f, x)} = (f(x), u ↦ uᵀJ): u shaped like the output, the result like the input; one recording, one sweep per call.</li>
 *   <li>{@code grad(f, x)} = ∇f(x) = Jᵀ·1 for a scalar f.</li>
 *   <li>{@code jacobian(f, x)} = J, shaped output shape followed by input shape, by forward or reverse mode.</li>
 * </ul>
 * Functions of several tensors get one result per argument. Arguments that must not be differentiated
 * (integer class labels, options) are captured by the lambda as constants; an {@code int[]} cannot
 * be differentiated at all. Transforms nest: {@code grad} of a function that calls {@code jvp} inside
 * differentiates the JVP, and nested calls never confuse their tangents.
 */
public final class Diff {
    private Diff() {}

    // ------------------------------------------------------------------ forward mode

    /** f(x) and J·v, with v shaped like x. */
    public static ValueAndTangent jvp(TensorFunction f, Tensor x, Tensor v) {
        return Forward.jvp("jvp", xs -> f.apply(xs[0]), new Tensor[] {x}, new Tensor[] {v}, false);
    }

    /** f(x₁..) and Σᵢ Jᵢ·vᵢ, with vᵢ shaped like xᵢ. */
    public static ValueAndTangent jvp(MultiTensorFunction f, Tensor[] xs, Tensor[] vs) {
        return Forward.jvp("jvp", f, xs, vs, false);
    }

    /** k JVPs in one pass: V is [k, ...x.shape], the tangent returned [k, ...f(x).shape]. */
    public static ValueAndTangent jvpBatched(TensorFunction f, Tensor x, Tensor v) {
        return Forward.jvp("jvpBatched", xs -> f.apply(xs[0]), new Tensor[] {x}, new Tensor[] {v}, true);
    }

    public static ValueAndTangent jvpBatched(MultiTensorFunction f, Tensor[] xs, Tensor[] vs) {
        return Forward.jvp("jvpBatched", f, xs, vs, true);
    }

    /** ∇f(x)·v for a scalar f, by one forward pass. */
    public static double directionalDerivative(TensorFunction f, Tensor x, Tensor v) {
        ValueAndTangent r = jvp(f, x, v);
        if (r.value().size() != 1) {
            throw new IllegalArgumentException("directionalDerivative: f must return a scalar but returned shape "
                    + java.util.Arrays.toString(r.value().shape()) + "; use Diff.jvp for J·v of a vector-valued f");
        }
        return r.tangent().item();
    }

    // ------------------------------------------------------------------ reverse mode

    /** f(x) and a reusable pullback u ↦ uᵀJ, with u shaped like f(x). */
    public static Pullback vjp(TensorFunction f, Tensor x) {
        return Reverse.vjp("vjp", xs -> f.apply(xs[0]), new Tensor[] {x});
    }

    public static Pullback vjp(MultiTensorFunction f, Tensor... xs) {
        return Reverse.vjp("vjp", f, xs);
    }

    /** ∇f(x) for a scalar f. */
    public static Tensor grad(TensorFunction f, Tensor x) {
        return valueAndGrad(f, x).grad();
    }

    /** ∇ᵢf for each argument. */
    public static Tensor[] grad(MultiTensorFunction f, Tensor... xs) {
        return Reverse.valueAndGrad("grad", f, xs).grads();
    }

    public static ValueAndGrad valueAndGrad(TensorFunction f, Tensor x) {
        return Reverse.valueAndGrad("grad", xs -> f.apply(xs[0]), new Tensor[] {x});
    }

    public static ValueAndGrad valueAndGrad(MultiTensorFunction f, Tensor... xs) {
        return Reverse.valueAndGrad("grad", f, xs);
    }

    // ------------------------------------------------------------------ Jacobians

    /** J of f at x, shaped f(x).shape followed by x.shape; the mode is chosen from the sizes. */
    public static Tensor jacobian(TensorFunction f, Tensor x) {
        return jacobian(f, x, JacobianOptions.defaults());
    }

    public static Tensor jacobian(TensorFunction f, Tensor x, JacobianOptions options) {
        return jacobianWithPlan(f, x, options).jacobian();
    }

    /** J and the plan (mode, chunk, passes, memory, and why) that produced it. */
    public static JacobianResult jacobianWithPlan(TensorFunction f, Tensor x, JacobianOptions options) {
        return Jacobians.jacobian(xs -> f.apply(xs[0]), options, new Tensor[] {x});
    }

    /** One Jacobian per argument, and the plan. */
    public static JacobianResult jacobian(MultiTensorFunction f, JacobianOptions options, Tensor... xs) {
        return Jacobians.jacobian(f, options, xs);
    }

    // ------------------------------------------------------------------ second order

    /**
     * The Hessian-vector product H·v of a scalar f, v shaped like x, by forward mode over reverse mode:
     * one gradient computation carrying one tangent, a few gradients' cost.
     */
    public static Tensor hvp(TensorFunction f, Tensor x, Tensor v) {
        return SecondOrder.hvp(f, x, v);
    }

    /** The Hessian of a scalar f, shaped x.shape + x.shape: k columns H·e_j per forward-over-reverse pass. */
    public static Tensor hessian(TensorFunction f, Tensor x) {
        return hessianWithCheck(f, x, JacobianOptions.defaults()).hessian();
    }

    /** The Hessian with ‖H − Hᵀ‖ and the plan; options set the chunk size and memory budget. */
    public static HessianResult hessianWithCheck(TensorFunction f, Tensor x, JacobianOptions options) {
        return SecondOrder.hessian(f, x, options);
    }

    // ------------------------------------------------------------------ per-sample Jacobians

    /**
     * Per-sample Jacobians of an f applied to each row of a batch: x [B, D...] ↦ y [B, C...] gives
     * J [B, C..., D...], J[b] = ∂y[b]/∂x[b], in min(D, C) directional derivatives whatever B is.
     * Checks first that f does not mix samples (see {@link JacobianOptions#checkIndependence}).
     */
    public static Tensor batchJacobian(TensorFunction f, Tensor x) {
        return batchJacobian(f, x, JacobianOptions.defaults());
    }

    public static Tensor batchJacobian(TensorFunction f, Tensor x, JacobianOptions options) {
        return batchJacobianWithPlan(f, x, options).jacobian();
    }

    public static JacobianResult batchJacobianWithPlan(TensorFunction f, Tensor x, JacobianOptions options) {
        return BatchJacobians.batchJacobian(f, x, options);
    }

    // ------------------------------------------------------------------ checking

    /**
     * Compares the forward Jacobian, the reverse Jacobian and central finite differences (h = 1e-6)
     * and reports the largest disagreement and where it is.
     */
    public static CheckReport check(TensorFunction f, Tensor x) {
        return Check.run(xs -> f.apply(xs[0]), new Tensor[] {x}, Check.EPS, Check.ATOL, Check.RTOL);
    }

    public static CheckReport check(MultiTensorFunction f, Tensor... xs) {
        return Check.run(f, xs, Check.EPS, Check.ATOL, Check.RTOL);
    }
}
