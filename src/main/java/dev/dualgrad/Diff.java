package dev.dualgrad;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.internal.transforms.BatchJacobians;
import dev.dualgrad.internal.transforms.GradChecker;
import dev.dualgrad.transforms.CheckReport;
import dev.dualgrad.internal.transforms.Forward;
import dev.dualgrad.transforms.HessianResult;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.JacobianResult;
import dev.dualgrad.internal.transforms.Jacobians;
import dev.dualgrad.transforms.MultiTensorFunction;
import dev.dualgrad.transforms.PerArgument;
import dev.dualgrad.transforms.Pullback;
import dev.dualgrad.internal.transforms.Reverse;
import dev.dualgrad.internal.transforms.SecondOrder;
import dev.dualgrad.sparse.SparseHessian;
import dev.dualgrad.sparse.SparseJacobian;
import dev.dualgrad.sparse.SparseMatrix;
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
 * Every transform takes its options last and has an overload without them. Functions of several
 * tensors ({@link MultiTensorFunction}) get one result per argument, always as a {@link PerArgument}
 * read with {@code get(i)}. Arguments that must not be differentiated
 * (integer class labels, options) are captured by the lambda as constants; an {@code int[]} cannot
 * be differentiated at all. Transforms nest: {@code grad} of a function that calls {@code jvp} inside
 * differentiates the JVP, and nested calls never confuse their tangents.
 */
public final class Diff {
    private Diff() {}

    // ------------------------------------------------------------------ forward mode

    /**
     * f(x) and the Jacobian-vector product J·v, by one forward pass.
     *
     * @param f the function
     * @param x the point
     * @param v the tangent, shaped like x
     * @return f(x) and J·v (shaped like f(x))
     * @throws IllegalArgumentException when v is not shaped like x
     * @throws NullPointerException naming the parameter when f, x or v is null (a null v is not a zero tangent)
     */
    public static ValueAndTangent jvp(TensorFunction f, Tensor x, Tensor v) {
        Args.nonNull(f, "jvp", "f");
        Args.nonNull(x, "jvp", "x");
        Args.nonNull(v, "jvp", "v");
        return Forward.jvp("jvp", xs -> f.apply(xs[0]), new Tensor[] {x}, new Tensor[] {v}, false);
    }

    /**
     * f(x₁, …) and Σᵢ Jᵢ·vᵢ, by one forward pass.
     *
     * @param f the function of several tensors
     * @param xs the point, one tensor per argument
     * @param vs the tangents, vᵢ shaped like xᵢ; a null entry holds that argument fixed (a zero tangent)
     * @return f(x) and Σᵢ (∂f/∂xᵢ)·vᵢ
     */
    public static ValueAndTangent jvp(MultiTensorFunction f, Tensor[] xs, Tensor[] vs) {
        Args.nonNull(f, "jvp", "f");
        Args.nonNullEntries(xs, "jvp", "xs");
        Args.nonNull(vs, "jvp", "vs"); // a null entry holds that argument fixed (a zero tangent, never allocated)
        return Forward.jvp("jvp", f, xs, vs, false);
    }

    /**
     * k JVPs in one forward pass.
     *
     * @param f the function
     * @param x the point
     * @param v k tangents stacked, shaped [k, ...x.shape]
     * @return f(x) and the k products J·v[i] stacked, shaped [k, ...f(x).shape]
     */
    public static ValueAndTangent jvpBatched(TensorFunction f, Tensor x, Tensor v) {
        Args.nonNull(f, "jvpBatched", "f");
        Args.nonNull(x, "jvpBatched", "x");
        Args.nonNull(v, "jvpBatched", "v");
        return Forward.jvp("jvpBatched", xs -> f.apply(xs[0]), new Tensor[] {x}, new Tensor[] {v}, true);
    }

    /**
     * k JVPs of a function of several tensors in one forward pass.
     *
     * @param f the function of several tensors
     * @param xs the point
     * @param vs for each argument, k tangents shaped [k, ...xᵢ.shape]; a null entry holds that argument fixed
     * @return f(x) and Σᵢ Jᵢ·vᵢ[j] for each direction j, shaped [k, ...f(x).shape]
     */
    public static ValueAndTangent jvpBatched(MultiTensorFunction f, Tensor[] xs, Tensor[] vs) {
        Args.nonNull(f, "jvpBatched", "f");
        Args.nonNullEntries(xs, "jvpBatched", "xs");
        Args.nonNull(vs, "jvpBatched", "vs"); // a null entry holds that argument fixed
        return Forward.jvp("jvpBatched", f, xs, vs, true);
    }

