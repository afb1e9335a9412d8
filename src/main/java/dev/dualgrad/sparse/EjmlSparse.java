package dev.dualgrad.sparse;

import dev.dualgrad.internal.engine.Args;
import org.ejml.data.DMatrixSparseCSC;

/**
 * A {@link SparseMatrix} as EJML's compressed-column matrix, so that EJML's sparse solvers (Cholesky, LU,
 * QR in {@code org.ejml.sparse.csc.factory.LinearSolverFactory_DSCC}) and operations
 * ({@code CommonOps_DSCC}) take dualgrad's Jacobians and Hessians. EJML (ejml-dsparse) is an optional
 * dependency: add {@code org.ejml:ejml-dsparse} to use this class; nothing else in dualgrad needs it.
 *
 * <p>The conversion is one counting pass over the nonzeros, O(m + n + nnz), with no search or sort, and
 * copies: a {@code SparseMatrix} is immutable and an EJML matrix is not (its arrays are public fields that
 * EJML's own operations resize and overwrite), so sharing the arrays would let a solve in place change a
 * matrix that dualgrad hands out as unchangeable. For a symmetric matrix the CSR arrays are the CSC arrays,
 * and the pass is a plain copy.</p>
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
}
