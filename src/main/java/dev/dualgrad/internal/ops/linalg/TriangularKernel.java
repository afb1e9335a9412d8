package dev.dualgrad.internal.ops.linalg;

import dev.dualgrad.internal.kernels.Elementwise;

import dev.dualgrad.internal.kernels.Kernels;

/**
 * op(T)·X = B for a triangular T (n×n) and m right-hand sides, in place: X (n×m, row-major) holds B on
 * entry. op(T) is T or Tᵀ; only the triangle named is read (and not its diagonal when it is a unit one).
 *
 * <p>Blocked, as LAPACK's trsm: rows of X in blocks of {@link #NB}; for each block the contribution of
 * the blocks solved before it is one matrix product (the library's gemm), and only the NB×NB diagonal
 * block is solved by substitution, with row operations x_r −= t_rc·x_c that run along contiguous rows.
 * So all but O(n²·NB·m/n) of the n²·m/2 multiply-adds run in the gemm kernel.</p>
 */
final class TriangularKernel {
    private TriangularKernel() {}

    static final int NB = 32;

    static void solve(double[] t, int to, int n, boolean lower, boolean trans, boolean unit, double[] x, int xo, int m, String op) {
        double[] acc = new double[m]; // the row being solved, apart from x: a loop over two arrays vectorises, over one it does not
        if (lower != trans) { // op(T) is lower triangular: forward substitution
            for (int i0 = 0; i0 < n; i0 += NB) {
                int i1 = Math.min(n, i0 + NB);
                if (i0 > 0) {
                    // X_i = B_i − op(T)[i, 0:i0]·X[0:i0], as −(−B_i + product): gemm only accumulates
                    negate(x, xo + i0 * m, (i1 - i0) * m);
                    if (!trans) Kernels.gemm(false, false, i1 - i0, m, i0, t, to + i0 * n, n, x, xo, m, x, xo + i0 * m, m);
                    else Kernels.gemm(true, false, i1 - i0, m, i0, t, to + i0, n, x, xo, m, x, xo + i0 * m, m);
                    negate(x, xo + i0 * m, (i1 - i0) * m);
                }
                for (int r = i0; r < i1; r++) {
                    System.arraycopy(x, xo + r * m, acc, 0, m);
                    for (int c = i0; c < r; c++) axpy(-at(t, to, n, trans, r, c), x, xo + c * m, acc, 0, m);
                    finish(acc, x, xo + r * m, m, unit ? 1 : pivot(t, to, n, trans, r, op));
                }
            }
        } else { // upper: backward substitution, blocks aligned at the end
            for (int i1 = n; i1 > 0; i1 -= NB) {
                int i0 = Math.max(0, i1 - NB);
                if (i1 < n) {
                    negate(x, xo + i0 * m, (i1 - i0) * m);
                    if (!trans) Kernels.gemm(false, false, i1 - i0, m, n - i1, t, to + i0 * n + i1, n, x, xo + i1 * m, m, x, xo + i0 * m, m);
                    else Kernels.gemm(true, false, i1 - i0, m, n - i1, t, to + i1 * n + i0, n, x, xo + i1 * m, m, x, xo + i0 * m, m);
                    negate(x, xo + i0 * m, (i1 - i0) * m);
                }
                for (int r = i1 - 1; r >= i0; r--) {
                    System.arraycopy(x, xo + r * m, acc, 0, m);
                    for (int c = r + 1; c < i1; c++) axpy(-at(t, to, n, trans, r, c), x, xo + c * m, acc, 0, m);
                    finish(acc, x, xo + r * m, m, unit ? 1 : pivot(t, to, n, trans, r, op));
                }
            }
        }
    }

    /**
     * The same solve with strong-zero arithmetic, for derivative rules on non-finite values: a product
     * with an exact zero is 0 and 0 divided by anything is 0, so that a zero right-hand side gives exactly
     * zero whatever T holds (as the rules' strong-zero matrix product). Unblocked; only used when T has a
     * non-finite entry.
     */
    static void solveStrongZero(double[] t, int to, int n, boolean lower, boolean trans, boolean unit, double[] x, int xo, int m, String op) {
        boolean forward = lower != trans;
        for (int k = 0; k < n; k++) {
            int r = forward ? k : n - 1 - k;
            for (int j = 0; j < m; j++) {
                double s = x[xo + r * m + j];
                for (int c = forward ? 0 : r + 1; forward ? c < r : c < n; c++) {
                    double a = at(t, to, n, trans, r, c), b = x[xo + c * m + j];
                    if (a != 0 && b != 0) s -= a * b;
                }
                x[xo + r * m + j] = unit || s == 0 ? s : s / pivot(t, to, n, trans, r, op);
            }
        }
    }

    /** op(T)[r][c]. */
    private static double at(double[] t, int to, int n, boolean trans, int r, int c) {
        return trans ? t[to + c * n + r] : t[to + r * n + c];
    }

    private static double pivot(double[] t, int to, int n, boolean trans, int r, String op) {
        double d = t[to + r * n + r];
        if (d == 0) {
            throw new ArithmeticException(op + ": the triangular matrix is singular: its diagonal entry " + r + " (of 0.." + (n - 1)
                    + ") is zero");
        }
        return d;
    }

    static void negate(double[] x, int o, int len) {
        for (int i = o; i < o + len; i++) x[i] = -x[i];
    }

    /** y[yo..] += a·x[xo..], len entries: {@link Elementwise#axpy} (a product, then a sum, on the vector lanes). */
    static void axpy(double a, double[] x, int xo, double[] y, int yo, int len) {
        Elementwise.axpy(a, x, xo, y, yo, len);
    }

    /** x[o..] = acc / d. */
    private static void finish(double[] acc, double[] x, int o, int len, double d) {
        for (int j = 0; j < len; j++) x[o + j] = acc[j] / d;
    }
}