    /**
     * The directional derivative ∇f(x)·v of a scalar f, by one forward pass.
     *
     * @param f a function returning one element
     * @param x the point
     * @param v the direction, shaped like x
     * @return ∇f(x)·v
     * @throws IllegalArgumentException when f(x) has more than one element
     * @throws IllegalStateException when called inside another transform, where a double would drop its
     *     derivative (use {@link #jvp(TensorFunction, Tensor, Tensor)} there)
     */
    public static double directionalDerivative(TensorFunction f, Tensor x, Tensor v) {
        Args.nonNull(f, "directionalDerivative", "f");
        Args.nonNull(x, "directionalDerivative", "x");
        Args.nonNull(v, "directionalDerivative", "v");
        ValueAndTangent r = jvp(f, x, v);
        if (r.value().size() != 1) {
            throw new IllegalArgumentException("directionalDerivative: f must return a scalar but returned shape "
                    + java.util.Arrays.toString(r.value().shape()) + "; use Diff.jvp for J·v of a vector-valued f");
        }
        if (!r.tangent().isConstant()) {
            throw new IllegalStateException("directionalDerivative: called inside another transform, it would return a double and"
                    + " drop that transform's derivative; use Diff.jvp(f, x, v).tangent(), a 0-d tensor, to keep it");
        }
        return r.tangent().item();
    }

    // ------------------------------------------------------------------ reverse mode

    /**
     * f(x) and a reusable pullback u ↦ uᵀJ: f is recorded once, each call of the pullback is one sweep.
     *
     * @param f the function
     * @param x the point
     * @return f(x) and the pullback, which takes u shaped like f(x)
     */
    public static Pullback vjp(TensorFunction f, Tensor x) {
        Args.nonNull(f, "vjp", "f");
        Args.nonNull(x, "vjp", "x");
        return Reverse.vjp("vjp", xs -> f.apply(xs[0]), new Tensor[] {x});
    }

    /**
     * f(x₁, …) and a reusable pullback u ↦ (uᵀJ₁, uᵀJ₂, …).
     *
     * @param f the function of several tensors
     * @param xs the point
     * @return f(x) and the pullback; {@link Pullback#applyAll} gives one cotangent per argument
     */
    public static Pullback vjp(MultiTensorFunction f, Tensor... xs) {
        Args.nonNull(f, "vjp", "f");
        Args.nonNullEntries(xs, "vjp", "xs");
        return Reverse.vjp("vjp", f, xs);
    }

    /**
     * The gradient ∇f(x) = Jᵀ·1 of a scalar f, by one recording and one sweep.
     *
     * @param f a function returning one element
     * @param x the point
     * @return ∇f(x), shaped like x
     * @throws IllegalArgumentException when f(x) has more than one element
     */
    public static Tensor grad(TensorFunction f, Tensor x) {
        Args.nonNull(f, "grad", "f");
        Args.nonNull(x, "grad", "x");
        return valueAndGrad(f, x).grad();
    }

    /**
     * The gradient of a scalar f with respect to each argument.
     *
     * @param f a function of several tensors returning one element
     * @param xs the point
     * @return ∂f/∂xᵢ for each argument, shaped like xᵢ
     */
    public static PerArgument grad(MultiTensorFunction f, Tensor... xs) {
        Args.nonNull(f, "grad", "f");
        Args.nonNullEntries(xs, "grad", "xs");
        return Reverse.valueAndGrad("grad", f, xs).grads();
    }

    /**
     * f(x) and ∇f(x) of a scalar f, from one recording.
     *
     * @param f a function returning one element
     * @param x the point
     * @return f(x) and ∇f(x)
     */
    public static ValueAndGrad valueAndGrad(TensorFunction f, Tensor x) {
        Args.nonNull(f, "valueAndGrad", "f");
        Args.nonNull(x, "valueAndGrad", "x");
        return Reverse.valueAndGrad("grad", xs -> f.apply(xs[0]), new Tensor[] {x});
    }

    /**
     * f(x) and its gradient with respect to each argument, from one recording.
     *
     * @param f a function of several tensors returning one element
     * @param xs the point
     * @return f(x) and ∂f/∂xᵢ for each argument
     */
    public static ValueAndGrad valueAndGrad(MultiTensorFunction f, Tensor... xs) {
        Args.nonNull(f, "valueAndGrad", "f");
        Args.nonNullEntries(xs, "valueAndGrad", "xs");
        return Reverse.valueAndGrad("grad", f, xs);
    }

    // ------------------------------------------------------------------ Jacobians

