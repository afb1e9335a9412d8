package dev.dualgrad.sparse;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.sparsity.Mirror;
import dev.dualgrad.internal.sparsity.SparseAccess;
import java.util.Arrays;

/**
 * An immutable boolean sparsity pattern of an m×n matrix, in compressed sparse row (CSR) form: the stored
 * positions of row i are the column indices {@code columnIndices[rowPointers[i] .. rowPointers[i+1])}, sorted
 * ascending with no duplicates. Position (i, j) is <em>structurally nonzero</em> when it is stored; a
 * matrix with this pattern may still hold 0 there, but is 0 everywhere else.
 *
 * <p>For a Jacobian J = ∂f/∂x of f: ℝⁿ → ℝᵐ the pattern holds (i, j) when output i may depend on input j. The
 * largest row count {@link #maxRowCount()} and column count {@link #maxColumnCount()} are lower bounds on the
 * number of colours of a column and a row colouring: the columns of one row must all differ in colour.</p>
 */
public final class SparsityPattern {
    private final int rows;
    private final int columns;
    private final int[] rowPointers;
    private final int[] columnIndices;
    /** {@link #isSymmetric()}, once asked: 0 not yet known, 1 symmetric, -1 not. */
    private volatile byte symmetric;

    SparsityPattern(int rows, int columns, int[] rowPointers, int[] columnIndices) {
        this.rows = rows;
        this.columns = columns;
        this.rowPointers = rowPointers;
        this.columnIndices = columnIndices;
    }

    static {
        SparseAccess.install(new SparseAccess.Access() {
            @Override public SparsityPattern adoptPattern(int r, int c, int[] rp, int[] ci) { return new SparsityPattern(r, c, rp, ci); }
            @Override public SparseMatrix adoptMatrix(SparsityPattern p, double[] v) { return new SparseMatrix(p, v); }
            @Override public int[] rowPointers(SparsityPattern p) { return p.rowPointers; }
            @Override public int[] columnIndices(SparsityPattern p) { return p.columnIndices; }
            @Override public double[] values(SparseMatrix m) { return m.values; }
            @Override public SparseMatrix jacobianOnce(dev.dualgrad.transforms.TensorFunction f, dev.dualgrad.tensor.Tensor x,
                    dev.dualgrad.transforms.JacobianOptions o) { return SparseJacobian.once(f, x, o); }
            @Override public SparseMatrix hessianOnce(dev.dualgrad.transforms.TensorFunction f, dev.dualgrad.tensor.Tensor x,
                    dev.dualgrad.transforms.JacobianOptions o) { return SparseHessian.once(f, x, o); }
        });
    }

    // ------------------------------------------------------------------ creation

