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

    private JacobianOptions(JacobianMode mode, int chunkSize, long memoryBudget, boolean verify) {
        this.mode = mode;
        this.chunkSize = chunkSize;
        this.memoryBudget = memoryBudget;
        this.verify = verify;
    }

    public static JacobianOptions defaults() {
        return new JacobianOptions(JacobianMode.AUTO, 0, DEFAULT_MEMORY_BUDGET, false);
    }

    public JacobianOptions mode(JacobianMode m) {
        if (m == null) throw new IllegalArgumentException("jacobian: mode must not be null");
        return new JacobianOptions(m, chunkSize, memoryBudget, verify);
    }

    /** Directions per pass; 0 (the default) lets the memory budget decide. */
    public JacobianOptions chunkSize(int k) {
        if (k < 0) throw new IllegalArgumentException("jacobian: chunk size must be ≥ 1 (or 0 for automatic), got " + k);
        return new JacobianOptions(mode, k, memoryBudget, verify);
    }

    /** Bytes that the tangents or cotangents of one pass may take; bounds the automatic chunk size. */
    public JacobianOptions memoryBudget(long bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("jacobian: the memory budget must be positive, got " + bytes);
        return new JacobianOptions(mode, chunkSize, bytes, verify);
    }

    /** After computing J, check ⟨u, J v⟩ by one forward and one reverse pass against uᵀJv, for random u and v. */
    public JacobianOptions verify(boolean v) {
        return new JacobianOptions(mode, chunkSize, memoryBudget, v);
    }

    public JacobianMode mode() { return mode; }
    public int chunkSize() { return chunkSize; }
    public long memoryBudget() { return memoryBudget; }
    public boolean verify() { return verify; }
}