    /**
     * The Jacobian J[i..., j...] = ∂f(x)[i...]/∂x[j...], shaped f(x).shape followed by x.shape. The mode
     * is chosen from the sizes: n/k forward passes when the input is the smaller, m/c reverse sweeps
     * otherwise (see {@link JacobianOptions}).
     *
     * @param f the function
     * @param x the point
     * @return J
     */
    public static Tensor jacobian(TensorFunction f, Tensor x) {
        Args.nonNull(f, "jacobian", "f");
        Args.nonNull(x, "jacobian", "x");
        return jacobian(f, x, JacobianOptions.defaults());
    }

    /**
     * The Jacobian, with the mode, chunk size, memory budget or verification set by {@code options}.
     *
     * @param f the function
     * @param x the point
     * @param options how to compute it
     * @return J, shaped f(x).shape followed by x.shape
     */
    public static Tensor jacobian(TensorFunction f, Tensor x, JacobianOptions options) {
        Args.nonNull(f, "jacobian", "f");
        Args.nonNull(x, "jacobian", "x");
        Args.nonNull(options, "jacobian", "options");
        return jacobianWithPlan(f, x, options).jacobian();
    }

    /**
     * The Jacobian of f with respect to each argument, the mode chosen from the sizes.
     *
     * @param f the function of several tensors
     * @param xs the point
     * @return ∂f/∂xᵢ for each argument, shaped f(x).shape followed by xᵢ.shape
     */
    public static PerArgument jacobian(MultiTensorFunction f, Tensor... xs) {
        Args.nonNull(f, "jacobian", "f");
        Args.nonNullEntries(xs, "jacobian", "xs");
        return jacobian(f, xs, JacobianOptions.defaults());
    }

    /**
     * The Jacobian of f with respect to each argument.
     *
     * @param f the function of several tensors
     * @param xs the point
     * @param options how to compute it
     * @return ∂f/∂xᵢ for each argument
     */
    public static PerArgument jacobian(MultiTensorFunction f, Tensor[] xs, JacobianOptions options) {
        Args.nonNull(f, "jacobian", "f");
        Args.nonNullEntries(xs, "jacobian", "xs");
        Args.nonNull(options, "jacobian", "options");
        return jacobianWithPlan(f, xs, options).jacobians();
    }

    /**
     * The Jacobian and the plan (mode, chunk, passes, memory, and why) that produced it.
     *
     * @param f the function
     * @param x the point
     * @return J and its plan
     */
    public static JacobianResult jacobianWithPlan(TensorFunction f, Tensor x) {
        Args.nonNull(f, "jacobianWithPlan", "f");
        Args.nonNull(x, "jacobianWithPlan", "x");
        return jacobianWithPlan(f, x, JacobianOptions.defaults());
    }

    /**
     * The Jacobian and the plan that produced it.
     *
     * @param f the function
     * @param x the point
     * @param options how to compute it
     * @return J and its plan
     */
    public static JacobianResult jacobianWithPlan(TensorFunction f, Tensor x, JacobianOptions options) {
        Args.nonNull(f, "jacobianWithPlan", "f");
        Args.nonNull(x, "jacobianWithPlan", "x");
        Args.nonNull(options, "jacobianWithPlan", "options");
        return Jacobians.jacobian(xs -> f.apply(xs[0]), options, new Tensor[] {x});
    }

    /**
     * One Jacobian per argument, and the plan that produced them.
     *
     * @param f the function of several tensors
     * @param xs the point
     * @param options how to compute them
     * @return the Jacobians and their plan
     */
    public static JacobianResult jacobianWithPlan(MultiTensorFunction f, Tensor[] xs, JacobianOptions options) {
        Args.nonNull(f, "jacobianWithPlan", "f");
        Args.nonNullEntries(xs, "jacobianWithPlan", "xs");
        Args.nonNull(options, "jacobianWithPlan", "options");
        return Jacobians.jacobian(f, options, xs);
    }

    // ------------------------------------------------------------------ second order

    /**
     * The Hessian-vector product H·v of a scalar f, by forward mode over reverse mode: one gradient
     * computation carrying one tangent, a few gradients' cost. H[i, j] = ∂²f/∂xᵢ∂xⱼ.
     *
     * @param f a function returning one element
     * @param x the point
     * @param v the direction, shaped like x
     * @return H·v, shaped like x
     */
    public static Tensor hvp(TensorFunction f, Tensor x, Tensor v) {
        Args.nonNull(f, "hvp", "f");
        Args.nonNull(x, "hvp", "x");
        Args.nonNull(v, "hvp", "v");
        return SecondOrder.hvp(f, x, v);
    }

