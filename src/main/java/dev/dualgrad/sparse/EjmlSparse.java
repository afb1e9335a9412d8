package dev.dualgrad.sparse;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.tensor.Tensor;
import org.ejml.data.DMatrixSparseCSC;

/**
 * A {@link SparseMatrix} as EJML's compressed-column matrix, so that EJML's sparse solvers (Cholesky, LU,
 * QR in {@code org.ejml.sparse.csc.factory.LinearSolverFactory_DSCC}) and operations
 * ({@code CommonOps_DSCC}) take dualgrad's Jacobians and Hessians. EJML (ejml-dsparse) is an optional
 * dependency: add {@code org.ejml:ejml-dsparse} to use this class; nothing else in dualgrad needs it.
 *
 * <p>Two routes:</p>
 * <ul>
 *   <li>{@link #toCsc}: a {@code SparseMatrix} converted in one counting pass over the nonzeros,
 *       O(m + n + nnz), with no search or sort. It copies: a {@code SparseMatrix} is immutable and an EJML
 *       matrix is not (its arrays are public fields that EJML's own operations resize and overwrite), so
 *       sharing the arrays would let a solve in place change a matrix that dualgrad hands out as unchangeable.</li>
 *   <li>{@link #newCsc} and {@link #evaluateInto}: the zero-copy route for the real use, a Newton loop. The
 *       EJML matrix is made once with the prepared pattern (yours, to do with as EJML allows), and each
 *       evaluation writes the decompressed values straight into its {@code nz_values}, in compressed-column
 *       order: no {@code SparseMatrix}, no intermediate array, and the structure never changes, so EJML's
 *       symbolic factorisation can be reused across iterations.</li>
 * </ul>
 */
public final class EjmlSparse {
    private EjmlSparse() {}

    /**
     * The matrix in EJML's compressed-column form, row indices sorted within each column.
     *
     * @param a the matrix
     * @return a new EJML matrix equal to a, entry for entry (stored zeros stay stored)
     * @throws NullPointerException when a is null
     */
    public static DMatrixSparseCSC toCsc(SparseMatrix a) {
        Args.nonNull(a, "EjmlSparse.toCsc", "a");
        int m = a.rows(), n = a.columns(), nnz = a.nonZeros();
        int[] rp = a.rowPointers(), ci = a.columnIndices();
        double[] v = a.values();
        DMatrixSparseCSC c = new DMatrixSparseCSC(m, n, nnz);
        int[] colIdx = c.col_idx; // n + 1 entries
        for (int k = 0; k < nnz; k++) colIdx[ci[k] + 1]++;
        for (int j = 0; j < n; j++) colIdx[j + 1] += colIdx[j];
        int[] next = java.util.Arrays.copyOf(colIdx, n);
        for (int i = 0; i < m; i++) { // rows ascending: each column's row indices come out sorted
            for (int k = rp[i]; k < rp[i + 1]; k++) {
                int at = next[ci[k]]++;
                c.nz_rows[at] = i;
                c.nz_values[at] = v[k];
            }
        }
        c.nz_length = nnz;
        c.indicesSorted = true;
        return c;
    }

    /**
     * An EJML matrix with the prepared Jacobian's pattern (compressed columns, rows sorted) and zero values,
     * for {@link #evaluateInto(SparseJacobian, Tensor, DMatrixSparseCSC)}.
     *
     * @param jacobian the prepared Jacobian
     * @return a new m×n EJML matrix holding every entry of the pattern
     * @throws NullPointerException when jacobian is null
     */
    public static DMatrixSparseCSC newCsc(SparseJacobian jacobian) {
        Args.nonNull(jacobian, "EjmlSparse.newCsc", "jacobian");
        return structure(jacobian.pattern());
    }

    /**
     * An EJML matrix with the prepared Hessian's pattern and zero values, for
     * {@link #evaluateInto(SparseHessian, Tensor, DMatrixSparseCSC)}.
     *
     * @param hessian the prepared Hessian
     * @return a new n×n EJML matrix holding every entry of the pattern
     * @throws NullPointerException when hessian is null
     */
    public static DMatrixSparseCSC newCsc(SparseHessian hessian) {
        Args.nonNull(hessian, "EjmlSparse.newCsc", "hessian");
        return structure(hessian.pattern());
    }

