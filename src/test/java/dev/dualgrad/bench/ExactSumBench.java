package dev.dualgrad.bench;

import dev.dualgrad.Diff;
import dev.dualgrad.data.Dataset;
import dev.dualgrad.data.Digits;
import dev.dualgrad.nn.BlockedObjective;
import dev.dualgrad.nn.Mlp;
import dev.dualgrad.tensor.ExactSum;
import dev.dualgrad.tensor.Parallelism;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.ValueAndGrad;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Issue 19's accumulator goal without Spark: the exact merge of a gradient's blocks ({@link ExactSum}) against
 * plain {@code +=}, as a share of one one-thread gradient over the same rows (the digits × 100, 179,700 rows, in
 * blocks of {@link BlockedObjective#DEFAULT_BLOCK_SIZE} or of the second argument; a 64-128-10 MLP: 9,610
 * parameters). Three figures: one block's gradient added once per block (SparkBench's figure) and the blocks' own
 * gradients, both with the accumulator hot in cache, then the additions timed inside the gradient loop itself, as
 * {@code BlockedObjective} makes them: each after its block's reverse sweep, with the model's data in cache in
 * between. Only the last is the cost a gradient pays (the element-major layout of the digits cost 2–3% hot, 6–10%
 * in the loop).
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

    /**
     * One one-thread gradient over the blocks, each block's gradient then added exactly and with {@code +=}: the two
     * additions timed apart from the sweeps, in the loop where the accumulator competes with the model for cache.
     */
    static void inLoop(BlockedObjective blocked, Tensor[] w) {
        BlockedObjective.BlockLoss loss = blocked.loss();
        ExactSum[] exact = new ExactSum[w.length];
        double[][] plain = new double[w.length][];
        for (int i = 0; i < w.length; i++) {
            exact[i] = ExactSum.ofShape(w[i].shape());
            plain[i] = new double[w[i].size()];
        }
        long exactNs = 0, plainNs = 0, t0 = System.nanoTime();
        for (int b = 0; b < blocked.blockCount(); b++) {
            Dataset d = blocked.block(b);
            ValueAndGrad vg = Parallelism.singleThreaded(() -> Diff.valueAndGrad(ps -> loss.loss(ps, d.x(), d.labels()), w));
            long s0 = System.nanoTime();
            for (int i = 0; i < w.length; i++) exact[i].add(vg.grads().get(i));
            long s1 = System.nanoTime();
            for (int i = 0; i < w.length; i++) {
                double[] v = vg.grads().get(i).toArray();
                for (int k = 0; k < v.length; k++) plain[i][k] += v[k];
            }
            exactNs += s1 - s0;
            plainNs += System.nanoTime() - s1;
        }
        double gradient = (System.nanoTime() - t0 - plainNs) / 1e6; // the gradient as BlockedObjective computes it, exact adds included
        System.out.printf(Locale.ROOT, "in the gradient loop (%d blocks, 1 thread): gradient %.1f ms, of it exact adds %.1f ms (%.1f%%); plain += %.1f ms%n",
                blocked.blockCount(), gradient, exactNs / 1e6, 100 * exactNs / 1e6 / gradient, plainNs / 1e6);
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
        for (int round = 0; round < 3; round++) inLoop(blocked, w);
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
