package dev.dualgrad.bench;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.LaplacianOptions;
import dev.dualgrad.transforms.TaylorOptions;
import dev.dualgrad.transforms.TensorFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 18's workloads beside {@code ../shared/peers/torch_taylor_peer.py}: the Laplacian w.r.t. the input
 * of a scalar tanh MLP D-128-128-1 (Linear, tanh, Linear, tanh, Linear) for B = 64 points, and the K-th
 * derivative d^K/dt^K f(x + t·v) at t = 0 of the same MLP at D = 64 for one point. The weights follow the
 * peer's init distribution (each W [out, in] and b uniform in ±1/√fan_in, h ↦ h·Wᵀ + b), drawn from
 * dualgrad's own generator: same shapes and scales, not the same numbers ({@link #main} checks dualgrad
 * against the peer's own weights and references, which {@code src/bench/taylor_compare.sh} exports).
 *
 * <ul>
 *   <li>{@code laplacian_mlp_D{16,64,256}}: {@code Diff.batchLaplacian} without the independence check,
 *       {@code _checked} with it, {@code _old}: today's route, {@code Diff.jvpBatched} with the D unit
 *       directions (each seeded on all B points) over {@code Diff.grad} of Σ_b f(x_b), then Σ_i e_i·H_b e_i;</li>
 *   <li>{@code taylor_dir_K{2,4,8}}: {@code Diff.directionalDerivative(f, x, v, TaylorOptions.order(K))},
 *       {@code _nested}: K nested {@code Diff.jvp}.</li>
 * </ul>
 * At setup every new route is checked once against the old one (and the Laplacian at D = 16 against the
 * trace of {@code Diff.hessian}); a disagreement throws.
 */
public final class TaylorBench {
    private TaylorBench() {}

    static final int B = 64, WIDTH = 128, TAYLOR_D = 64;
    static final int[] LAPLACIAN_D = {16, 64, 256};
    static final int[] ORDERS = {2, 4, 8};

    /** The peer's make_mlp shapes: {W [out, in], b [out]} for D-128-128-1, uniform in ±1/√fan_in. */
    static Tensor[][] mlp(int d, long seed) {
        int[] sizes = {d, WIDTH, WIDTH, 1};
        TensorRandom random = TensorRandom.seed(seed);
        Tensor[][] p = new Tensor[3][];
        for (int i = 0; i < 3; i++) {
            double bound = 1 / Math.sqrt(sizes[i]);
            p[i] = new Tensor[] {random.uniform(-bound, bound, sizes[i + 1], sizes[i]), random.uniform(-bound, bound, sizes[i + 1])};
        }
        return p;
    }

    /** The peer's mlp_batch: X [B, D] ↦ [B]. */
    static Tensor forward(Tensor[][] p, Tensor x) {
        Tensor h = x;
        for (int i = 0; i < p.length; i++) {
            h = h.matmul(p[i][0], false, true).add(p[i][1]);
            if (i < p.length - 1) h = h.tanh();
        }
        return h.squeeze(-1);
    }

    /** The peer's mlp_single: x [D] ↦ a scalar. */
    static Tensor forwardOne(Tensor[][] p, Tensor x) {
        return forward(p, x.reshape(1, x.size())).reshape();
    }

    /** The D unit directions, each on all B points: [D, B, D]. */
    static Tensor unitDirections(int b, int d) {
        return Tensor.eye(d).reshape(d, 1, d).broadcastTo(d, b, d).mul(1.0); // materialised once
    }

    /** Today's route: jvpBatched (D unit directions on all points) over grad of the sum; Σ_i e_i·H_b e_i per point. */
    static Tensor oldLaplacian(TensorFunction f, Tensor x, Tensor dirs) {
        TensorFunction g = z -> Diff.grad(zz -> f.apply(zz).sum(), z);
        Tensor hv = Diff.jvpBatched(g, x, dirs).tangent(); // [D, B, D]: row (i, b) = H_b e_i
        return hv.mul(dirs).sum(new int[] {0, 2}, false);
    }

    /** K nested Diff.jvp along v. */
    static Tensor nested(TensorFunction f, Tensor x, Tensor v, int k) {
        TensorFunction g = f;
        for (int i = 0; i < k; i++) {
            TensorFunction inner = g;
            g = z -> Diff.jvp(inner, z, v).tangent();
        }
        return g.apply(x);
    }

    static double maxRelDiff(Tensor a, Tensor b) {
        double[] x = a.toArray(), y = b.toArray();
        if (x.length != y.length) throw new AssertionError("shapes " + Arrays.toString(a.shape()) + " vs " + Arrays.toString(b.shape()));
        double m = 0, scale = 1;
        for (double v : y) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
        return m / scale;
    }

    private static void agree(String what, Tensor got, Tensor expected, double tol) {
        double e = maxRelDiff(got, expected);
        if (!(e <= tol)) throw new AssertionError("TaylorBench setup: " + what + " disagree, max rel diff " + e + " > " + tol);
    }

