package dev.dualgrad.commons;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.internal.transforms.RepeatedJacobian;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.JacobianPlan;
import dev.dualgrad.transforms.TensorFunction;
import org.apache.commons.math3.fitting.leastsquares.ValueAndJacobianFunction;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.util.Pair;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A function f: ℝⁿ → ℝᵐ as Commons Math's least-squares model: {@link #value(RealVector)} gives f(p) and
 * the m×n Jacobian J[i][j] = ∂fᵢ/∂pⱼ from one evaluation, and, for
 * {@code LeastSquaresBuilder.lazyEvaluation(true)}, {@link #computeValue} (a plain evaluation, no
 * derivative) and {@link #computeJacobian} separately. Built by {@link LeastSquares#model}.
 *
 * <p>f takes the parameters as a rank-1 tensor [n] and returns a tensor of any shape whose m elements,
 * row-major, are the model's values. The mode is that of {@code Diff.jacobian}, decided at the first point
 * from n, m and the recorded size of f ({@link JacobianOptions}): forward mode with k tangents per pass when
 * the parameters are the fewer (one pass when k ≥ n: f(p) and J together), reverse mode (one recording,
 * sweeps of c cotangents) when the values are. Later points reuse that plan, so only the first evaluation
 * pays for the probe recording. J equals {@code Diff.jacobian(f, p)} exactly. ({@code curveFit} may instead
 * take J block by block over independent samples, each block in reverse mode; see
 * {@link LeastSquares#curveFit(ParametricModel, Tensor, Tensor, Tensor)}.)</p>
 *
 * <p>n and m are fixed by the first point (or by {@code curveFit}); a later point or value of another size
 * is refused. A model that reads a value of p ({@code get}, {@code item}, {@code toArray}) gets the
 * library's {@link IllegalStateException} instead of a Jacobian with zero columns. Safe for concurrent
 * evaluations.</p>
 */
public final class LeastSquaresModel implements ValueAndJacobianFunction {
    private final TensorFunction f;
    private final Evaluator jacobians;
    private volatile int parameters, values;
    private volatile JacobianPlan plan;
    /** curveFit's check at the start, handed once to the optimizer's first evaluation there instead of a second evaluation. */
    private final AtomicReference<Kept> kept = new AtomicReference<>();

    private record Kept(double[] point, RepeatedJacobian.Evaluation evaluation) {}

    /** f(p) with J(p) at a point: a {@link RepeatedJacobian}, or {@link RowBlocks} for a curve fit of independent samples. */
    interface Evaluator {
        RepeatedJacobian.Evaluation evaluate(Tensor p);
    }

    LeastSquaresModel(TensorFunction f, JacobianOptions options, int parameters, int values) {
        this(f, new RepeatedJacobian("LeastSquares", f, options)::evaluate, parameters, values);
    }

    LeastSquaresModel(TensorFunction f, Evaluator jacobians, int parameters, int values) {
        this.f = f;
        this.jacobians = jacobians;
        this.parameters = parameters;
        this.values = values;
    }

    /**
     * f(p) and J(p), from one evaluation.
     *
     * @param point p, n entries
     * @return f(p) (m entries) and J (m×n), both on fresh arrays
     * @throws NullPointerException when point is null
     * @throws IllegalArgumentException when p or f(p) has another size than at the first point, or either is empty
     * @throws IllegalStateException when f reads a value of p
     */
    @Override
    public Pair<RealVector, RealMatrix> value(RealVector point) {
        Args.nonNull(point, "LeastSquaresModel.value", "point");
        RepeatedJacobian.Evaluation e = evaluate(point.toArray());
        return new Pair<>(new ArrayRealVector(e.value().toArray(), false), new Array2DRowRealMatrix(e.jacobian(), false));
    }

    /**
     * f(p) alone, by a plain evaluation (no derivative recorded): what a lazy evaluation asks first.
     *
     * @param params p, n entries (not kept)
     * @return f(p), m entries
     * @throws NullPointerException when params is null
     * @throws IllegalArgumentException when p or f(p) has another size than at the first point, or either is empty
     */
    @Override
    public RealVector computeValue(double[] params) {
        Args.nonNull(params, "LeastSquaresModel.computeValue", "params");
        Tensor y = f.apply(point(params, "computeValue"));
        checkValues(y, "computeValue");
        return new ArrayRealVector(y.toArray(), false);
    }

    /**
     * J(p) alone.
     *
     * @param params p, n entries (not kept)
     * @return J, m×n
     * @throws NullPointerException when params is null
     * @throws IllegalArgumentException when p or f(p) has another size than at the first point, or either is empty
     * @throws IllegalStateException when f reads a value of p
     */
    @Override
    public RealMatrix computeJacobian(double[] params) {
        Args.nonNull(params, "LeastSquaresModel.computeJacobian", "params");
        return new Array2DRowRealMatrix(evaluate(params).jacobian(), false);
    }

    /**
     * How the Jacobians are computed: mode, chunk, passes and why, as decided at the first point.
     *
     * @return the plan of the latest evaluation
     * @throws IllegalStateException before the first Jacobian was computed
     */
    public JacobianPlan plan() {
        JacobianPlan p = plan;
        if (p == null) throw new IllegalStateException("LeastSquaresModel.plan: no Jacobian computed yet; the plan is made at the first point");
        return p;
    }

    /** The value tensor (with its shape) and the Jacobian rows at p. */
    RepeatedJacobian.Evaluation evaluate(double[] params) {
        Kept k = kept.get();
        if (k != null && Arrays.equals(k.point, params) && kept.compareAndSet(k, null)) return k.evaluation; // its arrays never handed out
        RepeatedJacobian.Evaluation e = jacobians.evaluate(point(params, "value"));
        checkValues(e.value(), "value");
        plan = e.plan();
        return e;
    }

    /** Evaluates at p and keeps the result for the first later evaluation at p. */
    RepeatedJacobian.Evaluation evaluateAndKeep(double[] params) {
        return keep(params, evaluate(params));
    }

    /** Keeps an evaluation at p, made by the caller, for the first later evaluation at p. */
    RepeatedJacobian.Evaluation keep(double[] params, RepeatedJacobian.Evaluation e) {
        point(params, "value");
        checkValues(e.value(), "value");
        plan = e.plan();
        kept.set(new Kept(params.clone(), e));
        return e;
    }

    private Tensor point(double[] params, String op) {
        int n = parameters;
        if (params.length == 0) throw new IllegalArgumentException("LeastSquaresModel." + op + ": the point has no parameters; give at least one");
        if (n < 0) parameters = params.length;
        else if (params.length != n) {
            throw new IllegalArgumentException("LeastSquaresModel." + op + ": the point has " + params.length + " parameters but this model takes "
                    + n + " (fixed by its first point, or by curveFit's start)");
        }
        return Tensors.adopt(params.clone(), params.length);
    }

    private void checkValues(Tensor y, String op) {
        int m = values;
        if (y.size() == 0) throw new IllegalArgumentException("LeastSquaresModel." + op + ": f returned no values (shape " + Shape.str(y.shape()) + ")");
        if (m < 0) values = y.size();
        else if (y.size() != m) {
            throw new IllegalArgumentException("LeastSquaresModel." + op + ": f returned " + y.size() + " values (shape " + Shape.str(y.shape())
                    + ") but " + m + " are expected (the observations, or the values at the first point)");
        }
    }
}
