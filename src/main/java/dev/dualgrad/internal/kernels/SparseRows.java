package dev.dualgrad.internal.kernels;

/**
 * C = A·B for an A whose rows are mostly zeros, by rows: C[i, :] = Σ_{p: A[i,p] ≠ 0} A[i, p]·B[p, :].
 * The products of derivative rules meet such an A whenever the tangents are seeds: the unit vectors of
 * {@code jacobian}, {@code batchJacobian} and the forward Laplacian are one-hot rows, for which this is
 * a row copy instead of a dense product. Used only for strong-zero products, whose definition already
 * drops 0·B[p, j] terms (even against ∞ or NaN), so skipping the zeros changes no value's meaning. The terms
 * that remain are the vector kernel's, c ← fma(A[i,p], B[p,j], c) in increasing p, and a skipped term
 * fma(0, B[p,j], c) = c is exact for finite B: on finite operands the result is bitwise the dense kernel's.
 */
public final class SparseRows {
    private SparseRows() {}

    /** A dense gemm is worth it above this share of non-zeros in A (unless A's rows are seeds). */
    private static final int DENSITY_DIVISOR = 16;

    /**
     * Whether A [m, k] (row-major, from offset 0) has at most m·k/16 non-zeros, or at most one non-zero in every row
     * with k ≥ 2: the seeds of a Jacobian of ten outputs are one-hot rows of ten, a tenth dense, and their product by
     * rows is a scaled copy of one row of B per row of C (a [2560, 10] one-hot A times [10, 128]: 287 → 188 µs, the
     * dense kernel doing ten multiply-adds where one is needed). Stops once both are ruled out, so a dense A costs
     * about a sixteenth of a pass.
     */
    public static boolean sparseEnough(double[] a, int m, int k) {
        long limit = (long) m * k / DENSITY_DIVISOR;
        boolean seeds = k >= 2;
        long nz = 0;
        for (int i = 0, p = 0; i < m; i++) {
            int inRow = 0;
            for (int end = p + k; p < end; p++) if (a[p] != 0) inRow++;
            nz += inRow;
            seeds &= inRow <= 1;
            if (!seeds && nz > limit) return false;
        }
        return seeds || (nz <= limit && limit > 0);
    }

    /**
     * C [m, n] = A [m, k] · op(B), op(B) = B [k, n] or, with {@code tb}, Bᵀ for B [n, k]; strong zero:
     * a term with A[i, p] = 0 or B[p, j] = 0 contributes 0. finiteB: no value of B is ±∞ or NaN.
     */
    public static void gemm(boolean tb, double[] a, double[] b, boolean finiteB, double[] c, int m, int k, int n) {
        if (tb) { // Bᵀ written out once (k·n copies), so that every row of C reads rows of B contiguously
            double[] t = new double[k * n];
            for (int j = 0; j < n; j++) for (int p = 0; p < k; p++) t[p * n + j] = b[j * k + p];
            b = t;
        }
        boolean finite = finiteB; // then a term with B[p,j] = 0 adds exactly nothing: no test per term
        for (int i = 0; i < m; i++) {
            int ai = i * k, ci = i * n;
            for (int p = 0; p < k; p++) {
                double v = a[ai + p];
                if (v == 0) continue;
                int bp = p * n;
                if (finite && Double.isFinite(v)) {
                    Elementwise.fusedAxpy(v, b, bp, c, ci, n);
                } else {
                    for (int j = 0; j < n; j++) {
                        double w = b[bp + j];
                        if (w != 0) c[ci + j] = Math.fma(v, w, c[ci + j]);
                    }
                }
            }
        }
    }
}
