package dev.dualgrad.examples;

import dev.dualgrad.commons.LeastSquares;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresOptimizer.Optimum;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresProblem;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Levenberg–Marquardt (Commons Math) fits y = a·exp(−b·t) + c to 200 noisy points, the model written once
 * with tensor ops and its exact Jacobian supplied by {@link LeastSquares#curveFit}: no hand-written
 * derivative, no finite differences. The fit is checked against the true parameters, each within two of
 * its standard errors, which come from the optimum's covariance scaled by the residual variance.
 */
public final class ExponentialDecayFit implements Stop {
    static final double[] TRUTH = {2.5, 1.3, 0.5};
    static final double NOISE = 0.02;

    @Override
    public String problem() {
        return "Fit y = a·exp(−b·t) + c by Commons Math's Levenberg–Marquardt, with an exact Jacobian that nobody wrote.";
    }

    @Override
    public void run(PrintStream out) {
        int m = 200;
        double[] t = new double[m];
        for (int i = 0; i < m; i++) t[i] = 4.0 * i / (m - 1);
        Tensor times = Tensor.vector(t);
        Tensor y = times.mul(-TRUTH[1]).exp().mul(TRUTH[0]).add(TRUTH[2]).add(TensorRandom.seed(5).normal(m).mul(NOISE));

        LeastSquaresProblem problem = LeastSquares.curveFit(
                (p, x) -> p.at(0).mul(x.mul(p.at(1)).neg().exp()).add(p.at(2)), times, y, Tensor.vector(1, 1, 0)).build();
        Optimum fit = new LevenbergMarquardtOptimizer().optimize(problem);

        double[] p = fit.getPoint().toArray();
        RealMatrix cov = fit.getCovariances(1e-14);
        double s2 = fit.getCost() * fit.getCost() / (m - p.length); // residual variance: cost² = Σ r²
        double[] se = new double[p.length], z = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            se[i] = Math.sqrt(s2 * cov.getEntry(i, i));
            z[i] = Math.abs(p[i] - TRUTH[i]) / se[i];
            Checks.check("parameter " + i + " within two standard errors of the truth", z[i] <= 2);
        }
        Checks.close("the residual standard deviation is the noise's", Math.sqrt(s2), NOISE, 0.2 / (1 + NOISE));
        out.printf(Locale.ROOT, "a = %.4f ± %.4f, b = %.4f ± %.4f, c = %.4f ± %.4f after %d iterations, %d evaluations%n",
                p[0], se[0], p[1], se[1], p[2], se[2], fit.getIterations(), fit.getEvaluations());
        out.printf(Locale.ROOT, "truth 2.5, 1.3, 0.5: off by %.1f, %.1f and %.1f standard errors; residual s.d. %.4f (noise %.2f)%n",
                z[0], z[1], z[2], Math.sqrt(s2), NOISE);
    }

    /**
     * Runs this stop alone.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Tour.run(java.util.List.of(new ExponentialDecayFit()), System.out);
    }
}
