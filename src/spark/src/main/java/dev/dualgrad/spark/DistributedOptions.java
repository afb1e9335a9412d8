package dev.dualgrad.spark;

import dev.dualgrad.nn.BlockedObjective;
import java.io.Serializable;

/**
 * How a {@link DistributedObjective} cuts and merges: the block size (the same as the one-JVM
 * {@link BlockedObjective}'s for bitwise equal results), the number of partitions of the blocks, the depth of
 * the {@code treeAggregate}, and optional seeded mini-batches. Immutable.
 */
public final class DistributedOptions implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int blockSize, partitions, treeDepth;
    private final BlockedObjective.Sampling sampling;

    private DistributedOptions(int blockSize, int partitions, int treeDepth, BlockedObjective.Sampling sampling) {
        this.blockSize = blockSize;
        this.partitions = partitions;
        this.treeDepth = treeDepth;
        this.sampling = sampling;
    }

    /** @return blocks of {@link BlockedObjective#DEFAULT_BLOCK_SIZE} rows, the input's partition count, depth 2, no sampling */
    public static DistributedOptions defaults() {
        return new DistributedOptions(BlockedObjective.DEFAULT_BLOCK_SIZE, 0, 2, null);
    }

    /**
     * Rows per block, by global row index.
     *
     * @param rows at least 1
     * @return a copy with that block size
     * @throws IllegalArgumentException when rows &lt; 1
     */
    public DistributedOptions blockSize(int rows) {
        if (rows < 1) throw new IllegalArgumentException("DistributedOptions.blockSize: rows must be ≥ 1, got " + rows);
        return new DistributedOptions(rows, partitions, treeDepth, sampling);
    }

    /**
     * Partitions of the cached blocks (0: as many as the input has). The result does not depend on it.
     *
     * @param n at least 1, or 0
     * @return a copy with that partition count
     * @throws IllegalArgumentException when n is negative
     */
    public DistributedOptions partitions(int n) {
        if (n < 0) throw new IllegalArgumentException("DistributedOptions.partitions: n must be ≥ 0, got " + n);
        return new DistributedOptions(blockSize, n, treeDepth, sampling);
    }

    /**
     * The depth of the treeAggregate that merges the partitions' exact sums. The result does not depend on it.
     *
     * @param depth at least 1
     * @return a copy with that depth
     * @throws IllegalArgumentException when depth &lt; 1
     */
    public DistributedOptions treeDepth(int depth) {
        if (depth < 1) throw new IllegalArgumentException("DistributedOptions.treeDepth: depth must be ≥ 1, got " + depth);
        return new DistributedOptions(blockSize, partitions, depth, sampling);
    }

    /**
     * Seeded mini-batches, as {@link BlockedObjective#sampling(double, long)} draws them.
     *
     * @param fraction the expected fraction of rows per step, in (0, 1]
     * @param seed the seed
     * @return a copy with sampling
     * @throws IllegalArgumentException when fraction is not in (0, 1]
     */
    public DistributedOptions sampling(double fraction, long seed) {
        return new DistributedOptions(blockSize, partitions, treeDepth, new BlockedObjective.Sampling(fraction, seed));
    }

    /** @return rows per block */
    public int blockSize() {
        return blockSize;
    }

    /** @return the partition count, 0 for the input's */
    public int partitions() {
        return partitions;
    }

    /** @return the treeAggregate depth */
    public int treeDepth() {
        return treeDepth;
    }

    /** @return the sampling, or null */
    public BlockedObjective.Sampling sampling() {
        return sampling;
    }
}
