package dev.dualgrad.internal.ops.linalg;

/**
 * LU factorisation with partial pivoting, P·A = L·U, in place on an n×n row-major matrix: U on and above
 * the diagonal, the unit lower L below it. Right-looking, with row operations along contiguous rows.
 */
final class LuKernel {
    private LuKernel() {}

    /**
     * Factors a[o..] in place and records the row permutation in perm (perm[i] = the original row now at i).
     *
     * @return the first pivot (0-based) that is exactly zero, or −1 when there is none; the sign of the
     *         permutation is in perm's last slot (perm has n + 1 entries, the last ±1)
     */
    static int factor(double[] a, int o, int n, int[] perm) {
        for (int i = 0; i < n; i++) perm[i] = i;
        int sign = 1, zero = -1;
        double[] pivotRow = new double[n];
        for (int k = 0; k < n; k++) {
            int p = k;
            double best = Math.abs(a[o + k * n + k]);
            for (int i = k + 1; i < n; i++) {
                double v = Math.abs(a[o + i * n + k]);
                if (v > best) {
                    best = v;
                    p = i;
                }
            }
            if (p != k) {
                for (int j = 0; j < n; j++) {
                    double t = a[o + k * n + j];
                    a[o + k * n + j] = a[o + p * n + j];
                    a[o + p * n + j] = t;
                }
                int t = perm[k];
                perm[k] = perm[p];
                perm[p] = t;
                sign = -sign;
            }
            double d = a[o + k * n + k];
            if (d == 0) {
                if (zero < 0) zero = k;
                continue;
            }
            System.arraycopy(a, o + k * n + k + 1, pivotRow, 0, n - k - 1); // a separate array, so that the row operations vectorise
            for (int i = k + 1; i < n; i++) {
                double l = a[o + i * n + k] / d;
                a[o + i * n + k] = l;
                if (l != 0) TriangularKernel.axpy(-l, pivotRow, 0, a, o + i * n + k + 1, n - k - 1);
            }
        }
        perm[n] = sign;
        return zero;
    }

    /** op(A)·X = B with A = Pᵀ·L·U factored by {@link #factor}; x (n×m) holds B on entry, X on exit. */
    static void solve(double[] lu, int o, int n, int[] perm, boolean trans, double[] x, int xo, int m, String op, boolean strongZero) {
        if (!trans) { // L·U·X = P·B
            permuteRows(x, xo, n, m, perm, false);
            triangular(lu, o, n, true, false, true, x, xo, m, op, strongZero);
            triangular(lu, o, n, false, false, false, x, xo, m, op, strongZero);
        } else { // Aᵀ = Uᵀ·Lᵀ·P: Uᵀ·Lᵀ·(P·X) = B
            triangular(lu, o, n, false, true, false, x, xo, m, op, strongZero);
            triangular(lu, o, n, true, true, true, x, xo, m, op, strongZero);
            permuteRows(x, xo, n, m, perm, true);
        }
    }

    private static void triangular(double[] t, int to, int n, boolean lower, boolean trans, boolean unit, double[] x, int xo, int m, String op,
            boolean strongZero) {
        if (strongZero) TriangularKernel.solveStrongZero(t, to, n, lower, trans, unit, x, xo, m, op);
        else TriangularKernel.solve(t, to, n, lower, trans, unit, x, xo, m, op);
    }

    /** Rows of x in the order perm (forward: row i ← row perm[i]) or its inverse. */
    private static void permuteRows(double[] x, int xo, int n, int m, int[] perm, boolean inverse) {
        double[] c = new double[n * m];
        for (int i = 0; i < n; i++) {
            int from = inverse ? i : perm[i], to = inverse ? perm[i] : i;
            System.arraycopy(x, xo + from * m, c, to * m, m);
        }
        System.arraycopy(c, 0, x, xo, n * m);
    }
}
