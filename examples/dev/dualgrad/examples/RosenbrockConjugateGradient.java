package dev.dualgrad.examples;

import dev.dualgrad.commons.Objective;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.TensorFunction;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.commons.math3.analysis.MultivariateVectorFunction;
import org.apache.commons.math3.analysis.UnivariateFunction;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.apache.commons.math3.analysis.differentiation.FiniteDifferencesDifferentiator;
import org.apache.commons.math3.analysis.differentiation.UnivariateDifferentiableFunction;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleValueChecker;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunctionGradient;
import org.apache.commons.math3.optim.nonlinear.scalar.gradient.NonLinearConjugateGradientOptimizer;

/**
 * The Rosenbrock function in 100 variables, Σ 100·(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)², minimised by Commons Math's
 * nonlinear conjugate gradient twice from the same start: with the exact gradient of {@link Objective} (one
 * reverse sweep, the value at that point shared with it), and with Commons Math's own finite-difference
 * route, a {@link FiniteDifferencesDifferentiator} per coordinate (2 points, a central difference), which costs
 * 200 evaluations per gradient. Both must reach the minimum at the ones.
 */
public final class RosenbrockConjugateGradient implements Stop {
    static final int N = 100;

    @Override
    public String problem() {
        return "Minimise Rosenbrock in 100 variables by conjugate gradient: exact gradients against finite differences.";
    }

    @Override
    public void run(PrintStream out) {
        TensorFunction rosenbrock = x -> {
            Tensor head = x.slice(0, 0, N - 1), tail = x.slice(0, 1, N);
            return tail.sub(head.square()).square().mul(100).add(head.rsub(1).square()).sum();
        };
        double[] start = new double[N];
        for (int i = 0; i < N; i++) start[i] = i % 2 == 0 ? -1.2 : 1.0;

        Objective exact = Objective.of(rosenbrock);
        long t0 = System.nanoTime();
        Result a = minimise(exact.function(), exact.gradient(), start);
        long t1 = System.nanoTime();
        long[] fdEvaluations = {0};
        Result b = minimise(Objective.of(rosenbrock).function(), new ObjectiveFunctionGradient(finiteDifferences(rosenbrock, fdEvaluations)), start);
        long t2 = System.nanoTime();

        for (Result r : new Result[] {a, b}) {
            for (double v : r.point.getPoint()) Checks.close("the minimum is at the ones", v, 1.0, 1e-5);
            Checks.check("the minimum value is 0", r.point.getValue() < 1e-10);
        }
        long fdEvals = fdEvaluations[0] + b.evaluations;
        Checks.check("the exact gradient needs fewer function evaluations", a.evaluations + exact.gradientRecordings() < fdEvals);
        Checks.check("every value was a plain evaluation or shared", exact.plainEvaluations() + exact.sharedValues() == a.evaluations);
        out.printf(Locale.ROOT, "exact gradients: %d iterations, %d values (%d of them from a gradient's recording) + %d gradients, %.0f ms%n",
                a.iterations, a.evaluations, exact.sharedValues(), exact.gradientRecordings(), (t1 - t0) / 1e6);
        out.printf(Locale.ROOT, "finite differences: %d iterations, %d evaluations of f, %.0f ms; both end at the ones to 1e-5, f < 1e-10%n",
                b.iterations, fdEvals, (t2 - t1) / 1e6);
    }

    record Result(PointValuePair point, int iterations, int evaluations) {}

    private static Result minimise(ObjectiveFunction f, ObjectiveFunctionGradient g, double[] start) {
        NonLinearConjugateGradientOptimizer cg = new NonLinearConjugateGradientOptimizer(
                NonLinearConjugateGradientOptimizer.Formula.POLAK_RIBIERE, new SimpleValueChecker(1e-14, 1e-14));
        PointValuePair p = cg.optimize(new MaxEval(1_000_000), new MaxIter(100_000), f, g, GoalType.MINIMIZE, new InitialGuess(start));
        return new Result(p, cg.getIterations(), cg.getEvaluations());
    }

    /** Commons Math's route without exact derivatives: a 2-point (central) finite-difference derivative per coordinate. */
    private static MultivariateVectorFunction finiteDifferences(TensorFunction f, long[] evaluations) {
        FiniteDifferencesDifferentiator fd = new FiniteDifferencesDifferentiator(2, 1e-6);
        return x -> {
            double[] g = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                int axis = i;
                UnivariateFunction partial = v -> {
                    double[] y = x.clone();
                    y[axis] = v;
                    evaluations[0]++;
                    return f.apply(Tensor.vector(y)).item();
                };
                UnivariateDifferentiableFunction d = fd.differentiate(partial);
                g[i] = d.value(new DerivativeStructure(1, 1, 0, x[i])).getPartialDerivative(1);
            }
            return g;
        };
    }

    /**
     * Runs this stop alone.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Tour.run(java.util.List.of(new RosenbrockConjugateGradient()), System.out);
    }
}
