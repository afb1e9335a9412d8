package dev.dualgrad.sparse;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;

/**
 * An immutable m×n matrix of doubles in compressed sparse row (CSR) form: a {@link SparsityPattern} and one
 * value per stored position, {@code values[p]} belonging to row i and column {@code columnIndices[p]} for p in
 * [rowPointers[i], rowPointers[i+1]). Positions not stored are 0; a stored position may hold any double,
 * 0 and NaN included (a stored 0 stays stored and counts in {@link #nonZeros()}).
 *
 * <p>This is the form of a sparse Jacobian J (J[i][j] = ∂fᵢ/∂xⱼ) or Hessian H (H[i][j] = ∂²f/∂xᵢ∂xⱼ): its
 * products {@link #multiply J·v} and {@link #transposeMultiply Jᵀ·u} cost O(nnz).</p>
 */
public final class SparseMatrix {
    private final SparsityPattern pattern;
    final double[] values;

    SparseMatrix(SparsityPattern pattern, double[] values) {
        this.pattern = pattern;
        this.values = values;
    }

    /**
     * A matrix with the given pattern and one value per stored position, in CSR order; the values are copied.
     *
     * @param pattern the stored positions
     * @param values values[p] is the entry at the p-th stored position; length {@code pattern.nonZeros()}
     * @return the matrix
     * @throws IllegalArgumentException when values has the wrong length
     * @throws NullPointerException when an argument is null
     */
    public static SparseMatrix of(SparsityPattern pattern, double[] values) {
        Args.nonNull(pattern, "SparseMatrix.of", "pattern");
        Args.nonNull(values, "SparseMatrix.of", "values");
        if (values.length != pattern.nonZeros()) {
            throw new IllegalArgumentException("SparseMatrix.of: values has length " + values.length + ", but the pattern stores " + pattern.nonZeros());
        }
        return new SparseMatrix(pattern, values.clone());
    }

    /**
     * A matrix from CSR arrays, copied and checked as {@link SparsityPattern#of} checks them.
     *
     * @param rows the number of rows m, at least 0
     * @param columns the number of columns n, at least 0
     * @param rowPointers row i occupies [rowPointers[i], rowPointers[i+1]) of columnIndices and values; length m + 1
     * @param columnIndices the column of each stored entry, strictly ascending within a row
     * @param values the value of each stored entry, as many as columnIndices
     * @return the m×n matrix
     * @throws IllegalArgumentException when a size is negative, a length is wrong, or an index is unsorted, repeated
     *         or out of range
     * @throws NullPointerException when an array is null
     */
    public static SparseMatrix of(int rows, int columns, int[] rowPointers, int[] columnIndices, double[] values) {
        Args.nonNull(rowPointers, "SparseMatrix.of", "rowPointers");
        Args.nonNull(columnIndices, "SparseMatrix.of", "columnIndices");
        Args.nonNull(values, "SparseMatrix.of", "values");
        SparsityPattern.check("SparseMatrix.of", rows, columns, rowPointers, columnIndices);
        if (values.length != columnIndices.length) {
            throw new IllegalArgumentException("SparseMatrix.of: values has length " + values.length + ", columnIndices " + columnIndices.length);
        }
        return new SparseMatrix(new SparsityPattern(rows, columns, rowPointers.clone(), columnIndices.clone()), values.clone());
    }

    // ------------------------------------------------------------------ reading

    /** @return the number of rows m */
    public int rows() { return pattern.rows(); }

    /** @return the number of columns n */
    public int columns() { return pattern.columns(); }

    /** @return the number of stored entries, nnz (stored zeros included) */
    public int nonZeros() { return values.length; }

    /** @return the stored positions (immutable, shared) */
    public SparsityPattern pattern() { return pattern; }

    /** @return a copy of the row pointers, length rows + 1 */
    public int[] rowPointers() { return pattern.rowPointers(); }

    /** @return a copy of the column index of each stored entry, sorted ascending within each row */
    public int[] columnIndices() { return pattern.columnIndices(); }

    /** @return a copy of the stored values, in CSR order */
    public double[] values() { return values.clone(); }

    /**
     * The entry at (i, j): the stored value, or 0 when the position is not stored. O(log(row count)).
     *
     * @param i the row, in [0, rows)
     * @param j the column, in [0, columns)
     * @return A[i][j]
     * @throws IllegalArgumentException when i or j is out of range
     */
    public double get(int i, int j) {
        int p = pattern.position(i, j, "SparseMatrix.get");
        return p >= 0 ? values[p] : 0;
    }

