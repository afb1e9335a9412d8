package dev.dualgrad.bench;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Linalg;
import dev.dualgrad.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * gp_nll_grad_{256,1024} of shared/peers/torch_ops_peer.py: the negative log marginal likelihood of a
 * Gaussian process with an RBF kernel and its gradient w.r.t. θ = (log lengthscale, log signal variance,
 * log noise variance), at θ = (log 0.3, 0, log 0.01), written as the peer writes it:
 * K = s²·exp(−|xᵢ − xⱼ|²/(2l²)) + σ²·I, L = cholesky(K), α = choleskySolve(y, L),
 * nll = ½·yᵀα + Σ log Lᵢᵢ + (n/2)·log 2π. The data are the peer's own x and y (its seeded torch.rand and
 * torch.randn), dumped once to gp_peer_data.txt by regenerating them with the same generator and draws.
 */
public final class GpBench {
    private GpBench() {}

    /** x [n, 2] and y [n] of the peer for n = 256 or 1024. */
    public static Tensor[] peerData(int n) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(GpBench.class.getResourceAsStream("gp_peer_data.txt"), StandardCharsets.UTF_8))) {
            List<String> lines = r.lines().toList();
            for (int i = 0; i < lines.size(); i += 3) {
                if (!lines.get(i).equals("n " + n)) continue;
                double[] x = numbers(lines.get(i + 1), "x "), y = numbers(lines.get(i + 2), "y ");
                return new Tensor[] {Tensor.of(x, n, 2), Tensor.of(y, n)};
            }
            throw new IllegalArgumentException("no peer data for n = " + n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double[] numbers(String line, String prefix) {
        return Arrays.stream(line.substring(prefix.length()).split(" ")).mapToDouble(Double::parseDouble).toArray();
    }

    /** The peer's gp_nll(theta, x, y). */
    public static Tensor nll(Tensor theta, Tensor x, Tensor y) {
        int n = x.dim(0);
        Tensor l = theta.at(0).exp(), s2 = theta.at(1).exp(), n2 = theta.at(2).exp();
        Tensor d2 = x.unsqueeze(1).sub(x.unsqueeze(0)).square().sum(-1);
        Tensor k = s2.mul(d2.div(l.mul(l).mul(-2)).exp()).add(n2.mul(Tensor.eye(n)));
        Tensor chol = Linalg.cholesky(k);
        Tensor yc = y.unsqueeze(1);
        Tensor alpha = Linalg.choleskySolve(yc, chol);
        Tensor logDiag = chol.mul(Tensor.eye(n)).sum(-1).log().sum(); // Σ log Lᵢᵢ: the diagonal as L ⊙ I summed along rows
        return yc.mul(alpha).sum().mul(0.5).add(logDiag).add(0.5 * n * Math.log(2 * Math.PI));
    }

    static final Tensor THETA0 = Tensor.vector(Math.log(0.3), 0, Math.log(0.01));

    /** The timed step: the value and the gradient (one forward, one backward). */
    static Object step(Tensor x, Tensor y) {
        return Diff.valueAndGrad(t -> nll(t, x, y), THETA0);
    }

    static void add(List<Harness.Workload> ws) {
        for (int n : new int[] {256, 1024}) {
            Tensor[] d = peerData(n);
            ws.add(new Harness.Workload("gp_nll_grad_" + n, "Diff.valueAndGrad through Linalg.cholesky + choleskySolve (blocked, level 3)",
                    () -> step(d[0], d[1])));
        }
    }

    /** Times the two workloads alone: {@code java ... dev.dualgrad.bench.GpBench [seconds]}. */
    public static void main(String[] args) {
        List<Harness.Workload> ws = new java.util.ArrayList<>();
        add(ws);
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        for (Harness.Workload w : ws) {
            for (int i = 0; i < 3; i++) w.body().get();
            long end = System.nanoTime() + (long) (seconds * 1e9);
            List<Double> s = new java.util.ArrayList<>();
            while (System.nanoTime() < end || s.size() < 5) {
                long t = System.nanoTime();
                w.body().get();
                s.add((System.nanoTime() - t) / 1e3);
            }
            s.sort(null);
            System.out.printf(java.util.Locale.ROOT, "%s: median %.1f us (%d samples)%n", w.name(), s.get(s.size() / 2), s.size());
        }
    }
}
