package dev.dualgrad.bench;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.RollOptions;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 20's indexing and shape ops, timed as {@link Harness} times its workloads, beside
 * {@code src/bench/torch_indexing.py} (the same workloads in PyTorch):
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp … dev.dualgrad.bench.IndexingBench [seconds] [rounds]
 * </pre>
 * Each workload is a gradient (one recording, one sweep), so the VJP rules are in the figure.
 */
public final class IndexingBench {
    private IndexingBench() {}

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.5;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.println(Harness.report(workloads(), seconds, rounds));
    }

    static List<Harness.Workload> workloads() {
        List<Harness.Workload> ws = new ArrayList<>();
        // attention scores: q, k [8, 64, 32] (batch·heads, tokens, features), s = einsum(bqd,bkd->bqk), loss Σ s²
        Tensor q = TensorRandom.seed(1).normal(8, 64, 32), k = TensorRandom.seed(2).normal(8, 64, 32);
        ws.add(new Harness.Workload("einsum_scores_grad", "grad of sum(einsum(bqd,bkd->bqk)²) w.r.t. q and k",
                () -> Diff.grad(xs -> Tensor.einsum("bqd,bkd->bqk", xs[0], xs[1]).square().sum(), q, k)));
        ws.add(new Harness.Workload("matmul_scores_grad", "the same by matmul(q, k, false, true), for the lowering's cost",
                () -> Diff.grad(xs -> xs[0].matmul(xs[1], false, true).square().sum(), q, k)));
        // gather: 16 of 1000 columns per row of x [256, 1000], with repeats (the VJP scatter-adds)
        Tensor x = TensorRandom.seed(3).normal(256, 1000);
        double[] idx = new double[256 * 16];
        for (int i = 0; i < idx.length; i++) idx[i] = (i * 7919L) % 1000 - (i % 3 == 0 ? 1000 : 0);
        Tensor index = Tensor.of(idx, 256, 16);
        ws.add(new Harness.Workload("take_along_axis_grad", "grad of sum(takeAlongAxis(x, index [256, 16], 1)²), x [256, 1000]",
                () -> Diff.grad(z -> z.takeAlongAxis(index, 1).square().sum(), x)));
        // roll, flip, tril, trace of [512, 512]
        Tensor m = TensorRandom.seed(4).normal(512, 512);
        ws.add(new Harness.Workload("roll_flip_tril_grad", "grad of sum(tril(flip(roll(m, (3, -5)), 0))²) + trace(m), m [512, 512]",
                () -> Diff.grad(z -> z.roll(RollOptions.shifts(3, -5).axes(0, 1)).flip(0).tril().square().sum().add(z.trace()), m)));
        return ws;
    }
}
