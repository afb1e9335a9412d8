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
import dev.dualgrad.internal.transforms.Laplacians;
import dev.dualgrad.internal.transforms.MixedPartials;
import dev.dualgrad.internal.transforms.TaylorMode;
import dev.dualgrad.transforms.Jet;
import dev.dualgrad.transforms.LaplacianOptions;
import dev.dualgrad.transforms.LaplacianResult;
import dev.dualgrad.transforms.TaylorOptions;

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
     * where f takes the same branches; it may hold entries that are zero here. The colouring is chosen for
     * this one pass: a greedy one in O(nnz) unless a search for fewer colours would repay itself in the pass
     * (7 colours rather than 5 on a 5-point stencil; the entries are the same). To evaluate at many points,
     * prepare once with {@link SparseJacobian#prepare}, which searches for the fewest colours.
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
        return dev.dualgrad.internal.sparsity.SparseAccess.jacobianOnce(f, x, options);
    }

    /**
     * The Hessian of a scalar f as a sparse symmetric matrix, n×n: its pattern detected through the
     * reverse sweep, coloured, and every entry read from one Hessian-vector product per colour
     * (forward over reverse, all in one pass). Rosenbrock's tridiagonal Hessian takes 3 colours whatever
     * n. The colouring is chosen for this one pass: first fit on the columns in O(nnz) when it has no more
     * colours than any star colouring could (a banded pattern), else a star colouring. To evaluate at many
     * points, prepare once with {@link SparseHessian#prepare}, which star-colours.
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
        return dev.dualgrad.internal.sparsity.SparseAccess.hessianOnce(f, x, options);
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

    // ------------------------------------------------------------------ Taylor mode and the forward Laplacian

    /**
     * All directional derivatives of orders 1..K from one Taylor pass: y⁽ᵏ⁾ = dᵏ/dtᵏ f(x + t·v) at t = 0,
     * that is Dᵏf(x)[v, …, v]. The pass carries K normalised coefficients per value (x(t) = Σ xₖ tᵏ with
     * xₖ = x⁽ᵏ⁾/k!), with O(K²) recurrences for the nonlinear ops, where K nested JVPs cost 2ᴷ. f may return
     * any shape; each derivative is shaped like f(x). Order 1 is {@link #jvp(TensorFunction, Tensor, Tensor)},
     * bitwise. At a kink of a piecewise op (relu at 0, abs at 0) the series follows the piece the JVP
     * convention picks: it is one-sided; at a tie of maximum or minimum it is the average of the two pieces', as
     * the JVP's ½ weights are.
     *
     * @param f the function
     * @param x the point
     * @param v the direction, shaped like x
     * @param options the order K, 1 ≤ K ≤ {@link TaylorOptions#MAX_ORDER}
     * @return f(x) and the K derivatives
     * @throws IllegalArgumentException when v is not shaped like x
     */
    public static Jet directionalDerivative(TensorFunction f, Tensor x, Tensor v, TaylorOptions options) {
        Args.nonNull(f, "directionalDerivative", "f");
        Args.nonNull(x, "directionalDerivative", "x");
        Args.nonNull(v, "directionalDerivative", "v");
        Args.nonNull(options, "directionalDerivative", "options");
        return TaylorMode.directional("directionalDerivative", f, x, v, options.order());
    }

    /**
     * The Taylor-mode pushforward (JAX's {@code jet}): for an input curve x(t) with derivatives
     * x⁽¹⁾..x⁽ᴷ⁾ at t = 0, the derivatives y⁽ᵏ⁾ = dᵏ/dtᵏ f(x(t)) at t = 0, by Faà di Bruno's formula
     * evaluated in one pass (normalised coefficients inside, derivatives in and out).
     *
     * @param f the function
     * @param x x(0)
     * @param derivatives x⁽¹⁾..x⁽ᴷ⁾, each shaped like x, 1 ≤ K ≤ {@link TaylorOptions#MAX_ORDER}
     * @return f(x) and y⁽¹⁾..y⁽ᴷ⁾
     * @throws IllegalArgumentException when K is out of range or a derivative is not shaped like x
     */
    public static Jet jet(TensorFunction f, Tensor x, Tensor[] derivatives) {
        Args.nonNull(f, "jet", "f");
        Args.nonNull(x, "jet", "x");
        Args.nonNullEntries(derivatives, "jet", "derivatives");
        return TaylorMode.jet("jet", f, x, derivatives);
    }

    /**
     * {@link #jet(TensorFunction, Tensor, Tensor[])} to order K = {@code options.order()}: the input
     * derivatives beyond those given are zero (so {@code jet(f, x, new Tensor[] {v}, order(K))} is
     * {@code directionalDerivative(f, x, v, order(K))}).
     *
     * @param f the function
     * @param x x(0)
     * @param derivatives x⁽¹⁾..x⁽ᵐ⁾ with m ≤ K, each shaped like x
     * @param options the order K
     * @return f(x) and y⁽¹⁾..y⁽ᴷ⁾
     * @throws IllegalArgumentException when more derivatives are given than the order, or one is not shaped like x
     */
    public static Jet jet(TensorFunction f, Tensor x, Tensor[] derivatives, TaylorOptions options) {
        Args.nonNull(f, "jet", "f");
        Args.nonNull(x, "jet", "x");
        Args.nonNullEntries(derivatives, "jet", "derivatives");
        Args.nonNull(options, "jet", "options");
        int k = options.order();
        if (derivatives.length > k) {
            throw new IllegalArgumentException("jet: " + derivatives.length + " input derivatives for order " + k
                    + "; give at most K = options.order() of them");
        }
        Tensor[] all = java.util.Arrays.copyOf(derivatives, k);
        for (int i = derivatives.length; i < k; i++) all[i] = Tensor.zeros(x.shape());
        return TaylorMode.jet("jet", f, x, all);
    }

    /**
     * A mixed partial derivative ∂^|α| f / ∂x₁^α₁ … ∂xₙ^αₙ at x, by interpolation from univariate Taylor
     * series (Griewank, Utke and Walther 2000): g(s) = Dᵈf(x)[s, …, s]/d! (d = |α|) is read from one Taylor
     * pass of order d along s, and ∂^α f is an exact integer combination of g over a set of integer
     * directions, either the box 0 &lt; γ ≤ α (merged along rays) or the lattice |β| = d with β supported where
     * α is, whichever needs fewer passes (the lattice in two variables: d + 1 passes). x's n elements are
     * numbered in row-major order. Accuracy falls with |α| (cancellation among the directions: about
     * 1e-12 relative at order 4, 1e-10 at order 8).
     *
     * @param f the function (any output shape; the result is shaped like f(x))
     * @param x the point
     * @param multiIndex α, n non-negative orders with 1 ≤ |α| ≤ {@link TaylorOptions#MAX_ORDER}
     * @return ∂^α f(x)
     * @throws IllegalArgumentException when α has the wrong length, a negative entry, |α| out of range, or
     *     needs more than 2¹⁶ directions (Π(αᵢ + 1) − 1 bounds them)
     */
    public static Tensor mixedPartial(TensorFunction f, Tensor x, int[] multiIndex) {
        Args.nonNull(f, "mixedPartial", "f");
        Args.nonNull(x, "mixedPartial", "x");
        Args.nonNull(multiIndex, "mixedPartial", "multiIndex");
        return MixedPartials.mixedPartial("mixedPartial", f, x, multiIndex.clone());
    }

    /**
     * The Laplacian Δf = Σᵢ ∂²f/∂xᵢ² w.r.t. all n elements of x, with the value and the Jacobian, by the
     * forward Laplacian: one pass carrying (value, Jacobian, Laplacian) through every op (Li et al. 2023),
     * for φ elementwise L′ = φ′(v)·L + φ″(v)·Σ_d J_d², for a product L′ = a·L_b + b·L_a + 2·Σ_d J_a,d·J_b,d.
     * For vector f, one Laplacian per output element.
     *
     * @param f the function
     * @param x the point
     * @return f(x), ∂f/∂x [...out, ...in] and Δf shaped like f(x)
     */
    public static LaplacianResult laplacian(TensorFunction f, Tensor x) {
        return laplacian(f, x, LaplacianOptions.defaults());
    }

    /**
     * {@link #laplacian(TensorFunction, Tensor)} with the chunk size of {@code options}.
     *
     * @param f the function
     * @param x the point
     * @param options directions per pass
     * @return f(x), ∂f/∂x [...out, ...in] and Δf shaped like f(x)
     */
    public static LaplacianResult laplacian(TensorFunction f, Tensor x, LaplacianOptions options) {
        Args.nonNull(f, "laplacian", "f");
        Args.nonNull(x, "laplacian", "x");
        Args.nonNull(options, "laplacian", "options");
        return Laplacians.laplacian("laplacian", f, x, options);
    }

    /**
     * Per-sample Laplacians of a function applied independently to each sample of a batch, x [B, D...] ↦
     * y [B, C...]: Δ_b = Σ_j ∂²y[b]/∂x[b, j]², in D directions seeded on all B samples at once (as
     * {@link #batchJacobian(TensorFunction, Tensor)}), after its check that samples do not interact.
     *
     * @param f a function of a batch whose samples do not interact
     * @param x the batch [B, D...]
     * @return y, the per-sample Jacobians [B, C..., D...] and the Laplacians [B, C...]
     * @throws IllegalArgumentException when f mixes samples or drops the batch axis
     */
    public static LaplacianResult batchLaplacian(TensorFunction f, Tensor x) {
        return batchLaplacian(f, x, LaplacianOptions.defaults());
    }

    /**
     * {@link #batchLaplacian(TensorFunction, Tensor)} with the chunk size and independence check of {@code options}.
     *
     * @param f a function of a batch whose samples do not interact
     * @param x the batch [B, D...]
     * @param options directions per pass, independence check
     * @return y, the per-sample Jacobians [B, C..., D...] and the Laplacians [B, C...]
     */
    public static LaplacianResult batchLaplacian(TensorFunction f, Tensor x, LaplacianOptions options) {
        Args.nonNull(f, "batchLaplacian", "f");
        Args.nonNull(x, "batchLaplacian", "x");
        Args.nonNull(options, "batchLaplacian", "options");
        return Laplacians.batchLaplacian("batchLaplacian", f, x, options);
    }

    /**
     * The weighted Laplacian tr(σσᵀ∇²f) = Σ_r σ_rᵀ∇²f σ_r (the generator of a diffusion with volatility
     * σ, as in Fokker–Planck and Black–Scholes PDEs), by the forward Laplacian seeded with σ's columns.
     *
     * @param f the function
     * @param x the point
     * @param sigma σ, [n, r] with n the elements of x
     * @return f(x), J·σ [...out, r] and tr(σσᵀ∇²f) shaped like f(x)
     * @throws IllegalArgumentException when sigma is not [n, r]
     */
    public static LaplacianResult weightedLaplacian(TensorFunction f, Tensor x, Tensor sigma) {
        return weightedLaplacian(f, x, sigma, LaplacianOptions.defaults());
    }

    /**
     * {@link #weightedLaplacian(TensorFunction, Tensor, Tensor)} with the chunk size of {@code options}.
     *
     * @param f the function
     * @param x the point
     * @param sigma σ, [n, r]
     * @param options directions per pass
     * @return f(x), J·σ [...out, r] and tr(σσᵀ∇²f)
     */
    public static LaplacianResult weightedLaplacian(TensorFunction f, Tensor x, Tensor sigma, LaplacianOptions options) {
        Args.nonNull(f, "weightedLaplacian", "f");
        Args.nonNull(x, "weightedLaplacian", "x");
        Args.nonNull(sigma, "weightedLaplacian", "sigma");
        Args.nonNull(options, "weightedLaplacian", "options");
        return Laplacians.weighted("weightedLaplacian", f, x, sigma, options);
    }

    /**
     * The biharmonic Δ²f = Σᵢⱼ ∂⁴f/∂xᵢ²∂xⱼ², as a forward Laplacian of a forward Laplacian (the two
     * levels nest without perturbation confusion): n² directions, so meant for small n (plates, PDEs in
     * 2 or 3 dimensions).
     *
     * @param f the function
     * @param x the point
     * @return Δ²f shaped like f(x)
     */
    public static Tensor biharmonic(TensorFunction f, Tensor x) {
        return biharmonic(f, x, LaplacianOptions.defaults());
    }

    /**
     * {@link #biharmonic(TensorFunction, Tensor)} with the chunk size of {@code options}.
     *
     * @param f the function
     * @param x the point
     * @param options directions per pass
     * @return Δ²f shaped like f(x)
     */
    public static Tensor biharmonic(TensorFunction f, Tensor x, LaplacianOptions options) {
        Args.nonNull(f, "biharmonic", "f");
        Args.nonNull(x, "biharmonic", "x");
        Args.nonNull(options, "biharmonic", "options");
        return Laplacians.biharmonic("biharmonic", f, x, options);
    }

    /**
     * Hutchinson's unbiased estimate of Δf, (1/R)·Σ_r v_rᵀ∇²f v_r, with R random directions whose
     * entries are independent Rademacher (±1, the default) or standard normal, set with the seed in
     * {@code options}: one forward-Laplacian pass of R directions instead of n. Its variance is
     * 2·Σ_{i≠j} H_ij²/R for Rademacher and 2·‖H‖²_F/R for Gaussian directions.
     *
     * @param f the function
     * @param x the point
     * @param options R, the distribution, the seed and the chunk size
     * @return f(x), the R directional derivatives ∇f·v_r [...out, R] and the estimate shaped like f(x)
     */
    public static LaplacianResult laplacianEstimate(TensorFunction f, Tensor x, LaplacianOptions options) {
        Args.nonNull(f, "laplacianEstimate", "f");
        Args.nonNull(x, "laplacianEstimate", "x");
        Args.nonNull(options, "laplacianEstimate", "options");
        return Laplacians.estimate("laplacianEstimate", f, x, options);
    }

    /**
     * {@link #laplacianEstimate(TensorFunction, Tensor, LaplacianOptions)} with 16 Rademacher directions, seed 0.
     *
     * @param f the function
     * @param x the point
     * @return f(x), the directional derivatives [...out, 16] and the estimate
     */
    public static LaplacianResult laplacianEstimate(TensorFunction f, Tensor x) {
        return laplacianEstimate(f, x, LaplacianOptions.defaults());
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
