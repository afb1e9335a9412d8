package dev.dualgrad.commons;

import dev.dualgrad.Diff;
import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.TensorFunction;
import dev.dualgrad.transforms.ValueAndGrad;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.analysis.MultivariateVectorFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunctionGradient;

/**
 * A scalar function f: ℝⁿ → ℝ for Commons Math's gradient-based optimizers
 * ({@code NonLinearConjugateGradientOptimizer}, and any {@code GradientMultivariateOptimizer}): its
 * {@link #function()} and {@link #gradient()} to pass to {@code optimize}, the exact gradient ∇f by one
 * reverse-mode recording and sweep.
 *
 * <p>The two share that recording: the gradient's recording also gives f(p), which answers the next value
 * asked at the same point (an optimizer asks for both after each line search) without evaluating f again.
 * Any other value is one plain evaluation, with no recording: a line search asks many. The counters say
 * which was which. Safe for concurrent use.</p>
 */
public final class Objective {
    private final TensorFunction f;
    private final AtomicLong plain = new AtomicLong(), recordings = new AtomicLong(), shared = new AtomicLong();
    private double[] lastPoint; // the point of the latest gradient, and f there; guarded by this
    private double lastValue;

    private Objective(TensorFunction f) {
        this.f = f;
    }

    /**
     * The objective of f.
     *
     * @param f a function of a rank-1 tensor [n] returning one element
     * @return the objective
     * @throws NullPointerException when f is null
     */
    public static Objective of(TensorFunction f) {
        Args.nonNull(f, "Objective.of", "f");
        return new Objective(f);
    }

    /**
     * f for {@code optimize(...)}.
     *
     * @return f as an {@link ObjectiveFunction}
     */
    public ObjectiveFunction function() {
        return new ObjectiveFunction(valueFunction());
    }

    /**
     * ∇f for {@code optimize(...)}.
     *
     * @return ∇f as an {@link ObjectiveFunctionGradient}
     */
    public ObjectiveFunctionGradient gradient() {
        return new ObjectiveFunctionGradient(gradientFunction());
    }

    /**
     * f as a plain Commons Math function; a value at the point of the latest gradient comes from its recording.
     *
     * @return p ↦ f(p)
     */
    public MultivariateFunction valueFunction() {
        return this::value;
    }

    /**
     * ∇f as a Commons Math vector function: p ↦ ∇f(p), n entries on a fresh array.
     *
     * @return the gradient function
     */
    public MultivariateVectorFunction gradientFunction() {
        return this::grad;
    }

    /**
     * Values computed by a plain evaluation of f.
     *
     * @return the count so far
     */
    public long plainEvaluations() {
        return plain.get();
    }

    /**
     * Gradients computed, each one recording of f and one sweep.
     *
     * @return the count so far
     */
    public long gradientRecordings() {
        return recordings.get();
    }

    /**
     * Values answered from a gradient's recording at the same point, with no evaluation of f.
     *
     * @return the count so far
     */
    public long sharedValues() {
        return shared.get();
    }

    private double value(double[] p) {
        Args.nonNull(p, "Objective.value", "point");
        synchronized (this) {
            if (Arrays.equals(p, lastPoint)) {
                shared.incrementAndGet();
                return lastValue;
            }
        }
        plain.incrementAndGet();
        return scalar(f.apply(point(p, "value")), "value").item();
    }

    private double[] grad(double[] p) {
        Args.nonNull(p, "Objective.gradient", "point");
        double[] copy = p.clone(); // optimizers move their point in place
        ValueAndGrad vg = Diff.valueAndGrad(z -> scalar(f.apply(z), "gradient"), point(copy, "gradient"));
        recordings.incrementAndGet();
        synchronized (this) {
            lastPoint = copy;
            lastValue = vg.value().item();
        }
        return vg.grad().toArray();
    }

    private static Tensor point(double[] p, String op) {
        if (p.length == 0) throw new IllegalArgumentException("Objective." + op + ": the point has no coordinates");
        return Tensors.adopt(p.clone(), p.length);
    }

    private static Tensor scalar(Tensor y, String op) {
        if (y == null || y.size() != 1) {
            throw new IllegalArgumentException("Objective." + op + ": f must return one element, returned "
                    + (y == null ? "null" : "shape " + Shape.str(y.shape())));
        }
        return y;
    }
}
