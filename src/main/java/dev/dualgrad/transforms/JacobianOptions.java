package dev.dualgrad.transforms;

/**
 * Options of {@code Diff.jacobian}: the mode, the chunk size (directions per pass), a memory budget
 * for the tangents or cotangents of one pass, and whether to verify the result with a dot-product test.
 * Immutable: each setter returns a copy.
 */
public final class JacobianOptions {
    /** 256 MiB: the default budget for the tangents (or cotangents) alive in one pass. */
    public static final long DEFAULT_MEMORY_BUDGET = 256L << 20;

    private final JacobianMode mode;
    private final int chunkSize;
    private final long memoryBudget;
    private final boolean verify;
    private final boolean checkIndependence;

    private JacobianOptions(JacobianMode mode, int chunkSize, long memoryBudget, boolean verify, boolean checkIndependence) {
        this.mode = mode;
        this.chunkSize = chunkSize;
        this.memoryBudget = memoryBudget;
        this.verify = verify;
        this.checkIndependence = checkIndependence;
    }

    public static JacobianOptions defaults() {
        return new JacobianOptions(JacobianMode.AUTO, 0, DEFAULT_MEMORY_BUDGET, false, true);
    }

    public JacobianOptions mode(JacobianMode m) {
        if (m == null) throw new IllegalArgumentException("jacobian: mode must not be null");
        return new JacobianOptions(m, chunkSize, memoryBudget, verify, checkIndependence);
    }

    /** Directions per pass; 0 (the default) lets the memory budget decide. */
    public JacobianOptions chunkSize(int k) {
        if (k < 0) throw new IllegalArgumentException("jacobian: chunk size must be ≥ 1 (or 0 for automatic), got " + k);
        return new JacobianOptions(mode, k, memoryBudget, verify, checkIndependence);
    }

    /** Bytes that the tangents or cotangents of one pass may take; bounds the automatic chunk size. */
    public JacobianOptions memoryBudget(long bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("jacobian: the memory budget must be positive, got " + bytes);
        return new JacobianOptions(mode, chunkSize, bytes, verify, checkIndependence);
    }

    /** After computing J, check ⟨u, J v⟩ by one forward and one reverse pass against uᵀJv, for random u and v. */
    public JacobianOptions verify(boolean v) {
        return new JacobianOptions(mode, chunkSize, memoryBudget, v, checkIndependence);
    }

    /**
     * batchJacobian only (default on): before computing, one forward pass with tangents on the first
     * and the last sample checks that every other sample's output stays exactly unchanged, and throws
     * if f mixes samples. Costs one pass of two directions.
     */
    public JacobianOptions checkIndependence(boolean c) {
        return new JacobianOptions(mode, chunkSize, memoryBudget, verify, c);
    }

    public boolean checkIndependence() { return checkIndependence; }
    public JacobianMode mode() { return mode; }
    public int chunkSize() { return chunkSize; }
    public long memoryBudget() { return memoryBudget; }
    public boolean verify() { return verify; }
}
