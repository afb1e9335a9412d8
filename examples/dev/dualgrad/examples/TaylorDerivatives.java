package dev.dualgrad.examples;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.Jet;
import dev.dualgrad.transforms.TaylorOptions;
import dev.dualgrad.transforms.TensorFunction;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

/**
 * The derivatives dᵏ/dtᵏ f(x + t·v) at t = 0 for k = 1..8 of a small network f: R⁶ → R, all eight from one
 * Taylor-mode pass ({@link Diff#directionalDerivative(TensorFunction, Tensor, Tensor, TaylorOptions)}),
 * checked against Commons Math's {@link DerivativeStructure} on the same function written by hand as a
 * scalar function of t, and against eight nested {@link Diff#jvp(TensorFunction, Tensor, Tensor)} for the
 * eighth. The time of the nested route (2⁸ times the work of one evaluation) beside the one pass is printed,
 * measured, never asserted.
 */
public final class TaylorDerivatives implements Stop {
    /** The highest order. */
    static final int K = 8;
    /** The relative tolerance of every check, against max(1, |reference|). */
    static final double TOLERANCE = 1e-10;

    private static final int N = 6, HIDDEN = 16, ROUNDS = 8;

    @Override
    public String problem() {
        return "The derivatives of orders 1 to 8 of a network along a direction, all from one Taylor-mode pass.";
    }

    @Override
    public void run(PrintStream out) {
        TensorRandom random = TensorRandom.seed(18);
        Tensor w1 = random.normal(HIDDEN, N).div(Math.sqrt(N)), b1 = random.normal(HIDDEN).mul(0.1);
        Tensor w2 = random.normal(HIDDEN).div(Math.sqrt(HIDDEN));
        Tensor x = random.normal(N).mul(0.5), v = random.normal(N);
        v = v.div(Math.sqrt(v.square().sum().item()));
        // f(x) = w₂·tanh(W₁x + b₁) + Σᵢ sin(xᵢ)·exp(−xᵢ²)
        TensorFunction f = z -> w1.matmul(z).add(b1).tanh().mul(w2).sum().add(z.sin().mul(z.square().neg().exp()).sum());

        Jet jet = Diff.directionalDerivative(f, x, v, TaylorOptions.order(K));
        double[] taylor = new double[K + 1];
        for (int k = 0; k <= K; k++) taylor[k] = jet.derivative(k).item();

        double[] reference = reference(w1.toArray(), b1.toArray(), w2.toArray(), x.toArray(), v.toArray());
        double worst = 0;
        for (int k = 0; k <= K; k++) {
            Checks.close("order " + k + ": Taylor mode against DerivativeStructure", taylor[k], reference[k], TOLERANCE);
            worst = Math.max(worst, Math.abs(taylor[k] - reference[k]) / Math.max(1, Math.abs(reference[k])));
        }
        double nested = nested(f, x, v, K).item();
        Checks.close("order 8: Taylor mode against 8 nested jvp", taylor[K], nested, TOLERANCE);

        // Times: interleaved rounds, so the JIT compiles both routes; the best of the later rounds counts.
        Tensor xx = x, vv = v;
        double onePass = Double.POSITIVE_INFINITY, nestedTime = Double.POSITIVE_INFINITY;
        for (int round = 0; round < ROUNDS; round++) {
            double a = bestMillis(() -> Diff.directionalDerivative(f, xx, vv, TaylorOptions.order(K)), 4);
            double b = bestMillis(() -> nested(f, xx, vv, K), 1);
            if (round >= ROUNDS / 2) {
                onePass = Math.min(onePass, a);
                nestedTime = Math.min(nestedTime, b);
            }
        }

        out.println("f(x) = w₂·tanh(W₁x + b₁) + Σ sin(xᵢ)·exp(−xᵢ²), x ∈ R⁶, 16 tanh units; v a random unit direction;");
        out.printf(Locale.ROOT, "f = %.10f; one pass of order 8 (Diff.directionalDerivative) gives dᵏ/dtᵏ f(x + t·v) at t = 0:%n", taylor[0]);
        out.printf(Locale.ROOT, "  k = 1..4: %s%n", row(taylor, 1, 4));
        out.printf(Locale.ROOT, "  k = 5..8: %s%n", row(taylor, 5, 8));
        out.printf(Locale.ROOT, "DerivativeStructure of order 8 on f(x + t·v), written for t: all 9 agree within %.1e relative (allowed %.0e)%n", worst, TOLERANCE);
        out.printf(Locale.ROOT, "time (best of %d rounds): one Taylor pass, all 8 orders %.2f ms; 8 nested jvp, 8th only %.2f ms (equal within %.0e)%n",
                ROUNDS, onePass, nestedTime, TOLERANCE);
    }

    private static String row(double[] d, int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int k = from; k <= to; k++) b.append(k > from ? ", " : "").append(String.format(Locale.ROOT, "%+.9e", d[k]));
        return b.toString();
    }

    /** dᵏ/dtᵏ g(t) at t = 0, k = 0..K, for g(t) = f(x + t·v) written in DerivativeStructures of t. */
    static double[] reference(double[] w1, double[] b1, double[] w2, double[] x, double[] v) {
        DerivativeStructure[] u = new DerivativeStructure[N];
        for (int i = 0; i < N; i++) u[i] = new DerivativeStructure(1, K, 0, 0.0).multiply(v[i]).add(x[i]);
        DerivativeStructure g = new DerivativeStructure(1, K, 0.0);
        for (int j = 0; j < HIDDEN; j++) {
            DerivativeStructure z = new DerivativeStructure(1, K, b1[j]);
            for (int i = 0; i < N; i++) z = z.add(u[i].multiply(w1[j * N + i]));
            g = g.add(z.tanh().multiply(w2[j]));
        }
        for (int i = 0; i < N; i++) g = g.add(u[i].sin().multiply(u[i].multiply(u[i]).negate().exp()));
        double[] d = new double[K + 1];
        for (int k = 0; k <= K; k++) d[k] = g.getPartialDerivative(k);
        return d;
    }

    /** Dᵏf(x)[v, …, v] by k nested forward passes. */
    static Tensor nested(TensorFunction f, Tensor x, Tensor v, int k) {
        TensorFunction g = f;
        for (int i = 0; i < k; i++) {
            TensorFunction inner = g;
            g = z -> Diff.jvp(inner, z, v).tangent();
        }
        return g.apply(x);
    }

    private static double bestMillis(Runnable r, int runs) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            r.run();
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best / 1e6;
    }

    /**
     * Runs this stop alone.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Tour.run(java.util.List.of(new TaylorDerivatives()), System.out);
    }
}