    static void add(List<Harness.Workload> ws) {
        LaplacianOptions fast = LaplacianOptions.defaults().checkIndependence(false), checked = LaplacianOptions.defaults();
        for (int d : LAPLACIAN_D) {
            Tensor[][] p = mlp(d, d);
            Tensor x = TensorRandom.seed(100 + d).normal(B, d);
            TensorFunction f = z -> forward(p, z);
            Tensor dirs = unitDirections(B, d);
            Tensor lap = Diff.batchLaplacian(f, x, fast).laplacian();
            agree("laplacian_mlp_D" + d + " batchLaplacian and jvpBatched over grad", lap, oldLaplacian(f, x, dirs), 1e-10);
            agree("laplacian_mlp_D" + d + " batchLaplacian checked and unchecked", Diff.batchLaplacian(f, x, checked).laplacian(), lap, 0);
            if (d == 16) {
                for (int b = 0; b < 2; b++) {
                    Tensor xb = x.select(0, b);
                    Tensor h = Diff.hessian(z -> forwardOne(p, z), xb);
                    agree("laplacian_mlp_D16 point " + b + " vs trace of Diff.hessian", lap.select(0, b), h.trace(), 1e-10);
                }
            }
            String shape = "B=64, " + d + "-128-128-1 tanh";
            ws.add(new Harness.Workload("laplacian_mlp_D" + d, "Diff.batchLaplacian, no independence check (" + shape + ")",
                    () -> Diff.batchLaplacian(f, x, fast)));
            ws.add(new Harness.Workload("laplacian_mlp_D" + d + "_checked", "Diff.batchLaplacian with the independence check (" + shape + ")",
                    () -> Diff.batchLaplacian(f, x, checked)));
            ws.add(new Harness.Workload("laplacian_mlp_D" + d + "_old", "today's route: Diff.jvpBatched (" + d + " unit directions on all points) over Diff.grad of the sum (" + shape + ")",
                    () -> oldLaplacian(f, x, dirs)));
        }
        Tensor[][] p = mlp(TAYLOR_D, 7);
        Tensor x = TensorRandom.seed(8).normal(TAYLOR_D), v = TensorRandom.seed(9).normal(TAYLOR_D);
        TensorFunction f = z -> forwardOne(p, z);
        for (int k : ORDERS) {
            TaylorOptions o = TaylorOptions.order(k);
            Tensor[] all = Diff.directionalDerivative(f, x, v, o).derivatives();
            for (int j = 1; j <= k; j++) agree("taylor_dir_K" + k + " order " + j + " vs nested jvp", all[j - 1], nested(f, x, v, j), 1e-9);
            String shape = "one point, D=64, 64-128-128-1 tanh";
            ws.add(new Harness.Workload("taylor_dir_K" + k, "Diff.directionalDerivative, TaylorOptions.order(" + k + ") (" + shape + ")",
                    () -> Diff.directionalDerivative(f, x, v, o)));
            ws.add(new Harness.Workload("taylor_dir_K" + k + "_nested", k + " nested Diff.jvp (" + shape + ")", () -> nested(f, x, v, k)));
        }
    }

    /**
     * Checks dualgrad against the peer on the peer's own numbers: {@code TaylorBench <file>} reads what
     * {@code taylor_compare.sh}'s python snippet wrote (the peer's weights, inputs and its Hessian-trace
     * Laplacians and nested-jvp derivatives, from the peer's make_mlp and seeds) and prints the max
     * relative differences; exits 1 when one exceeds 1e-9.
     *
     * @param args the file's path
     * @throws IOException when the file cannot be read
     */
    public static void main(String[] args) throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            String[] f = line.trim().split(" ");
            if (f.length < 2) continue;
            int[] shape = f[1].equals("-") ? new int[0] : Arrays.stream(f[1].split(",")).mapToInt(Integer::parseInt).toArray();
            double[] data = new double[f.length - 2];
            for (int i = 0; i < data.length; i++) data[i] = Double.parseDouble(f[i + 2]);
            t.put(f[0], Tensor.of(data, shape));
        }
        boolean ok = true;
        for (int d : LAPLACIAN_D) {
            Tensor[][] p = peerParams(t, "lap" + d);
            Tensor x = t.get("lap" + d + ".X");
            Tensor lap = Diff.batchLaplacian(z -> forward(p, z), x, LaplacianOptions.defaults()).laplacian();
            double e = maxRelDiff(lap, t.get("lap" + d + ".ref"));
            ok &= e <= 1e-9;
            System.out.printf(Locale.ROOT, "laplacian_mlp_D%d: dualgrad batchLaplacian vs torch hessian_trace on the peer's weights and X: max rel diff %.2e%n", d, e);
        }
        Tensor[][] p = peerParams(t, "jet");
        Tensor x = t.get("jet.x"), v = t.get("jet.v");
        for (int k : ORDERS) {
            Tensor got = Diff.directionalDerivative(z -> forwardOne(p, z), x, v, TaylorOptions.order(k)).derivative(k);
            double e = maxRelDiff(got, t.get("jet.K" + k));
            ok &= e <= 1e-9;
            System.out.printf(Locale.ROOT, "taylor_dir_K%d: dualgrad %.17g vs torch nested jvp %.17g: rel diff %.2e%n", k, got.item(), t.get("jet.K" + k).item(), e);
        }
        if (!ok) System.exit(1);
    }

    private static Tensor[][] peerParams(Map<String, Tensor> t, String prefix) {
        Tensor[][] p = new Tensor[3][];
        for (int i = 0; i < 3; i++) p[i] = new Tensor[] {t.get(prefix + ".W" + i), t.get(prefix + ".b" + i)};
        return p;
    }
}
