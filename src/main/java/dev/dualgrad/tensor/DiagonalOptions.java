package dev.dualgrad.tensor;

/**
 * Which diagonal {@link Tensor#diagonal(DiagonalOptions)} takes: its offset k (0 the main diagonal, k &gt; 0
 * above it, k &lt; 0 below) and the two axes that play the rows and the columns (by default the last two,
 * so that leading axes are a batch). Element t of the diagonal is x[t + max(0, −k), t + max(0, k)] on
 * (rows, columns). Immutable: each setter returns a copy.
 */
public final class DiagonalOptions {
    final int offset, rows, columns;

    private DiagonalOptions(int offset, int rows, int columns) {
        this.offset = offset;
        this.rows = rows;
        this.columns = columns;
    }

    /**
     * Offset 0 on the last two axes: the main diagonal of each matrix of a batch [..., n, m].
     *
     * @return the default options
     */
    public static DiagonalOptions defaults() {
        return new DiagonalOptions(0, -2, -1);
    }

    /**
     * The diagonal's offset: k &gt; 0 takes x[t, t + k] (above the main diagonal), k &lt; 0 takes x[t − k, t]
     * (below); an offset past the matrix gives an empty diagonal.
     *
     * @param k any integer
     * @return a copy with offset k
     */
    public DiagonalOptions offset(int k) {
        return new DiagonalOptions(k, rows, columns);
    }

    /**
     * The axis of the rows and the axis of the columns; negative axes count from the end. Both are
     * removed and the diagonal becomes the last axis of the result, as in NumPy's diagonal(x, offset, rows, columns).
     *
     * @param rows the axis whose index is t + max(0, −k)
     * @param columns the axis whose index is t + max(0, k); a different axis from rows
     * @return a copy with these axes (checked against the tensor by diagonal)
     */
    public DiagonalOptions axes(int rows, int columns) {
        return new DiagonalOptions(offset, rows, columns);
    }

    @Override
    public String toString() {
        return "DiagonalOptions[offset=" + offset + ", rows=" + rows + ", columns=" + columns + "]";
    }
}
