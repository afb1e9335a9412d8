package dev.dualgrad.nn;

import dev.dualgrad.Diff;
import dev.dualgrad.Loss;
import dev.dualgrad.data.Dataset;
import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Gang;
import dev.dualgrad.internal.engine.Level;
import dev.dualgrad.internal.engine.Pools;
import dev.dualgrad.losses.ClassLossOptions;
import dev.dualgrad.losses.Reduction;
import dev.dualgrad.tensor.ExactSum;
import dev.dualgrad.tensor.Parallelism;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.PerArgument;
import dev.dualgrad.transforms.ValueAndGrad;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The mean loss over a data set, computed block by block and summed exactly: the reference that a
 * data-parallel run, on threads or on a cluster, equals bit for bit.
 *
 * <p>The rows are cut into blocks of {@link #blockSize(int) B} consecutive rows by their global index
 * (block b holds rows [bB, (b+1)B)), whatever the threads or partitions. Each block gives the sum S_b of its
 * rows' losses and its gradient ∇S_b with one reverse sweep ({@code Diff.valueAndGrad} of the {@link BlockLoss}),
 * and the blocks merge through {@link ExactSum}s, whose result is the correctly rounded Σ_b S_b whatever
 * the order. The objective is f(θ) = (Σ_b S_b(θ)) / n and ∇f = (Σ_b ∇S_b) / n for the n rows used, each
 * rounded once and divided once. So the result depends only on the data, the loss, B and the sample, never on
 * the number of threads or the order in which blocks finish.</p>
 *
 * <p>With a pool in effect ({@link Parallelism}: the default pool, or one set by {@link Parallelism#use} or
 * {@link Parallelism#with}), the blocks run as tasks of that pool, data-parallel on the machine's cores; the
 * result is bitwise that of one thread (tested).</p>
 *
 * <p>Mini-batches: with {@link #sampling(double, long)}, step t's objective {@link #atStep(long)} keeps row r
 * when {@link Sampling#keeps(long, long)}, a seeded hash of (t, r), says so; each block then holds its kept
 * rows in order, and n is their number.</p>
 *
 * <pre>{@code
 * BlockedObjective f = BlockedObjective.of(model, train).blockSize(256);
 * double[] losses = Trainer.of(model, new Adam(1e-2)).minimize(f, 100);
 * }</pre>
 */
public final class BlockedObjective implements TrainingObjective {
    /**
     * The default block size, in rows: 1024. Each block's gradient is merged exactly, once; with blocks of 1024
     * the merge costs about 2% of the gradient of a 64-128-10 MLP over 179,700 rows, with 256 about 7.5%, for the
     * same time in the blocks themselves (BENCHMARKS.md, issue 19; {@code ExactSumBench}). A block is also the unit
     * of parallel work: a data set of fewer than threads × 1024 rows leaves threads idle, so give it a smaller
     * {@link #blockSize(int)}. The result depends on the block size (the sums are grouped by block).
     */
    public static final int DEFAULT_BLOCK_SIZE = 1024;

    /**
     * The loss of one block as a function of the parameters: the SUM of its rows' losses (not their mean), so
     * that blocks add up. Serializable, so that a lambda capturing a module (itself serializable through its
     * spec) can travel to a cluster's executors.
     */
    @FunctionalInterface
    public interface BlockLoss extends Trainer.BatchLoss, Serializable {}

    /**
     * Which rows a mini-batch keeps: row r in step t when a hash of (seed, t, r), as a uniform number in [0, 1),
     * is below the fraction. It depends on nothing else, so every machine draws the same mini-batch.
     *
     * @param fraction the expected fraction of rows kept, in (0, 1]
     * @param seed the seed of the draws
     */
    public record Sampling(double fraction, long seed) implements Serializable {
        /**
         * Checks the fraction.
         *
         * @param fraction the expected fraction of rows kept
         * @param seed the seed
         * @throws IllegalArgumentException when fraction is not in (0, 1]
         */
        public Sampling {
            if (!(fraction > 0 && fraction <= 1)) throw new IllegalArgumentException("Sampling: fraction must lie in (0, 1], got " + fraction);
        }

        /**
         * Whether step t's mini-batch holds row r.
         *
         * @param step the optimizer step t
         * @param row the row's global index r
         * @return whether the row is kept
         */
        public boolean keeps(long step, long row) {
            long z = mix(mix(seed ^ 0x9E3779B97F4A7C15L * (step + 1)) + row);
            return (z >>> 11) * 0x1p-53 < fraction;
        }

        private static long mix(long z) { // SplitMix64's finalizer
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }

    /**
     * Exact partial sums of a loss and its gradient over some rows: what a block, a thread or a cluster's
     * partition contributes. Mergeable in any order and serializable.
     */
    public static final class Sums implements Serializable {
        private static final long serialVersionUID = 1L;
        private final ExactSum value = ExactSum.scalar();
        private final ExactSum[] grads;
        private long rows;

        private Sums(int[][] shapes) {
            grads = new ExactSum[shapes.length];
            for (int i = 0; i < shapes.length; i++) grads[i] = ExactSum.ofShape(shapes[i]);
        }

        /**
         * No rows yet: the zero of {@link #add(Sums)}.
         *
         * @param shapes the parameters' shapes, in order (e.g. {@link ParameterSnapshot#shapes()})
         * @return empty sums
         */
        public static Sums zero(int[][] shapes) {
            Args.nonNull(shapes, "Sums.zero", "shapes");
            return new Sums(shapes);
        }

        /**
         * Adds one block's loss S and gradient ∇S, computed with one reverse sweep.
         *
         * @param loss the block loss (the sum over its rows)
         * @param params the parameters θ, of these sums' shapes
         * @param block the block's rows, in global order (none: nothing is added)
         * @return these sums
         * @throws IllegalArgumentException when the loss is not one element, or the gradients do not fit
         */
        public Sums addBlock(BlockLoss loss, Tensor[] params, Dataset block) {
            Args.nonNull(loss, "Sums.addBlock", "loss");
            Args.nonNull(params, "Sums.addBlock", "params");
            Args.nonNull(block, "Sums.addBlock", "block");
            if (params.length != grads.length) throw new IllegalArgumentException("Sums.addBlock: " + params.length + " parameters, expected " + grads.length);
            if (block.size() == 0) return this;
            ValueAndGrad vg = Diff.valueAndGrad(ps -> loss.loss(ps, block.x(), block.labels()), params);
            if (vg.value().size() != 1) {
                throw new IllegalArgumentException("BlockedObjective: the block loss must be one element, got shape " + Arrays.toString(vg.value().shape()));
            }
            value.add(vg.value().item());
            for (int i = 0; i < params.length; i++) grads[i].add(vg.grads().get(i));
            rows += block.size();
            return this;
        }

        /**
         * Merges other into these sums, exactly.
         *
         * @param other sums over other rows, of the same parameter shapes
         * @return these sums
         * @throws IllegalArgumentException when the shapes differ
         */
        public Sums add(Sums other) {
            Args.nonNull(other, "Sums.add", "other");
            if (other.grads.length != grads.length) throw new IllegalArgumentException("Sums.add: " + other.grads.length + " parameters, expected " + grads.length);
            value.add(other.value);
            for (int i = 0; i < grads.length; i++) grads[i].add(other.grads[i]);
            rows += other.rows;
            return this;
        }

        /** @return the number of rows summed */
        public long rows() {
            return rows;
        }

        /**
         * The mean: (Σ S) / n and (Σ ∇S) / n, each sum rounded once, then divided once.
         *
         * @return the mean loss and its gradients
         * @throws ArithmeticException when no rows were summed (the mean would be 0/0)
         */
        public ValueAndGrad mean() {
            if (rows == 0) throw new ArithmeticException("BlockedObjective: no rows were summed (an empty data set or mini-batch), the mean is 0/0");
            double n = rows;
            Tensor[] g = new Tensor[grads.length];
            for (int i = 0; i < g.length; i++) g[i] = grads[i].result().div(n);
            return new ValueAndGrad(Tensor.scalar(value.value() / n), PerArgument.of(g));
        }
    }

    private final Dataset data;
    private final BlockLoss loss;
    private final int blockSize;
    private final Sampling sampling;
    private final long step;

    private BlockedObjective(Dataset data, BlockLoss loss, int blockSize, Sampling sampling, long step) {
        this.data = data;
        this.loss = loss;
        this.blockSize = blockSize;
        this.sampling = sampling;
        this.step = step;
    }

    /**
     * The mean cross-entropy of a classifier's logits over a data set, {@code Loss.crossEntropy} summed per block.
     *
     * @param model a classifier giving logits [B, C]
     * @param data the rows and labels
     * @return the objective, in blocks of {@link #DEFAULT_BLOCK_SIZE}, without sampling
     */
    public static BlockedObjective of(Module model, Dataset data) {
        Args.nonNull(model, "BlockedObjective.of", "model");
        Args.nonNull(data, "BlockedObjective.of", "data");
        return of(data, crossEntropySum(model));
    }

    /**
     * The mean of a user's loss over a data set.
     *
     * @param data the rows and labels
     * @param blockLoss the loss of one block: the sum over its rows
     * @return the objective, in blocks of {@link #DEFAULT_BLOCK_SIZE}, without sampling
     */
    public static BlockedObjective of(Dataset data, BlockLoss blockLoss) {
        Args.nonNull(data, "BlockedObjective.of", "data");
        Args.nonNull(blockLoss, "BlockedObjective.of", "blockLoss");
        return new BlockedObjective(data, blockLoss, DEFAULT_BLOCK_SIZE, null, 0);
    }

    /**
     * The summed cross-entropy of a classifier's logits, as a block loss.
     *
     * @param model a classifier giving logits [B, C]
     * @return {@code (ps, x, y) -> Loss.crossEntropy(model.forward(ps, x), y, sum)}
     */
    public static BlockLoss crossEntropySum(Module model) {
        Args.nonNull(model, "BlockedObjective.crossEntropySum", "model");
        return (ps, x, y) -> Loss.crossEntropy(model.forward(ps, x), y, ClassLossOptions.defaults().reduction(Reduction.SUM));
    }

    /**
     * The same objective in blocks of another size (which changes the last bits of the result, not its meaning).
     *
     * @param rows the rows per block, ≥ 1
     * @return the objective with that block size
     * @throws IllegalArgumentException when rows &lt; 1
     */
    public BlockedObjective blockSize(int rows) {
        if (rows < 1) throw new IllegalArgumentException("BlockedObjective.blockSize: rows must be ≥ 1, got " + rows);
        return new BlockedObjective(data, loss, rows, sampling, step);
    }

    /**
     * Mini-batches: each step's objective ({@link #atStep(long)}) keeps a seeded sample of the rows.
     *
     * @param fraction the expected fraction of rows per mini-batch, in (0, 1]
     * @param seed the seed of the draws
     * @return the sampled objective, at step 0
     * @throws IllegalArgumentException when fraction is not in (0, 1]
     */
    public BlockedObjective sampling(double fraction, long seed) {
        return new BlockedObjective(data, loss, blockSize, new Sampling(fraction, seed), 0);
    }

    /**
     * The mini-batch of step {@code step}; this objective itself when there is no sampling.
     *
     * @param step the optimizer step, ≥ 0
     * @return the objective of that step
     * @throws IllegalArgumentException when step is negative
     */
    @Override
    public BlockedObjective atStep(long step) {
        if (step < 0) throw new IllegalArgumentException("BlockedObjective.atStep: step must be ≥ 0, got " + step);
        return sampling == null ? this : new BlockedObjective(data, loss, blockSize, sampling, step);
    }

    /** @return the block loss (the sum over a block's rows) */
    public BlockLoss loss() {
        return loss;
    }

    /** @return the data set */
    public Dataset data() {
        return data;
    }

    /** @return the sampling, or null without mini-batches */
    public Sampling sampling() {
        return sampling;
    }

    /** @return the step whose mini-batch this objective is (0 without sampling) */
    public long step() {
        return step;
    }

    /** @return the rows per block */
    public int blockSize() {
        return blockSize;
    }

    /** @return the number of blocks, ⌈n / B⌉ */
    public int blockCount() {
        return (data.size() + blockSize - 1) / blockSize;
    }

    /**
     * Block b's rows, those of the step's mini-batch when sampled, in global order.
     *
     * @param b the block index, in [0, {@link #blockCount()})
     * @return the block's rows (possibly none when sampled)
     * @throws IndexOutOfBoundsException when b is not a block
     */
    public Dataset block(int b) {
        if (b < 0 || b >= blockCount()) throw new IndexOutOfBoundsException("BlockedObjective.block: b = " + b + " is not in [0, " + blockCount() + ")");
        int from = b * blockSize, to = (int) Math.min(data.size(), (long) from + blockSize);
        int[] idx = new int[to - from];
        int k = 0;
        for (int r = from; r < to; r++) if (sampling == null || sampling.keeps(step, r)) idx[k++] = r;
        return data.rows(Arrays.copyOf(idx, k));
    }

    /**
     * The exact sums over every block, on the threads in effect ({@link Parallelism}) when there are several.
     * Inside another transform (θ or the loss's tensors carrying its tangents or tape, as in an HVP through
     * {@code valueAndGrad}) the blocks run on the calling thread: that transform's level lives on this thread
     * only.
     *
     * @param params θ, in the order of {@link Module#parameters()}
     * @return the sums, over the rows used
     */
    public Sums sums(Tensor[] params) {
        Args.nonNull(params, "BlockedObjective.sums", "params");
        int[][] shapes = new int[params.length][];
        for (int i = 0; i < params.length; i++) shapes[i] = Args.nonNull(params[i], "BlockedObjective.sums", "params[" + i + "]").shape();
        Sums total = Sums.zero(shapes);
        boolean outerTransform = Level.anyActiveOnThisThread();
        for (Tensor p : params) outerTransform |= !p.isConstant();
        Gang gang = outerTransform ? null : Pools.acquire();
        try {
            int blocks = blockCount(), parts = gang == null ? 1 : Math.min(blocks, gang.threads());
            if (parts < 2) {
                for (int b = 0; b < blocks; b++) total.addBlock(loss, params, block(b));
                return total;
            }
            // Contiguous ranges of blocks, one accumulator each: how they are cut and merged changes no bit.
            Sums[] partial = new Sums[parts];
            Pools.runRanges(gang, parts, blocks, (t, from, to) -> {
                Sums s = Sums.zero(shapes);
                for (int b = from; b < to; b++) s.addBlock(loss, params, block(b));
                partial[t] = s;
            });
            for (Sums s : partial) total.add(s);
            return total;
        } finally {
            Pools.release(gang);
        }
    }

    /**
     * f(θ) = (Σ_b S_b) / n and its gradient, as the class description defines them.
     *
     * @param params θ, in the order of {@link Module#parameters()}
     * @return the mean loss and its gradients
     * @throws ArithmeticException when no rows are used (an empty data set or mini-batch)
     */
    @Override
    public ValueAndGrad valueAndGrad(Tensor[] params) {
        Args.nonNull(params, "BlockedObjective.valueAndGrad", "params");
        return sums(params).mean();
    }
}
