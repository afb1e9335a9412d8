package dev.dualgrad.spark;

import dev.dualgrad.transforms.JacobianOptions;
import java.io.Serializable;

/**
 * How {@link RowTransforms} cuts each partition: rows per chunk (one {@code Diff.batchJacobian} call each),
 * and the memory budget of a chunk's tangents ({@link JacobianOptions#memoryBudget(long)}). Immutable and
 * serializable (JacobianOptions itself is not, so it is rebuilt in each task).
 */
public final class RowOptions implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int rowsPerChunk;
    private final long memoryBudget;

    private RowOptions(int rowsPerChunk, long memoryBudget) {
        this.rowsPerChunk = rowsPerChunk;
        this.memoryBudget = memoryBudget;
    }

    /** @return 1,024 rows per chunk and JacobianOptions' default memory budget */
    public static RowOptions defaults() {
        return new RowOptions(1024, JacobianOptions.defaults().memoryBudget());
    }

    /**
     * Rows per {@code batchJacobian} call.
     *
     * @param rows at least 1
     * @return a copy with that chunk size
     * @throws IllegalArgumentException when rows &lt; 1
     */
    public RowOptions rowsPerChunk(int rows) {
        if (rows < 1) throw new IllegalArgumentException("RowOptions.rowsPerChunk: rows must be ≥ 1, got " + rows);
        return new RowOptions(rows, memoryBudget);
    }

    /**
     * Bytes one pass's tangents may take, as {@link JacobianOptions#memoryBudget(long)}.
     *
     * @param bytes positive
     * @return a copy with that budget
     * @throws IllegalArgumentException when bytes is not positive
     */
    public RowOptions memoryBudget(long bytes) {
        JacobianOptions.defaults().memoryBudget(bytes); // its check and message
        return new RowOptions(rowsPerChunk, bytes);
    }

    /** @return rows per chunk */
    public int rowsPerChunk() {
        return rowsPerChunk;
    }

    /** @return the memory budget in bytes */
    public long memoryBudget() {
        return memoryBudget;
    }

    JacobianOptions jacobianOptions() {
        return JacobianOptions.defaults().memoryBudget(memoryBudget);
    }
}
