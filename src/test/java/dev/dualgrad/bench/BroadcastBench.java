package dev.dualgrad.bench;

import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.util.Arrays;

/**
 * Broadcast products of forward mode's shapes, a tangent [k, ...] times a primal [...] with short last axes, beside the
 * contiguous product of the same size: what merging the axes that step as one ({@code Kernels.coalesced}) is for;
 * then pairwise products x[256, 1, 2]·x[1, 256, 2] and the sums of such a [256, 256, 2] over each axis, whose short
 * last axis is not the inner loop ({@code Kernels.lineAxis}, {@code Kernels.reduceLineAxis}).
 * Best of 7 rounds of 5,000 calls, µs per call:
 * {@code java --add-modules jdk.incubator.vector -Ddualgrad.threads=1 -cp target/classes:target/test-classes:$(cat target/bench/cp.txt) dev.dualgrad.bench.BroadcastBench}.
 */
public final class BroadcastBench {
    private BroadcastBench() {}

    private static volatile Object sink;

    public static void main(String[] args) {
        int[][][] cases = {{{5, 32, 32}, {32, 32}}, {{64, 16, 8}, {16, 8}}, {{10, 256, 4}, {256, 4}}, {{5120}, {5120}},
                {{256, 1, 2}, {1, 256, 2}}}; // the last: pairwise products of 2-vectors, a short last axis
        for (int[][] c : cases) {
            Tensor x = TensorRandom.seed(1).normal(c[0]), y = TensorRandom.seed(2).normal(c[1]);
            System.out.printf("%s * %s: %.2f µs%n", Arrays.toString(c[0]), Arrays.toString(c[1]), best(() -> x.mul(y), 5_000));
        }
        Tensor z = TensorRandom.seed(3).normal(256, 256, 2); // and sums over each axis of that short-last-axis shape
        for (int axis = 0; axis < 3; axis++) {
            final int a = axis;
            System.out.printf("[256, 256, 2].sum(%d): %.2f µs%n", a, best(() -> z.sum(a), 500));
        }
    }

    /** µs per call, the best of 7 rounds of {@code calls} calls after 4 rounds' worth of warm-up. */
    private static double best(java.util.function.Supplier<Object> f, int calls) {
        for (int i = 0; i < 4 * calls; i++) sink = f.get();
        double best = Double.MAX_VALUE;
        for (int r = 0; r < 7; r++) {
            long t = System.nanoTime();
            for (int i = 0; i < calls; i++) sink = f.get();
            best = Math.min(best, (System.nanoTime() - t) / (calls * 1e3));
        }
        return best;
    }
}
