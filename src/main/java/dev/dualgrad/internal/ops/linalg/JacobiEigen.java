package dev.dualgrad.internal.ops.linalg;

/**
 * Eigenvalues and eigenvectors of a symmetric matrix by the cyclic Jacobi method: plane rotations
 * applied until the off-diagonal part vanishes (to rounding), which gives eigenvalues to high relative
 * accuracy and orthonormal eigenvectors. O(n³) per sweep, a handful of sweeps: meant for the small and
 * moderate matrices eigh is used on, not for n in the thousands.
 */
final class JacobiEigen {
    private JacobiEigen() {}

    private static final int MAX_SWEEPS = 100;

    /**
     * Decomposes the symmetric matrix whose lower triangle is a[o..] (n×n) into out[oo..]: row 0 the
     * eigenvalues ascending, rows 1..n the eigenvectors as columns ((n + 1)×n), each with its entry of
     * largest magnitude (the first such) positive.
     */
    static void decompose(double[] a, int o, int n, double[] out, int oo, String op) {
        double[] s = new double[n * n], v = new double[n * n];
        for (int i = 0; i < n; i++) {
            v[i * n + i] = 1;
            for (int j = 0; j <= i; j++) {
                double x = a[o + i * n + j];
                if (!Double.isFinite(x)) throw new IllegalArgumentException(op + ": entry (" + i + ", " + j + ") is " + x + "; eigh needs finite entries");
                s[i * n + j] = x;
                s[j * n + i] = x;
            }
        }
        int sweep = 0;
        while (offDiagonal(s, n) > 0) {
            if (++sweep > MAX_SWEEPS) throw new ArithmeticException(op + ": Jacobi iteration did not converge in " + MAX_SWEEPS + " sweeps");
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = s[p * n + q];
                    if (apq == 0) continue;
                    double app = s[p * n + p], aqq = s[q * n + q];
                    // negligible against both diagonal entries: set it to zero (Numerical Recipes' test)
                    if (sweep > 4 && Math.abs(app) + 100 * Math.abs(apq) == Math.abs(app) && Math.abs(aqq) + 100 * Math.abs(apq) == Math.abs(aqq)) {
                        s[p * n + q] = 0;
                        s[q * n + p] = 0;
                        continue;
                    }
                    double theta = (aqq - app) / (2 * apq);
                    double t = Math.abs(theta) > 1e150 ? 0.5 / theta : Math.signum(theta == 0 ? 1 : theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    double c = 1 / Math.sqrt(t * t + 1), sn = t * c;
                    rotate(s, n, p, q, c, sn);
                    s[p * n + q] = 0;
                    s[q * n + p] = 0;
                    for (int k = 0; k < n; k++) { // V ← V·J
                        double vkp = v[k * n + p], vkq = v[k * n + q];
                        v[k * n + p] = c * vkp - sn * vkq;
                        v[k * n + q] = sn * vkp + c * vkq;
                    }
                }
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(s[x * n + x], s[y * n + y]));
        for (int j = 0; j < n; j++) {
            int src = order[j];
            out[oo + j] = s[src * n + src];
            int big = 0;
            for (int i = 1; i < n; i++) if (Math.abs(v[i * n + src]) > Math.abs(v[big * n + src])) big = i;
            double sign = v[big * n + src] < 0 ? -1 : 1;
            for (int i = 0; i < n; i++) out[oo + (i + 1) * n + j] = sign * v[i * n + src];
        }
    }

    /** S ← Jᵀ·S·J for the rotation J in the plane (p, q) with cosine c and sine s. */
    private static void rotate(double[] a, int n, int p, int q, double c, double s) {
        for (int k = 0; k < n; k++) {
            double akp = a[k * n + p], akq = a[k * n + q];
            a[k * n + p] = c * akp - s * akq;
            a[k * n + q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++) {
            double apk = a[p * n + k], aqk = a[q * n + k];
            a[p * n + k] = c * apk - s * aqk;
            a[q * n + k] = s * apk + c * aqk;
        }
    }

    private static double offDiagonal(double[] s, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (i != j) sum += s[i * n + j] * s[i * n + j];
        return sum;
    }
}
