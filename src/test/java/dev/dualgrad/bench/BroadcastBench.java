package dev.dualgrad.bench;

import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.util.Arrays;

/**
 * Broadcast products of forward mode's shapes, a tangent [k, ...] times a primal [...] with short last axes, beside the
 * contiguous product of the same size: what merging the axes that step as one ({@code Kernels.coalesced}) is for.
 * Best of 7 rounds of 5,000 calls, µs per call:
 * {@code java --add-modules jdk.incubator.vector -Ddualgrad.threads=1 -cp target/classes:target/test-classes:$(cat target/bench/cp.txt) dev.dualgrad.bench.BroadcastBench}.
 */
public final class BroadcastBench {
    private BroadcastBench() {}

    private static volatile Object sink;

    public static void main(String[] args) {
        int[][][] cases = {{{5, 32, 32}, {32, 32}}, {{64, 16, 8}, {16, 8}}, {{10, 256, 4}, {256, 4}}, {{5120}, {5120}}};
        for (int[][] c : cases) {
            Tensor x = TensorRandom.seed(1).normal(c[0]), y = TensorRandom.seed(2).normal(c[1]);
            for (int i = 0; i < 20_000; i++) sink = x.mul(y);
            double best = Double.MAX_VALUE;
            for (int r = 0; r < 7; r++) {
                long t = System.nanoTime();
                for (int i = 0; i < 5_000; i++) sink = x.mul(y);
                best = Math.min(best, (System.nanoTime() - t) / 5e6);
            }
            System.out.printf("%s * %s: %.2f µs%n", Arrays.toString(c[0]), Arrays.toString(c[1]), best);
        }
    }
}