    /** What {@link #forEach} hands each stored entry to. */
    @FunctionalInterface
    public interface EntryConsumer {
        /**
         * Receives one stored entry.
         *
         * @param row its row i
         * @param column its column j
         * @param value A[i][j]
         */
        void accept(int row, int column, double value);
    }

    /**
     * Calls {@code action} once per stored entry, row by row and by ascending column within a row.
     *
     * @param action receives (i, j, A[i][j])
     * @throws NullPointerException when action is null
     */
    public void forEach(EntryConsumer action) {
        Args.nonNull(action, "SparseMatrix.forEach", "action");
        int[] rp = pattern.rowPointersLive(), ci = pattern.columnIndicesLive();
        for (int i = 0; i < rp.length - 1; i++) {
            for (int p = rp[i]; p < rp[i + 1]; p++) action.accept(i, ci[p], values[p]);
        }
    }

    // ------------------------------------------------------------------ arithmetic

    /**
     * The matrix-vector product y = A·v, yᵢ = Σⱼ A[i][j]·vⱼ over the stored j of row i; O(nnz).
     *
     * @param v a vector of length columns
     * @return a new vector of length rows
     * @throws IllegalArgumentException when v has the wrong length
     * @throws NullPointerException when v is null
     */
    public double[] multiply(double[] v) {
        Args.nonNull(v, "SparseMatrix.multiply", "v");
        if (v.length != columns()) throw new IllegalArgumentException("SparseMatrix.multiply: v has length " + v.length + ", not columns = " + columns());
        int[] rp = pattern.rowPointersLive(), ci = pattern.columnIndicesLive();
        double[] y = new double[rows()];
        for (int i = 0; i < y.length; i++) {
            double s = 0;
            for (int p = rp[i]; p < rp[i + 1]; p++) s += values[p] * v[ci[p]];
            y[i] = s;
        }
        return y;
    }

    /**
     * The transposed product z = Aᵀ·u, zⱼ = Σᵢ A[i][j]·uᵢ; O(nnz), without forming Aᵀ.
     *
     * @param u a vector of length rows
     * @return a new vector of length columns
     * @throws IllegalArgumentException when u has the wrong length
     * @throws NullPointerException when u is null
     */
    public double[] transposeMultiply(double[] u) {
        Args.nonNull(u, "SparseMatrix.transposeMultiply", "u");
        if (u.length != rows()) throw new IllegalArgumentException("SparseMatrix.transposeMultiply: u has length " + u.length + ", not rows = " + rows());
        int[] rp = pattern.rowPointersLive(), ci = pattern.columnIndicesLive();
        double[] z = new double[columns()];
        for (int i = 0; i < u.length; i++) {
            double ui = u[i];
            for (int p = rp[i]; p < rp[i + 1]; p++) z[ci[p]] += values[p] * ui;
        }
        return z;
    }

    /**
     * The transpose Aᵀ, n×m, with Aᵀ[j][i] = A[i][j]; O(m + n + nnz).
     *
     * @return a new matrix
     */
    public SparseMatrix transpose() {
        int[][] t = pattern.transposeWithPermutation();
        int[] source = t[2];
        double[] v = new double[values.length];
        for (int q = 0; q < v.length; q++) v[q] = values[source[q]];
        return new SparseMatrix(new SparsityPattern(columns(), rows(), t[0], t[1]), v);
    }

    /**
     * The dense matrix, a tensor [rows, columns] holding 0 where nothing is stored.
     *
     * @return a new constant tensor
     * @throws IllegalArgumentException when rows·columns exceeds a Java array
     */
    public Tensor toDense() {
        long size = (long) rows() * columns();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("SparseMatrix.toDense: " + rows() + "×" + columns() + " does not fit in one array");
        }
        int n = columns();
        double[] d = new double[(int) size];
        forEach((i, j, a) -> d[i * n + j] = a);
        return Tensors.adopt(d, rows(), n);
    }

    /** @return for example "SparseMatrix 3×4, 5 stored (density 0.417)" */
    @Override
    public String toString() {
        return "SparseMatrix" + pattern.toString().substring("SparsityPattern".length());
    }
}
