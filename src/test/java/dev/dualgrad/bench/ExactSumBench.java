package dev.dualgrad.bench;

import dev.dualgrad.data.Dataset;
import dev.dualgrad.data.Digits;
import dev.dualgrad.nn.BlockedObjective;
import dev.dualgrad.nn.Mlp;
import dev.dualgrad.tensor.ExactSum;
import dev.dualgrad.tensor.Parallelism;
import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Issue 19's accumulator goal without Spark: the exact merge of a gradient's blocks ({@link ExactSum}) against
 * plain {@code +=}, as a share of one one-thread gradient over the same rows (the digits × 100, 179,700 rows, in
 * blocks of {@link BlockedObjective#DEFAULT_BLOCK_SIZE} or of the second argument; a 64-128-10 MLP: 9,610
 * parameters). Two sets of inputs: one block's gradient added once per block (SparkBench's figure), and the
 * blocks' own gradients.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:$(cat target/bench/cp.txt) \
 *   dev.dualgrad.bench.ExactSumBench [reps [block size]]
 * </pre>
 */
public final class ExactSumBench {
    private ExactSumBench() {}

    static double median(int reps, Supplier<Object> body) {
        body.get(); // warm-up
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            body.get();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }

    /** The exact sums of the blocks' gradients, rounded (the merge BlockedObjective does). */
    static Object exact(Tensor[][] blocks) {
        Tensor[] first = blocks[0];
        ExactSum[] s = new ExactSum[first.length];
        for (int i = 0; i < first.length; i++) s[i] = ExactSum.ofShape(first[i].shape());
        for (Tensor[] g : blocks) for (int i = 0; i < g.length; i++) s[i].add(g[i]);
        Tensor[] r = new Tensor[s.length];
        for (int i = 0; i < s.length; i++) r[i] = s[i].result();
        return r;
    }

    static Object plain(Tensor[][] blocks) {
        Tensor[] first = blocks[0];
        double[][] s = new double[first.length][];
        for (int i = 0; i < first.length; i++) s[i] = new double[first[i].size()];
        for (Tensor[] g : blocks) {
            for (int i = 0; i < g.length; i++) {
                double[] v = g[i].toArray(); // a copy, as ExactSum.add reads the tensor: the plain side pays it too
                for (int k = 0; k < v.length; k++) s[i][k] += v[k];
            }
        }
        return s;
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : BlockedObjective.DEFAULT_BLOCK_SIZE;
        Mlp model = Mlp.of(64, 128, 10).seed(0).build();
        Dataset digits = Digits.load();
        int[] idx = new int[digits.size() * 100];
        for (int i = 0; i < idx.length; i++) idx[i] = i % digits.size();
        Dataset big = digits.rows(idx);
        BlockedObjective blocked = BlockedObjective.of(model, big).blockSize(size);
        Tensor[] w = model.parameterArray();
        int blocks = blocked.blockCount();
        double grad = median(reps, () -> Parallelism.singleThreaded(() -> blocked.valueAndGrad(w)));

        Tensor[] one = blocked.valueAndGrad(w).grads().toArray();
        Tensor[][] same = new Tensor[blocks][];
        Arrays.fill(same, one);
        Tensor[][] own = new Tensor[blocks][];
        for (int b = 0; b < blocks; b++) {
            int from = b * size, to = Math.min(big.size(), from + size);
            int[] rows = new int[to - from];
            for (int i = 0; i < rows.length; i++) rows[i] = from + i;
            own[b] = BlockedObjective.of(model, big.rows(rows)).blockSize(size).valueAndGrad(w).grads().toArray();
        }
        for (int round = 0; round < 2; round++) {
            double exactSame = median(reps, () -> exact(same)), plainSame = median(reps, () -> plain(same));
            double exactOwn = median(reps, () -> exact(own)), plainOwn = median(reps, () -> plain(own));
            System.out.printf(Locale.ROOT, "gradient over %d rows (%d blocks of %d), 1 thread: %.1f ms; %d blocks x %d values:"
                    + " one block's gradient %d times: exact %.1f ms, plain += %.1f ms (exact = %.1f%% of the gradient);"
                    + " the blocks' own gradients: exact %.1f ms, plain += %.1f ms (exact = %.1f%%)%n",
                    big.size(), blocks, size, grad, blocks, model.parameterCount(), blocks, exactSame, plainSame, 100 * exactSame / grad,
                    exactOwn, plainOwn, 100 * exactOwn / grad);
        }
    }
}
