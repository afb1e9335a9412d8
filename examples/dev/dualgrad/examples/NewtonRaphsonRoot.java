package dev.dualgrad.examples;

import dev.dualgrad.commons.Differentiable;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.TensorFunction;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.apache.commons.math3.analysis.differentiation.UnivariateDifferentiableFunction;
import org.apache.commons.math3.analysis.solvers.BrentSolver;
import org.apache.commons.math3.analysis.solvers.NewtonRaphsonSolver;

/**
 * Kepler's equation E − e·sin E = M (the eccentric anomaly E of an orbit of eccentricity e at mean
 * anomaly M), written once with tensor ops and solved by Commons Math's {@link NewtonRaphsonSolver},
 * whose derivatives come from {@link Differentiable#univariate}. The root is checked against Brent's
 * method on the same equation in plain doubles, and the first two derivatives against their closed forms.
 */
public final class NewtonRaphsonRoot implements Stop {
    @Override
    public String problem() {
        return "Solve Kepler's equation E − e·sin E = M by Newton–Raphson, its derivative from the equation in tensor ops.";
    }

    @Override
    public void run(PrintStream out) {
        double e = 0.6, m = 1.0;
        TensorFunction kepler = x -> x.sub(x.sin().mul(e)).sub(m);
        UnivariateDifferentiableFunction f = Differentiable.univariate(kepler);

        NewtonRaphsonSolver newton = new NewtonRaphsonSolver(1e-15);
        double root = newton.solve(100, f, 0, Math.PI, m);
        double reference = new BrentSolver(1e-15).solve(1000, x -> x - e * Math.sin(x) - m, 0, Math.PI);
        Checks.close("Newton's root is Brent's", root, reference, 1e-14);
        Checks.close("E − e·sin E = M at the root", root - e * Math.sin(root), m, 1e-14);

        DerivativeStructure d = f.value(new DerivativeStructure(1, 2, 0, root));
        Checks.close("f′ = 1 − e·cos E", d.getPartialDerivative(1), 1 - e * Math.cos(root), 1e-15);
        Checks.close("f″ = e·sin E", d.getPartialDerivative(2), e * Math.sin(root), 1e-15);
        out.printf(Locale.ROOT, "e = %.1f, M = %.1f: E = %.15f after %d evaluations; Brent on plain doubles: %.15f%n",
                e, m, root, newton.getEvaluations(), reference);
        out.printf(Locale.ROOT, "at the root f′ = %.6f = 1 − e·cos E and f″ = %.6f = e·sin E (order 2: nested forward mode)%n",
                d.getPartialDerivative(1), d.getPartialDerivative(2));
    }

    /**
     * Runs this stop alone.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Tour.run(java.util.List.of(new NewtonRaphsonRoot()), System.out);
    }
}