    /**
     * The Hessian H[i..., j...] = ∂²f/∂x[i...]∂x[j...] of a scalar f, shaped x.shape + x.shape: k
     * columns H·eⱼ per forward-over-reverse pass.
     *
     * @param f a function returning one element
     * @param x the point
     * @return H, as computed (not symmetrised)
     */
    public static Tensor hessian(TensorFunction f, Tensor x) {
        Args.nonNull(f, "hessian", "f");
        Args.nonNull(x, "hessian", "x");
        return hessian(f, x, JacobianOptions.defaults());
    }

    /**
     * The Hessian, with the chunk size and memory budget set by {@code options}.
     *
     * @param f a function returning one element
     * @param x the point
     * @param options the chunk size (columns per pass) and memory budget
     * @return H, shaped x.shape + x.shape
     */
    public static Tensor hessian(TensorFunction f, Tensor x, JacobianOptions options) {
        Args.nonNull(f, "hessian", "f");
        Args.nonNull(x, "hessian", "x");
        Args.nonNull(options, "hessian", "options");
        return hessianWithCheck(f, x, options).hessian();
    }

    /**
     * The Hessian with ‖H − Hᵀ‖_F and the plan.
     *
     * @param f a function returning one element
     * @param x the point
     * @return H, its asymmetry and the plan
     */
    public static HessianResult hessianWithCheck(TensorFunction f, Tensor x) {
        Args.nonNull(f, "hessianWithCheck", "f");
        Args.nonNull(x, "hessianWithCheck", "x");
        return hessianWithCheck(f, x, JacobianOptions.defaults());
    }

    /**
     * The Hessian with ‖H − Hᵀ‖_F and the plan; options set the chunk size and memory budget.
     *
     * @param f a function returning one element
     * @param x the point
     * @param options the chunk size and memory budget
     * @return H, its asymmetry and the plan
     */
    public static HessianResult hessianWithCheck(TensorFunction f, Tensor x, JacobianOptions options) {
        Args.nonNull(f, "hessianWithCheck", "f");
        Args.nonNull(x, "hessianWithCheck", "x");
        Args.nonNull(options, "hessianWithCheck", "options");
        return SecondOrder.hessian(f, x, options);
    }

    // ------------------------------------------------------------------ sparse Jacobians and Hessians

    /**
     * The Jacobian as a sparse matrix, m×n (x and f(x) read row-major), from its detected pattern in a few
     * batched passes: f runs once on index sets to find which outputs may depend on which inputs, the
     * columns (or rows) are coloured so that no two of one colour meet in a row (column), and one pass with
     * one direction per colour gives every entry. A banded Jacobian with bandwidth w takes about w
     * colours, a 5-point stencil 5, whatever n. The detected pattern is global (SparseConnectivityTracer's
     * sense): it depends on f, not on the values at x, and contains every entry that is nonzero at some x
     * where f takes the same branches; it may hold entries that are zero here. To evaluate at many points,
     * prepare once with {@link SparseJacobian#prepare}.
     *
     * @param f the function
     * @param x the point, a constant
     * @return J(x)
     * @throws IllegalArgumentException when x is not a constant or f returns null
     */
    public static SparseMatrix sparseJacobian(TensorFunction f, Tensor x) {
        return sparseJacobian(f, x, JacobianOptions.defaults());
    }

    /**
     * The sparse Jacobian, with the mode (AUTO: the fewer colours), colours per pass, memory budget and
     * verification set.
     *
     * @param f the function
     * @param x the point, a constant
     * @param options mode, chunk size, memory budget, verify
     * @return J(x)
     * @throws IllegalArgumentException when x is not a constant or f returns null
     */
    public static SparseMatrix sparseJacobian(TensorFunction f, Tensor x, JacobianOptions options) {
        return SparseJacobian.prepare(f, x, options).evaluate(x);
    }

    /**
     * The Hessian of a scalar f as a sparse symmetric matrix, n×n: its pattern detected through the
     * reverse sweep, star-coloured, and every entry read from one Hessian-vector product per colour
     * (forward over reverse, all in one pass). Rosenbrock's tridiagonal Hessian takes 3 colours whatever
     * n. To evaluate at many points, prepare once with {@link SparseHessian#prepare}.
     *
     * @param f a function returning one element
     * @param x the point, a constant
     * @return H(x)
     * @throws IllegalArgumentException when f is not scalar, returns null, or x is not a constant
     */
    public static SparseMatrix sparseHessian(TensorFunction f, Tensor x) {
        return sparseHessian(f, x, JacobianOptions.defaults());
    }