    /**
     * The Jacobian at x written into target's values, with no intermediate matrix: what
     * {@code toCsc(jacobian.evaluate(x))} would hold, entry for entry. With {@code verify} set the evaluation
     * goes through {@link SparseJacobian#evaluate} (checked), then into target.
     *
     * @param jacobian the prepared Jacobian
     * @param x a point of the prepared shape, a constant
     * @param target a matrix from {@link #newCsc(SparseJacobian)}, its structure unchanged
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when target's structure is not the pattern's, or x is refused as by {@code evaluate}
     */
    public static void evaluateInto(SparseJacobian jacobian, Tensor x, DMatrixSparseCSC target) {
        Args.nonNull(jacobian, "EjmlSparse.evaluateInto", "jacobian");
        Args.nonNull(x, "EjmlSparse.evaluateInto", "x");
        Args.nonNull(target, "EjmlSparse.evaluateInto", "target");
        int[] order = checkedOrder(jacobian.pattern(), target);
        if (jacobian.verifies() || jacobian.plan().colours() == 0) {
            copyValues(jacobian.evaluate(x), order, target);
            return;
        }
        Verification.evaluating("EjmlSparse.evaluateInto", x, jacobian.inputShape(), "Jacobian");
        jacobian.decompression().decompressInto(jacobian.compressed(x), order, target.nz_values);
    }

    /**
     * The Hessian at x written into target's values, with no intermediate matrix (see
     * {@link #evaluateInto(SparseJacobian, Tensor, DMatrixSparseCSC)}).
     *
     * @param hessian the prepared Hessian
     * @param x a point of the prepared shape, a constant
     * @param target a matrix from {@link #newCsc(SparseHessian)}, its structure unchanged
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when target's structure is not the pattern's, or x is refused as by {@code evaluate}
     */
    public static void evaluateInto(SparseHessian hessian, Tensor x, DMatrixSparseCSC target) {
        Args.nonNull(hessian, "EjmlSparse.evaluateInto", "hessian");
        Args.nonNull(x, "EjmlSparse.evaluateInto", "x");
        Args.nonNull(target, "EjmlSparse.evaluateInto", "target");
        int[] order = checkedOrder(hessian.pattern(), target);
        if (hessian.verifies() || hessian.plan().colours() == 0) {
            copyValues(hessian.evaluate(x), order, target);
            return;
        }
        Verification.evaluating("EjmlSparse.evaluateInto", x, hessian.inputShape(), "Hessian");
        hessian.decompression().decompressInto(hessian.compressed(x), order, target.nz_values);
    }

    private static DMatrixSparseCSC structure(SparsityPattern p) {
        return toCsc(SparseMatrix.of(p, new double[p.nonZeros()]));
    }

    /** For each compressed-column position q, the CSR position of its entry; refuses a target of another structure. */
    private static int[] checkedOrder(SparsityPattern p, DMatrixSparseCSC target) {
        int m = p.rows(), n = p.columns(), nnz = p.nonZeros();
        DMatrixSparseCSC want = structure(p);
        boolean same = target.numRows == m && target.numCols == n && target.nz_length == nnz
                && target.col_idx != null && target.col_idx.length >= n + 1 && target.nz_rows != null && target.nz_rows.length >= nnz
                && target.nz_values != null && target.nz_values.length >= nnz;
        for (int j = 0; same && j <= n; j++) same = target.col_idx[j] == want.col_idx[j];
        for (int q = 0; same && q < nnz; q++) same = target.nz_rows[q] == want.nz_rows[q];
        if (!same) {
            throw new IllegalArgumentException("EjmlSparse.evaluateInto: target's structure is not the prepared pattern's (" + m + "×" + n
                    + ", " + nnz + " entries); make it with EjmlSparse.newCsc and do not change its structure");
        }
        int[] rp = p.rowPointers(), ci = p.columnIndices();
        int[] next = java.util.Arrays.copyOf(want.col_idx, n);
        int[] order = new int[nnz];
        for (int i = 0; i < m; i++) for (int k = rp[i]; k < rp[i + 1]; k++) order[next[ci[k]]++] = k;
        return order;
    }

    private static void copyValues(SparseMatrix a, int[] order, DMatrixSparseCSC target) {
        double[] v = a.values();
        for (int q = 0; q < order.length; q++) target.nz_values[q] = v[order[q]];
    }
}
