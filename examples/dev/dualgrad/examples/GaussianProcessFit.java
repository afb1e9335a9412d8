package dev.dualgrad.examples;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Linalg;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.ValueAndGrad;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Fitting a Gaussian process's hyperparameters by maximising its marginal likelihood, with exact
 * gradients through {@link Linalg#cholesky} and {@link Linalg#slogdet}. With an RBF kernel
 * K(θ) = s²·exp(−(xᵢ − xⱼ)²/(2ℓ²)) + σ²·I and θ = (log ℓ, log s², log σ²),
 * <pre>
 *   −log p(y | θ) = ½·yᵀK⁻¹y + ½·log det K + (n/2)·log 2π,   K⁻¹y = choleskySolve(y, cholesky(K))
 * </pre>
 * The data: n = 256 points x ∈ [0, 1] and y ~ N(0, K(θ*)) drawn through the Cholesky factor of K(θ*)
 * with a fixed seed, θ* = (log 0.1, log 1, log 0.01). Adam on θ (plain code, 100 steps) finds a
 * lengthscale within 25% of the true one and a likelihood higher than θ*'s, as a maximum-likelihood
 * estimate must.
 */
public final class GaussianProcessFit implements Stop {
    private static final int N = 256;
    private static final double LENGTHSCALE = 0.1, SIGNAL = 1.0, NOISE = 0.01;

    @Override
    public String problem() {
        return "A Gaussian process's hyperparameters fitted by maximum likelihood, gradients through cholesky and slogdet.";
    }

    /** K(θ) for the points x [n]. */
    static Tensor kernel(Tensor theta, Tensor x) {
        Tensor d2 = x.unsqueeze(1).sub(x.unsqueeze(0)).square();
        Tensor l2 = theta.at(0).mul(2).exp();
        return theta.at(1).exp().mul(d2.div(l2.mul(-2)).exp()).add(theta.at(2).exp().mul(Tensor.eye(x.dim(0))));
    }

    /** −log p(y | θ). */
    static Tensor nll(Tensor theta, Tensor x, Tensor y) {
        Tensor k = kernel(theta, x);
        Tensor alpha = Linalg.choleskySolve(y, Linalg.cholesky(k));
        return y.mul(alpha).sum().add(Linalg.slogdet(k).logAbsDet()).mul(0.5).add(0.5 * x.dim(0) * Math.log(2 * Math.PI));
    }

    @Override
    public void run(PrintStream out) {
        Tensor truth = Tensor.vector(Math.log(LENGTHSCALE), Math.log(SIGNAL), Math.log(NOISE));
        Tensor x = TensorRandom.seed(2026).uniform(0, 1, N);
        Tensor y = Linalg.cholesky(kernel(truth, x)).matmul(TensorRandom.seed(2027).normal(N)); // y = L·z ~ N(0, K)
        out.println(String.format(Locale.ROOT, "n = %d points of a GP with RBF lengthscale %.2f, signal variance %.1f, noise %.2f, sampled as y = L·z",
                N, LENGTHSCALE, SIGNAL, NOISE));

        double[] theta = {Math.log(0.3), Math.log(0.5), Math.log(0.1)}, m = new double[3], v = new double[3];
        int steps = 100;
        for (int t = 1; t <= steps; t++) { // Adam, lr 0.1
            ValueAndGrad vg = Diff.valueAndGrad(q -> nll(q, x, y), Tensor.vector(theta));
            double[] g = vg.grad().toArray();
            for (int i = 0; i < 3; i++) {
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                theta[i] -= 0.1 * (m[i] / (1 - Math.pow(0.9, t))) / (Math.sqrt(v[i] / (1 - Math.pow(0.999, t))) + 1e-8);
            }
        }
        double fitted = nll(Tensor.vector(theta), x, y).item(), atTruth = nll(truth, x, y).item();
        double l = Math.exp(theta[0]), err = Math.abs(l - LENGTHSCALE) / LENGTHSCALE;
        Checks.check("the fitted lengthscale " + l + " is within 25% of " + LENGTHSCALE, err <= 0.25);
        Checks.check("the fit's −log p " + fitted + " is below the true hyperparameters' " + atTruth, fitted < atTruth);
        out.println(String.format(Locale.ROOT, "Adam, %d steps of exact gradients: lengthscale %.3f (%.0f%% off), signal %.2f, noise %.4f",
                steps, l, 100 * err, Math.exp(theta[1]), Math.exp(theta[2])));
        out.println(String.format(Locale.ROOT, "-log p(y|θ) = %.2f at the fit < %.2f at the true hyperparameters, as a maximum-likelihood fit must be",
                fitted, atTruth));
    }
}