    /**
     * The sparse Hessian with colours per pass, memory budget and verification set (mode AUTO or FORWARD).
     *
     * @param f a function returning one element
     * @param x the point, a constant
     * @param options chunk size, memory budget, verify
     * @return H(x)
     * @throws IllegalArgumentException when f is not scalar, returns null, x is not a constant, or the mode is REVERSE
     */
    public static SparseMatrix sparseHessian(TensorFunction f, Tensor x, JacobianOptions options) {
        return SparseHessian.prepare(f, x, options).evaluate(x);
    }

    // ------------------------------------------------------------------ per-sample Jacobians

    /**
     * Per-sample Jacobians of an f applied to each row of a batch: x [B, D...] ↦ y [B, C...] gives
     * J [B, C..., D...], J[b] = ∂y[b]/∂x[b], in min(D, C) directional derivatives whatever B is.
     * Checks first that f does not mix samples (see {@link JacobianOptions#checkIndependence}).
     *
     * @param f a function of a batch whose samples do not interact
     * @param x the batch, [B, D...]
     * @return J, [B, C..., D...]
     */
    public static Tensor batchJacobian(TensorFunction f, Tensor x) {
        Args.nonNull(f, "batchJacobian", "f");
        Args.nonNull(x, "batchJacobian", "x");
        return batchJacobian(f, x, JacobianOptions.defaults());
    }

    /**
     * Per-sample Jacobians, with the mode, chunk size and independence check set by {@code options}.
     *
     * @param f a function of a batch whose samples do not interact
     * @param x the batch, [B, D...]
     * @param options how to compute them
     * @return J, [B, C..., D...]
     */
    public static Tensor batchJacobian(TensorFunction f, Tensor x, JacobianOptions options) {
        Args.nonNull(f, "batchJacobian", "f");
        Args.nonNull(x, "batchJacobian", "x");
        Args.nonNull(options, "batchJacobian", "options");
        return batchJacobianWithPlan(f, x, options).jacobian();
    }

    /**
     * Per-sample Jacobians and the plan that produced them.
     *
     * @param f a function of a batch whose samples do not interact
     * @param x the batch, [B, D...]
     * @return J and its plan
     */
    public static JacobianResult batchJacobianWithPlan(TensorFunction f, Tensor x) {
        Args.nonNull(f, "batchJacobianWithPlan", "f");
        Args.nonNull(x, "batchJacobianWithPlan", "x");
        return batchJacobianWithPlan(f, x, JacobianOptions.defaults());
    }

    /**
     * Per-sample Jacobians and the plan that produced them.
     *
     * @param f a function of a batch whose samples do not interact
     * @param x the batch, [B, D...]
     * @param options how to compute them
     * @return J and its plan
     */
    public static JacobianResult batchJacobianWithPlan(TensorFunction f, Tensor x, JacobianOptions options) {
        Args.nonNull(f, "batchJacobianWithPlan", "f");
        Args.nonNull(x, "batchJacobianWithPlan", "x");
        Args.nonNull(options, "batchJacobianWithPlan", "options");
        return BatchJacobians.batchJacobian(f, x, options);
    }

    // ------------------------------------------------------------------ checking

    /**
     * Checks f's derivatives at x: the full forward-mode Jacobian, the full reverse-mode Jacobian and the
     * central finite-difference Jacobian (f(x + h·e_j) − f(x − h·e_j)) / 2h, h = 1e-6, compared element by
     * element. Forward and reverse must agree to rounding (|J_fwd − J_rev| ≤ 1e-10·max|J| + 1e-12); each
     * must match finite differences n to |a − n| ≤ 1e-5 + 1e-3·|n|. This is the full-Jacobian part of
     * {@code testing.GradCheck}, by the same routine and tolerances; GradCheck also checks along random
     * directions and at second order, with tolerances of your choosing.
     *
     * @param f the function
     * @param x the point
     * @return the three Jacobians and, for each comparison, its worst element and where it is
     */
    public static CheckReport check(TensorFunction f, Tensor x) {
        Args.nonNull(f, "check", "f");
        Args.nonNull(x, "check", "x");
        return GradChecker.check(xs -> f.apply(xs[0]), new Tensor[] {x});
    }

    /**
     * Checks f's derivatives with respect to every argument, as {@link #check(TensorFunction, Tensor)} does
     * for one: forward, reverse and central-difference Jacobians per argument, compared element by element.
     *
     * @param f the function of several tensors
     * @param xs the point, one tensor per argument
     * @return the three Jacobians per argument and, for each comparison, its worst element and where it is
     */
    public static CheckReport check(MultiTensorFunction f, Tensor... xs) {
        Args.nonNull(f, "check", "f");
        Args.nonNullEntries(xs, "check", "xs");
        return GradChecker.check(f, xs);
    }
}