    /**
     * A pattern from its rows: {@code rows[i]} lists the columns stored in row i, sorted strictly ascending,
     * each in [0, columns). The arrays are copied. This is the form a sparsity detector produces.
     *
     * @param columns the number of columns n, at least 0
     * @param rows one sorted index set per row; its length is the number of rows m
     * @return the m×n pattern
     * @throws IllegalArgumentException when columns is negative, or a row is unsorted, repeats an index or holds
     *         one out of range (the message names the row)
     * @throws NullPointerException when rows or one of its entries is null
     */
    public static SparsityPattern fromRows(int columns, int[][] rows) {
        Args.nonNullEntries(rows, "SparsityPattern.fromRows", "rows");
        if (columns < 0) throw new IllegalArgumentException("SparsityPattern.fromRows: columns is negative: " + columns);
        long total = 0;
        for (int[] r : rows) total += r.length;
        if (total > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("SparsityPattern.fromRows: " + total + " entries are too many");
        int[] rp = new int[rows.length + 1];
        int[] ci = new int[(int) total];
        int at = 0;
        for (int i = 0; i < rows.length; i++) {
            int[] r = rows[i];
            for (int k = 0; k < r.length; k++) {
                int j = r[k];
                if (j < 0 || j >= columns) {
                    throw new IllegalArgumentException("SparsityPattern.fromRows: rows[" + i + "] holds column " + j + ", outside [0, " + columns + ")");
                }
                if (k > 0 && j <= r[k - 1]) {
                    throw new IllegalArgumentException("SparsityPattern.fromRows: rows[" + i + "] is not strictly ascending at position " + k
                            + " (" + r[k - 1] + " then " + j + ")");
                }
                ci[at++] = j;
            }
            rp[i + 1] = at;
        }
        return new SparsityPattern(rows.length, columns, rp, ci);
    }

    /**
     * A pattern from CSR arrays, copied and checked: {@code rowPointers} has rows + 1 entries, starts at 0 and
     * never decreases; {@code columnIndices} has {@code rowPointers[rows]} entries, strictly ascending within each
     * row and in [0, columns).
     *
     * @param rows the number of rows m, at least 0
     * @param columns the number of columns n, at least 0
     * @param rowPointers row i occupies [rowPointers[i], rowPointers[i+1]) of columnIndices
     * @param columnIndices the column of each stored entry
     * @return the m×n pattern
     * @throws IllegalArgumentException when a size is negative, a length is wrong, or the arrays break the rules above
     * @throws NullPointerException when an array is null
     */
    public static SparsityPattern of(int rows, int columns, int[] rowPointers, int[] columnIndices) {
        Args.nonNull(rowPointers, "SparsityPattern.of", "rowPointers");
        Args.nonNull(columnIndices, "SparsityPattern.of", "columnIndices");
        check("SparsityPattern.of", rows, columns, rowPointers, columnIndices);
        return new SparsityPattern(rows, columns, rowPointers.clone(), columnIndices.clone());
    }

    static void check(String op, int rows, int columns, int[] rp, int[] ci) {
        if (rows < 0) throw new IllegalArgumentException(op + ": rows is negative: " + rows);
        if (columns < 0) throw new IllegalArgumentException(op + ": columns is negative: " + columns);
        if (rp.length != rows + 1) {
            throw new IllegalArgumentException(op + ": rowPointers has length " + rp.length + ", not rows + 1 = " + (rows + 1));
        }
        if (rp[0] != 0) throw new IllegalArgumentException(op + ": rowPointers[0] is " + rp[0] + ", not 0");
        if (rp[rows] != ci.length) {
            throw new IllegalArgumentException(op + ": rowPointers[rows] is " + rp[rows] + " but columnIndices has length " + ci.length);
        }
        for (int i = 0; i < rows; i++) { // monotone first, so that every p below is inside columnIndices
            if (rp[i + 1] < rp[i]) throw new IllegalArgumentException(op + ": rowPointers decreases at row " + i);
        }
        for (int i = 0; i < rows; i++) {
            for (int p = rp[i]; p < rp[i + 1]; p++) {
                int j = ci[p];
                if (j < 0 || j >= columns) {
                    throw new IllegalArgumentException(op + ": row " + i + " holds column " + j + ", outside [0, " + columns + ")");
                }
                if (p > rp[i] && j <= ci[p - 1]) {
                    throw new IllegalArgumentException(op + ": columns of row " + i + " are not strictly ascending (" + ci[p - 1] + " then " + j + ")");
                }
            }
        }
    }

    // ------------------------------------------------------------------ reading

    /** @return the number of rows m */
    public int rows() { return rows; }

    /** @return the number of columns n */
    public int columns() { return columns; }

    /** @return the number of stored positions, nnz */
    public int nonZeros() { return columnIndices.length; }

    /** @return a copy of the row pointers, length rows + 1: row i occupies [p[i], p[i+1]) of {@link #columnIndices()} */
    public int[] rowPointers() { return rowPointers.clone(); }

    /** @return a copy of the column index of each stored position, sorted ascending within each row */
    public int[] columnIndices() { return columnIndices.clone(); }

    int[] rowPointersLive() { return rowPointers; }

    int[] columnIndicesLive() { return columnIndices; }

    /**
     * The columns stored in one row.
     *
     * @param i the row, in [0, rows)
     * @return a new sorted array of its column indices
     * @throws IllegalArgumentException when i is out of range
     */
    public int[] row(int i) {
        checkRow("SparsityPattern.row", i);
        return Arrays.copyOfRange(columnIndices, rowPointers[i], rowPointers[i + 1]);
    }

    /**
     * Whether position (i, j) is stored; a binary search in row i, O(log(row count)).
     *
     * @param i the row, in [0, rows)
     * @param j the column, in [0, columns)
     * @return true when (i, j) is structurally nonzero
     * @throws IllegalArgumentException when i or j is out of range
     */
    public boolean contains(int i, int j) {
        return position(i, j, "SparsityPattern.contains") >= 0;
    }

    /** The index of (i, j) in columnIndices, or a negative number when it is not stored. */
    int position(int i, int j, String op) {
        checkIndex(op, i, j);
        return Arrays.binarySearch(columnIndices, rowPointers[i], rowPointers[i + 1], j);
    }

    private void checkIndex(String op, int i, int j) {
        checkRow(op, i);
        if (j < 0 || j >= columns) throw new IllegalArgumentException(op + ": column " + j + " outside [0, " + columns + ")");
    }

    private void checkRow(String op, int i) {
        if (i < 0 || i >= rows) throw new IllegalArgumentException(op + ": row " + i + " outside [0, " + rows + ")");
    }

    /**
     * The largest number of stored positions in one row, max_i |{j : (i, j) stored}|: a lower bound on the colours
     * of any column colouring (0 for a pattern with no rows).
     *
     * @return the largest row count
     */
    public int maxRowCount() {
        int best = 0;
        for (int i = 0; i < rows; i++) best = Math.max(best, rowPointers[i + 1] - rowPointers[i]);
        return best;
    }

    /**
     * The largest number of stored positions in one column, max_j |{i : (i, j) stored}|: a lower bound on the
     * colours of any row colouring (0 for a pattern with no columns).
     *
     * @return the largest column count
     */
    public int maxColumnCount() {
        int[] count = new int[columns];
        int best = 0;
        for (int j : columnIndices) best = Math.max(best, ++count[j]);
        return best;
    }

    /**
     * The fraction of stored positions, nnz / (m·n); 0 when m·n = 0.
     *
     * @return the density, in [0, 1]
     */
    public double density() {
        double size = (double) rows * columns;
        return size == 0 ? 0 : columnIndices.length / size;
    }

    // ------------------------------------------------------------------ derived patterns

    /**
     * The transposed n×m pattern, holding (j, i) for each stored (i, j); a counting sort, O(m + n + nnz).
     *
     * @return the transpose
     */
    public SparsityPattern transpose() {
        int[][] out = transposeWithPermutation();
        return new SparsityPattern(columns, rows, out[0], out[1]);
    }

    /**
     * {rowPointers, columnIndices, source} of the transpose, where source[q] is the position in this pattern of
     * the q-th stored entry of the transpose (so a matrix transposes its values by a gather). Rows are visited in
     * order, so the columns of each transposed row come out sorted.
     */
    int[][] transposeWithPermutation() {
        int nnz = columnIndices.length;
        int[] tp = new int[columns + 1];
        for (int j : columnIndices) tp[j + 1]++;
        for (int j = 0; j < columns; j++) tp[j + 1] += tp[j];
        int[] next = Arrays.copyOf(tp, columns);
        int[] ti = new int[nnz];
        int[] source = new int[nnz];
        for (int i = 0; i < rows; i++) {
            for (int p = rowPointers[i]; p < rowPointers[i + 1]; p++) {
                int q = next[columnIndices[p]]++;
                ti[q] = i;
                source[q] = p;
            }
        }
        return new int[][] {tp, ti, source};
    }

    /**
     * The union of this square pattern and its transpose, P ∪ Pᵀ: the symmetric pattern of a Hessian, which star
     * colouring needs. O(n + nnz).
     *
     * @return a symmetric pattern holding (i, j) and (j, i) whenever this one holds either
     * @throws IllegalArgumentException when the pattern is not square
     */
    public SparsityPattern symmetrized() {
        if (rows != columns) throw new IllegalArgumentException("SparsityPattern.symmetrized: the pattern is " + rows + "×" + columns + ", not square");
        SparsityPattern t = transpose();
        int[] rp = new int[rows + 1];
        int[] ci = new int[2 * columnIndices.length];
        int at = 0;
        for (int i = 0; i < rows; i++) { // merge two sorted rows
            int a = rowPointers[i], ae = rowPointers[i + 1], b = t.rowPointers[i], be = t.rowPointers[i + 1];
            while (a < ae || b < be) {
                int x = a < ae ? columnIndices[a] : Integer.MAX_VALUE;
                int y = b < be ? t.columnIndices[b] : Integer.MAX_VALUE;
                if (x <= y) a++;
                if (y <= x) b++;
                ci[at++] = Math.min(x, y);
            }
            rp[i + 1] = at;
        }
        return new SparsityPattern(rows, columns, rp, Arrays.copyOf(ci, at));
    }

    /**
     * Whether the pattern is square and equal to its transpose: (i, j) is stored exactly when (j, i) is.
     *
     * @return true for a symmetric pattern
     */
    public boolean isSymmetric() {
        byte s = symmetric;
        if (s == 0) symmetric = s = symmetricEntries() ? (byte) 1 : (byte) -1; // a benign race: every thread computes the same
        return s > 0;
    }

    /** Whether every stored (i, j) has its mirror (j, i): the cursor walk of {@link Mirror#find}, no transpose built. */
    private boolean symmetricEntries() {
        return rows == columns && Mirror.find(rows, rowPointers, columnIndices, null) < 0;
    }

    /** @return for example "SparsityPattern 3×4, 5 stored (density 0.417)" */
    @Override
    public String toString() {
        return "SparsityPattern " + rows + "×" + columns + ", " + nonZeros() + " stored (density " + String.format(java.util.Locale.ROOT, "%.3g", density()) + ")";
    }
}
