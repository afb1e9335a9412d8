package dev.dualgrad.commons;

import dev.dualgrad.Diff;
import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.nn.ParameterSnapshot;
import dev.dualgrad.nn.TrainingObjective;
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
 *
 * <p>{@link #of(TrainingObjective, ParameterSnapshot)} does the same for a model's training objective (a
 * {@code BlockedObjective} on this machine's cores, or dualgrad-spark's {@code DistributedObjective} over a
 * cluster), whose only evaluation is the value with the gradient: a point is the parameters flattened in the
 * snapshot's order, and every value not shared costs one gradient evaluation, which then answers the gradient
 * at that point too.</p>
 */
public final class Objective {
    private final TensorFunction f;               // null for a training objective
    private final TrainingObjective training;     // null for a function of a vector
    private final ParameterSnapshot layout;       // the training objective's parameters: names, shapes, order
    private final AtomicLong plain = new AtomicLong(), recordings = new AtomicLong(), shared = new AtomicLong();
    private double[] lastPoint; // the point of the latest gradient, f there, and (training objectives) ∇f there; guarded by this
    private double lastValue;
    private double[] lastGradient;

    private Objective(TensorFunction f, TrainingObjective training, ParameterSnapshot layout) {
        this.f = f;
        this.training = training;
        this.layout = layout;
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
        return new Objective(f, null, null);
    }

    /**
     * A training objective for Commons Math's optimizers: f(p) = objective(θ(p)), where θ(p) is
     * {@code layout.withValues(p).toArray()} (p the parameters flattened in the snapshot's order, as
     * {@link ParameterSnapshot#values()} gives them), and ∇f(p) is the objective's gradient flattened the same
     * way. The optimizer's optimum goes back into the model with
     * {@code model.setParameters(layout.withValues(optimum.getPoint()).toArray())}.
     *
     * <p>The objective has no value without its gradient, so each point costs one {@code valueAndGrad}: the
     * value and the gradient at one point share it, whichever is asked first ({@link #sharedValues()} counts
     * both kinds; {@link #plainEvaluations()} stays 0). A sampled objective is used as given (its step 0's
     * mini-batch, or the step passed to {@code atStep}): line searches need one fixed function.</p>
     *
     * @param objective the training objective, for example a {@code BlockedObjective}
     * @param layout the parameters' names, shapes and order, for example {@code model.snapshot()}; its values
     *     are not used (the optimizer's start is the {@code InitialGuess})
     * @return the objective
     * @throws NullPointerException when an argument is null
     */
    public static Objective of(TrainingObjective objective, ParameterSnapshot layout) {
        Args.nonNull(objective, "Objective.of", "objective");
        Args.nonNull(layout, "Objective.of", "layout");
        return new Objective(null, objective, layout);
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
     * Gradients computed, each one recording of f and one sweep (for a training objective: each one
     * {@code valueAndGrad}, whether a value or a gradient asked for it).
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
        if (training != null) return trainingPoint(p.clone()).value();
        plain.incrementAndGet();
        return scalar(f.apply(point(p, "value")), "value").item();
    }

    private double[] grad(double[] p) {
        Args.nonNull(p, "Objective.gradient", "point");
        double[] copy = p.clone(); // optimizers move their point in place
        if (training != null) {
            synchronized (this) {
                if (lastGradient != null && Arrays.equals(copy, lastPoint)) {
                    shared.incrementAndGet();
                    return lastGradient.clone();
                }
            }
            return trainingPoint(copy).gradient().clone();
        }
        ValueAndGrad vg = Diff.valueAndGrad(z -> scalar(f.apply(z), "gradient"), point(copy, "gradient"));
        recordings.incrementAndGet();
        synchronized (this) {
            lastPoint = copy;
            lastValue = vg.value().item();
        }
        return vg.grad().toArray();
    }

    /** A training objective's value and flattened gradient at one point. */
    private record Evaluated(double value, double[] gradient) {}

    /** The training objective's value and gradient at p (the caller's copy), kept as the latest point's. */
    private Evaluated trainingPoint(double[] p) {
        if (p.length != layout.valueCount()) {
            throw new IllegalArgumentException("Objective: the point has " + p.length + " coordinates, the parameters "
                    + layout.valueCount() + " (" + layout.names().size() + " tensors)");
        }
        ValueAndGrad vg = training.valueAndGrad(layout.withValues(p).toArray());
        double value = scalar(vg.value(), "value").item();
        int[][] shapes = layout.shapes();
        if (vg.grads().size() != shapes.length) {
            throw new IllegalArgumentException("Objective: the objective gave " + vg.grads().size() + " gradients for " + shapes.length + " parameters");
        }
        double[] g = new double[p.length];
        int at = 0;
        for (int i = 0; i < shapes.length; i++) {
            Tensor gi = vg.grads().get(i);
            if (!Arrays.equals(gi.shape(), shapes[i])) {
                throw new IllegalArgumentException("Objective: the objective's gradient " + i + " has shape " + Shape.str(gi.shape())
                        + ", its parameter " + Shape.str(shapes[i]));
            }
            System.arraycopy(gi.toArray(), 0, g, at, gi.size());
            at += gi.size();
        }
        recordings.incrementAndGet();
        synchronized (this) {
            lastPoint = p;
            lastValue = value;
            lastGradient = g;
        }
        return new Evaluated(value, g);
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
