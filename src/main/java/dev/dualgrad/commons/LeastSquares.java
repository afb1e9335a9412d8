package dev.dualgrad.commons;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.internal.transforms.RepeatedJacobian;
import dev.dualgrad.internal.transforms.TapePullback;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.TensorFunction;
import java.util.Arrays;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;

/**
 * Least squares with exact Jacobians: a dualgrad function as the model of Commons Math's
 * {@code LevenbergMarquardtOptimizer} or {@code GaussNewtonOptimizer}.
 *
 * <ul>
 *   <li>{@link #model(TensorFunction)}: any f: ℝⁿ → ℝᵐ (parameters [n] to m values) as a
 *       {@link org.apache.commons.math3.fitting.leastsquares.MultivariateJacobianFunction} (a
 *       {@link LeastSquaresModel}) for your own {@link LeastSquaresBuilder}, with weights, parameter
 *       validators and lazy evaluation as Commons Math provides them.</li>
 *   <li>{@link #curveFit(ParametricModel, Tensor, Tensor, Tensor)}: the common case, observations y of a
 *       model g(p; x) at inputs x, minimising Σᵢ (yᵢ − g(p; x)ᵢ)² (times the weights, if you add them). It
 *       checks the sizes before any optimizer runs and returns the builder, model, target and start set.</li>
 * </ul>
 */
public final class LeastSquares {
    /** The maxEvaluations and maxIterations that {@code curveFit}'s builder starts with; set your own on it. */
    public static final int DEFAULT_MAX_EVALUATIONS = 1000;

    private LeastSquares() {}

    /**
     * f as a least-squares model, the Jacobian's mode chosen as by {@code Diff.jacobian}.
     *
     * @param f parameters [n] ↦ the m model values (any shape, read row-major)
     * @return the model; see {@link LeastSquaresModel}
     * @throws NullPointerException when f is null
     */
    public static LeastSquaresModel model(TensorFunction f) {
        Args.nonNull(f, "LeastSquares.model", "f");
        return model(f, JacobianOptions.defaults());
    }

    /**
     * f as a least-squares model, with the Jacobian's mode, chunk size or memory budget set.
     *
     * @param f parameters [n] ↦ the m model values
     * @param options the mode, chunk size and memory budget, as for {@code Diff.jacobian}; {@code verify} is ignored
     * @return the model
     * @throws NullPointerException when f or options is null
     */
    public static LeastSquaresModel model(TensorFunction f, JacobianOptions options) {
        Args.nonNull(f, "LeastSquares.model", "f");
        Args.nonNull(options, "LeastSquares.model", "options");
        return new LeastSquaresModel(f, options, -1, -1);
    }

    /**
     * A curve fit: the builder of the problem min over p of Σᵢ (observedᵢ − model(p, inputs)ᵢ)², with the
     * arguments in the order of SciPy's {@code curve_fit(f, xdata, ydata, p0)}. Before returning, the model is
     * evaluated with its Jacobian once at the start, so a prediction shaped unlike the observations, or a model
     * that reads a value of p, fails here, not inside the optimizer; that evaluation also makes the Jacobian's
     * plan. With few parameters that is forward mode on the whole problem (n tangents through every op). With
     * many (a small neural network) and samples along the first axis of inputs and observed, curveFit checks,
     * at a seeded point near the start, that each sample's prediction depends on its own input row alone (the
     * exact-zero tangent test of {@code batchJacobian}) and that the model gives the same predictions for
     * blocks of samples; if so, and if the cost model prefers it, J is taken block by block, each block's few
     * rows by reverse mode: about b sweeps of a short recording per block of b samples instead of n tangents
     * (JAX's vmap of a per-sample gradient), the blocks shared among the threads in effect ({@code Parallelism}), with
     * bitwise the one-thread J. J is exact either way. A requested mode or chunk size keeps the
     * whole problem's Jacobian in that mode.
     *
     * <p>The builder has the model, the target (the observations, row-major), the start, and
     * {@value #DEFAULT_MAX_EVALUATIONS} as maxEvaluations and maxIterations; add weights
     * ({@code weight(new DiagonalMatrix(w))}), a parameter validator, {@code lazyEvaluation(true)} or a checker
     * as usual ({@code GaussNewtonOptimizer} needs a checker, for example
     * {@code checkerPair(new SimpleVectorValueChecker(1e-10, 1e-10))}), then {@code build()}.</p>
     *
     * @param model g(p; x)
     * @param inputs x, passed to the model unchanged (a constant: not differentiated)
     * @param observed y, any shape, finite values
     * @param start p₀, a rank-1 tensor [n], n ≥ 1
     * @return the builder
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when observed is empty or not finite, start is not a non-empty vector,
     *     or the predictions at the start are not shaped like observed
     * @throws IllegalStateException when the model reads a value of the parameters
     */
    public static LeastSquaresBuilder curveFit(ParametricModel model, Tensor inputs, Tensor observed, Tensor start) {
        Args.nonNull(model, "LeastSquares.curveFit", "model");
        Args.nonNull(inputs, "LeastSquares.curveFit", "inputs");
        Args.nonNull(observed, "LeastSquares.curveFit", "observed");
        Args.nonNull(start, "LeastSquares.curveFit", "start");
        return curveFit(model, inputs, observed, start, JacobianOptions.defaults());
    }

