package dev.dualgrad.bench;

import dev.dualgrad.Diff;
import dev.dualgrad.Loss;
import dev.dualgrad.nn.Activation;
import dev.dualgrad.nn.JacobianPenalty;
import dev.dualgrad.nn.LayerNorm;
import dev.dualgrad.nn.Linear;
import dev.dualgrad.nn.Mlp;
import dev.dualgrad.nn.Sequential;
import dev.dualgrad.tensor.Parallelism;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.TensorFunction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Times the workloads of shared/BENCHMARKS.md that the engine covers so far, the way the PyTorch peer
 * does (median of per-call times), after a JIT warm-up, in rounds interleaved across workloads so that
 * a noisy moment does not land on one workload only. Prints JSON: workload → median microseconds.
 *
 * <p>Run with {@code bash src/bench/compare.sh}, which also runs the peers and prints one table.</p>
 */
public final class Harness {
    private Harness() {}

    record Workload(String name, String how, Supplier<Object> body) {}

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 0.6;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<Workload> ws = workloads();
        if (args.length > 2) { // a comma-separated list of workloads to run, e.g. "mlp_grad_params,layernorm_mlp_grad"
            List<String> only = List.of(args[2].split(","));
            ws.removeIf(w -> !only.contains(w.name));
        }
        System.out.println(report(ws, seconds, rounds));
    }

    /** Times the workloads (a JIT warm-up each, then rounds interleaved) and returns the JSON that main prints. */
    static String report(List<Workload> ws, double seconds, int rounds) {
        Map<String, List<Double>> samples = new LinkedHashMap<>();
        for (Workload w : ws) {
            samples.put(w.name, new ArrayList<>());
            run(w, 1.0, null); // JIT warm-up
        }
        for (int r = 0; r < rounds; r++) for (Workload w : ws) run(w, seconds / rounds, samples.get(w.name));
        StringBuilder sb = new StringBuilder("{\"peer\": \"dualgrad (java " + System.getProperty("java.version") + ", " + threadsLabel() + ", matmul kernel " + dev.dualgrad.internal.kernels.Kernels.matmulKernel() + ")\", \"results\": {");
        for (int i = 0; i < ws.size(); i++) {
            Workload w = ws.get(i);
            double[] s = samples.get(w.name).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
            sb.append(i == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT, " \"%s\": {\"median_us\": %.3f, \"how\": \"%s\", \"samples\": %d}",
                    w.name, median, w.how, s.length));
        }
        return sb.append("\n}}").toString();
    }

    private static volatile Object sink;

    /**
     * The workload of that name, warmed up for two seconds (for the tools that run one workload: Profile, OpTimesReport).
     *
     * @throws IllegalArgumentException when there is none, with the known names
     */
    static Workload warmedUp(String name) {
        List<Workload> ws = workloads();
        Workload w = ws.stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no workload " + name + "; known: " + ws.stream().map(Workload::name).toList()));
        for (long end = System.nanoTime() + 2_000_000_000L; System.nanoTime() < end; ) sink = w.body.get();
        return w;
    }

    private static void run(Workload w, double seconds, List<Double> out) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int n = 0;
        while ((System.nanoTime() < end || n < 3) && n < 200_000) {
            long t = System.nanoTime();
            sink = w.body.get();
            long dt = System.nanoTime() - t;
            if (out != null) out.add(dt / 1e3);
            n++;
        }
    }

    static List<Workload> workloads() {
        List<Workload> ws = new ArrayList<>();
        // ce_tiny: mean cross-entropy of logits [3,5] with integer targets [3]
        Tensor x = TensorRandom.seed(0).normal(3, 5), v = TensorRandom.seed(1).normal(3, 5);
        int[] t = {1, 0, 4};
        TensorFunction ce = z -> Loss.crossEntropy(z, t);
        ws.add(new Workload("ce_tiny_primal", "Loss.crossEntropy", () -> ce.apply(x)));
        ws.add(new Workload("ce_tiny_jvp", "Diff.jvp", () -> Diff.jvp(ce, x, v)));
        ws.add(new Workload("ce_tiny_grad", "Diff.grad", () -> Diff.grad(ce, x)));
        // jacobian_wide / jacobian_tall, the peer's weights' scale: W1 [10,256]/3, W2 [256,1000]/16
        Tensor w1 = TensorRandom.seed(2).normal(10, 256).div(3), w2 = TensorRandom.seed(3).normal(256, 1000).div(16);
        Tensor w1t = w1.transpose(), w2t = w2.transpose();
        TensorFunction wide = z -> z.matmul(w1).tanh().matmul(w2).tanh();
        TensorFunction tall = z -> z.matmul(w2t).tanh().matmul(w1t).tanh();
        Tensor xw = TensorRandom.seed(4).normal(10), xt = TensorRandom.seed(5).normal(1000);
        JacobianOptions o = JacobianOptions.defaults();
        ws.add(new Workload("jacobian_wide", "jacobian AUTO (forward)", () -> Diff.jacobian(wide, xw, o)));
        ws.add(new Workload("jacobian_wide_rev", "jacobian REVERSE", () -> Diff.jacobian(wide, xw, o.mode(JacobianMode.REVERSE))));
        ws.add(new Workload("jacobian_tall", "jacobian AUTO (reverse)", () -> Diff.jacobian(tall, xt, o)));
        ws.add(new Workload("jacobian_tall_fwd", "jacobian FORWARD", () -> Diff.jacobian(tall, xt, o.mode(JacobianMode.FORWARD))));
        // mlp_*: mean cross-entropy of a tanh MLP 784-256-256-10 on a batch of 128
        Mlp net = Mlp.of(784, 256, 256, 10).activation(Activation.TANH).seed(0).build();
        Tensor bx = TensorRandom.seed(6).normal(128, 784), bv = TensorRandom.seed(7).normal(128, 784);
        int[] bt = new int[128];
        for (int i = 0; i < 128; i++) bt[i] = (i * 7) % 10;
        TensorFunction mlpLoss = z -> Loss.crossEntropy(net.forward(z), bt);
        Tensor[] params = net.parameterArray();
        ws.add(new Workload("mlp_primal", "forward, no derivatives", () -> mlpLoss.apply(bx)));
        ws.add(new Workload("mlp_jvp_input", "Diff.jvp w.r.t. the input", () -> Diff.jvp(mlpLoss, bx, bv)));
        ws.add(new Workload("mlp_grad_params", "Diff.grad w.r.t. all weights and biases",
                () -> Diff.grad(ps -> Loss.crossEntropy(net.forward(ps, bx), bt), params)));
        // layernorm_mlp_grad: mlp_grad_params with a layerNorm (affine, eps 1e-5) after each hidden Linear, before tanh
        Map<String, Tensor> np = net.parameters();
        Sequential lnNet = new Sequential(Linear.of(np.get("0.weight"), np.get("0.bias")), new LayerNorm(256), Activation.TANH,
                Linear.of(np.get("2.weight"), np.get("2.bias")), new LayerNorm(256), Activation.TANH, Linear.of(np.get("4.weight"), np.get("4.bias")));
        Tensor[] lnParams = lnNet.parameterArray();
        ws.add(new Workload("layernorm_mlp_grad", "Diff.grad w.r.t. all weights, biases and layerNorm parameters",
                () -> Diff.grad(ps -> Loss.crossEntropy(lnNet.forward(ps, bx), bt), lnParams)));
        // batch_jacobian: [256, 10, 64] of a tanh MLP 64-128-128-10
        Mlp net2 = Mlp.of(64, 128, 128, 10).activation(Activation.TANH).seed(1).build();
        Tensor x2 = TensorRandom.seed(8).normal(256, 64);
        JacobianOptions noProbe = o.checkIndependence(false);
        ws.add(new Workload("batch_jacobian", "Diff.batchJacobian AUTO (reverse, 10 cotangents in one sweep)",
                () -> Diff.batchJacobian(net2::forward, x2, noProbe)));
        ws.add(new Workload("batch_jacobian_checked", "the same with the independence probe (one extra forward pass, 2⌈log₂B⌉ = 16 directions)",
                () -> Diff.batchJacobian(net2::forward, x2, o)));
        ws.add(new Workload("batch_jacobian_fwd", "Diff.batchJacobian FORWARD (64 tangents in one pass)",
                () -> Diff.batchJacobian(net2::forward, x2, noProbe.mode(JacobianMode.FORWARD))));
        // hvp_input and jacobian_penalty_step: tanh MLP 64-128-10, batch 128, mean cross-entropy
        Mlp net3 = Mlp.of(64, 128, 10).activation(Activation.TANH).seed(2).build();
        Tensor x3 = TensorRandom.seed(9).normal(128, 64), v3 = TensorRandom.seed(10).normal(128, 64);
        int[] t3 = new int[128];
        for (int i = 0; i < 128; i++) t3[i] = (i * 3) % 10;
        TensorFunction loss3 = z -> Loss.crossEntropy(net3.forward(z), t3);
        ws.add(new Workload("hvp_input", "Diff.hvp (forward over reverse)", () -> Diff.hvp(loss3, x3, v3)));
        Tensor[] p3 = net3.parameterArray();
        ws.add(new Workload("jacobian_penalty_step", "Diff.grad of CE + 0.01·JacobianPenalty.exact (reverse over reverse, 10 cotangents)",
                () -> Diff.grad(ps -> Loss.crossEntropy(net3.forward(ps, x3), t3)
                        .add(JacobianPenalty.exact(z -> net3.forward(ps, z), x3).mul(0.01)), p3)));
        // rosenbrock, n = 100
        Tensor zr = TensorRandom.seed(11).normal(100);
        TensorFunction rosen = z -> z.slice(0, 1, 100).sub(z.slice(0, 0, 99).square()).square().mul(100)
                .add(Tensor.scalar(1).sub(z.slice(0, 0, 99)).square()).sum();
        ws.add(new Workload("rosenbrock_grad", "Diff.grad", () -> Diff.grad(rosen, zr)));
        ws.add(new Workload("rosenbrock_hessian", "Diff.hessian (forward over reverse, 100 directions in one pass)", () -> Diff.hessian(rosen, zr)));
        // matmul_N: C = A·B on N×N float64 operands, the kernel under everything else (the table adds GFLOP/s)
        for (int n : new int[] {256, 512, 1024}) {
            Tensor a = TensorRandom.seed(12 + n).normal(n, n), b = TensorRandom.seed(13 + n).normal(n, n);
            ws.add(new Workload("matmul_" + n, "Tensor.matmul, " + dev.dualgrad.internal.kernels.Kernels.matmulKernel() + " kernel", () -> a.matmul(b)));
        }
        TileCeiling.add(ws); // issue 21: matmul_1024_tile_*: the bare register tiles, Java's ceiling on this machine
        // The same with a 2-thread pool (Parallelism), for information: the peers' columns are 1 thread.
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(2);
        Tensor a1024 = TensorRandom.seed(12 + 1024).normal(1024, 1024), b1024 = TensorRandom.seed(13 + 1024).normal(1024, 1024);
        ws.add(new Workload("matmul_1024_2threads", "the same, Parallelism.with(2-thread pool)",
                () -> Parallelism.with(pool, () -> a1024.matmul(b1024))));
        ws.add(new Workload("mlp_grad_params_2threads", "mlp_grad_params with Parallelism.with(2-thread pool)",
                () -> Parallelism.with(pool, () -> Diff.grad(ps -> Loss.crossEntropy(net.forward(ps, bx), bt), params))));
        ws.add(new Workload("batch_jacobian_2threads", "batch_jacobian with Parallelism.with(2-thread pool)",
                () -> Parallelism.with(pool, () -> Diff.batchJacobian(net2::forward, x2, noProbe))));
        GpBench.add(ws); // issue 20: gp_nll_grad_256, gp_nll_grad_1024 (torch_ops_peer.py)
        SparseBench.add(ws); // issue 13: rosenbrock_hessian_sparse/_1000, bratu_jacobian_32/64, and their _prepared (torch_peer.py W10, W11)
        TaylorBench.add(ws); // issue 18: laplacian_mlp_D16/64/256 (+_checked, _old), taylor_dir_K2/4/8 (+_nested) (torch_taylor_peer.py)
        return ws;
    }

    /** The threads the workloads ran on, for the peer label: the default's count (-Ddualgrad.threads, else the processors) or 1. */
    static String threadsLabel() {
        int t = dev.dualgrad.tensor.Parallelism.threads();
        return t == 1 ? "1 thread" : t + " threads (default pool)";
    }

}
