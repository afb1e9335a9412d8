package dev.dualgrad.internal.ops.linalg;

import dev.dualgrad.internal.kernels.Kernels;

/**
 * The lower Cholesky factor L of a symmetric positive-definite matrix, A = L·Lᵀ, in place: on entry
 * w holds A (only its lower triangle is read), on exit L with zeros above the diagonal.
 *
 * <p>Blocked and left-looking, as LAPACK's dpotrf: for each block column j of width {@link #NB}, one gemm
 * subtracts the contribution of every column before it, A[j:, j] −= L[j:, :j]·L[j, :j]ᵀ (so all but
 * O(n²·NB) of the n³/6 multiply-adds run in the library's gemm kernel), then the block column is factored
 * unblocked: the diagonal block by Cholesky, the rows below it by substitution. That step runs on a
 * transposed copy of the block column, so that its row operations run along contiguous memory.</p>
 */
final class CholeskyKernel {
    private CholeskyKernel() {}

    static final int NB = 48;

    static void factor(double[] w, int o, int n, String op) {
        double[][] p = new double[Math.min(NB, n)][n]; // one array per column: the row operations below vectorise
        for (int j0 = 0; j0 < n; j0 += NB) {
            int j1 = Math.min(n, j0 + NB), jb = j1 - j0, rows = n - j0;
            if (j0 > 0) {
                negateBlock(w, o + j0 * n + j0, rows, jb, n);
                Kernels.gemm(false, true, rows, jb, j0, w, o + j0 * n, n, w, o + j0 * n, n, w, o + j0 * n + j0, n);
                negateBlock(w, o + j0 * n + j0, rows, jb, n);
            }
            // p[c][r] = w[j0 + r][j0 + c]: the block column, transposed
            for (int r = 0; r < rows; r++) for (int c = 0; c < jb; c++) p[c][r] = w[o + (j0 + r) * n + j0 + c];
            for (int c = 0; c < jb; c++) {
                double[] pc = p[c];
                double d = pc[c];
                if (!(d > 0)) {
                    throw new ArithmeticException(op + ": the matrix is not positive definite: the pivot of row " + (j0 + c) + " (of 0.."
                            + (n - 1) + ") is " + d + ", so its leading " + (j0 + c + 1) + "×" + (j0 + c + 1) + " minor is not positive definite");
                }
                double s = Math.sqrt(d);
                for (int r = c; r < rows; r++) pc[r] /= s;
                for (int c2 = c + 1; c2 < jb; c2++) TriangularKernel.axpy(-pc[c2], pc, c2, p[c2], c2, rows - c2); // −L[j0 + c2][j0 + c]·column c
            }
            for (int r = 0; r < rows; r++) for (int c = 0; c < jb && c <= r; c++) w[o + (j0 + r) * n + j0 + c] = p[c][r];
        }
        for (int r = 0; r < n; r++) for (int c = r + 1; c < n; c++) w[o + r * n + c] = 0;
    }

    private static void negateBlock(double[] w, int o, int rows, int cols, int ld) {
        for (int r = 0; r < rows; r++) TriangularKernel.negate(w, o + r * ld, cols);
    }
}