    /**
     * A curve fit with the Jacobian's mode, chunk size or memory budget set.
     *
     * @param model g(p; x)
     * @param inputs x
     * @param observed y, any shape, finite values
     * @param start p₀, a rank-1 tensor [n], n ≥ 1
     * @param options as for {@code Diff.jacobian}; {@code verify} is ignored
     * @return the builder
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when observed is empty or not finite, start is not a non-empty vector,
     *     or the predictions at the start are not shaped like observed
     * @throws IllegalStateException when the model reads a value of the parameters
     */
    public static LeastSquaresBuilder curveFit(ParametricModel model, Tensor inputs, Tensor observed, Tensor start, JacobianOptions options) {
        String op = "LeastSquares.curveFit";
        Args.nonNull(model, op, "model");
        Args.nonNull(inputs, op, "inputs");
        Args.nonNull(observed, op, "observed");
        Args.nonNull(start, op, "start");
        Args.nonNull(options, op, "options");
        double[] y = Conversions.readable(observed, "curveFit").clone(), p0 = Conversions.readable(start, "curveFit").clone();
        if (y.length == 0) throw new IllegalArgumentException(op + ": observed is empty (shape " + Shape.str(observed.shape()) + ")");
        for (int i = 0; i < y.length; i++) {
            if (!Double.isFinite(y[i])) throw new IllegalArgumentException(op + ": observed element " + i + " is " + y[i] + "; the observations must be finite");
        }
        if (start.rank() != 1 || p0.length == 0) {
            throw new IllegalArgumentException(op + ": start must be a non-empty vector [n] of parameters, got shape " + Shape.str(start.shape()));
        }
        Tensor x = inputs.detach();
        TensorFunction whole = p -> model.predict(p, x);
        LeastSquaresModel m = null;
        RepeatedJacobian.Evaluation first = null;
        if (options.mode() == JacobianMode.AUTO && options.chunkSize() == 0) {
            // the plan needs a recording at the start anyway; it also tells whether the samples can be taken block by block
            Tensor at = Tensors.adopt(p0.clone(), p0.length);
            RepeatedJacobian jacobians = new RepeatedJacobian("LeastSquares", whole, options);
            TapePullback recording = jacobians.planAt(at);
            RowBlocks.Started blocked = Arrays.equals(recording.value().shape(), observed.shape())
                    ? RowBlocks.tryAt(model, x, at, recording, options) : null;
            m = blocked != null ? new LeastSquaresModel(whole, blocked.evaluator(), p0.length, -1)
                    : new LeastSquaresModel(whole, jacobians::evaluate, p0.length, -1);
            if (blocked != null) first = blocked.first();
        }
        if (m == null) m = new LeastSquaresModel(whole, options, p0.length, -1);
        // the optimizer's first evaluation, at the start, takes this one
        int[] predicted = (first != null ? m.keep(p0, first) : m.evaluateAndKeep(p0)).value().shape();
        if (!Arrays.equals(predicted, observed.shape())) {
            throw new IllegalArgumentException(op + ": the model's predictions at the start have shape " + Shape.str(predicted)
                    + " but observed has shape " + Shape.str(observed.shape()) + "; the model must predict one value per observation");
        }
        return new LeastSquaresBuilder().model(m).target(y).start(p0)
                .maxEvaluations(DEFAULT_MAX_EVALUATIONS).maxIterations(DEFAULT_MAX_EVALUATIONS);
    }
}
