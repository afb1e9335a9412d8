package dev.dualgrad.internal.ops.linalg;

import dev.dualgrad.internal.kernels.Kernels;

/**
 * The reverse rule of {@link CholeskyKernel} on concrete arrays: Murray's (2016) blocked level-3
 * algorithm, which costs about n³/3 multiply-adds (the symbolic formula's two solves and product cost
 * 2n³). It reverses the left-looking factorisation block column by block column, last first; with the
 * block column J (rows j:k), R = L[J, :j], D = L[J, J], B = L[k:, J], C = L[k:, :j] and the same blocks
 * of the adjoint:
 * <pre>
 *   B̄ ← B̄·D⁻¹                       (reverse of B = (A_kJ − C·Rᵀ)·D⁻ᵀ)
 *   D̄ ← D̄ − tril(B̄ᵀ·B)
 *   Ḡ ← chol_rev(D, D̄) = Φ(P + Pᵀ), P = D⁻ᵀ·Φ(Dᵀ·D̄)·D⁻¹   (the symbolic rule on the small block)
 *   R̄ ← R̄ − B̄ᵀ·C − (Ḡ + Ḡᵀ)·R       (reverse of D₀ = A_JJ − R·Rᵀ and of the update of B)
 *   C̄ ← C̄ − B̄·R
 * </pre>
 * after which the block column of the adjoint holds Ā_JJ = Ḡ and Ā_kJ = B̄. The products run in the
 * library's gemm kernel. Only the lower triangle of L̄ is read; Ā is lower triangular, the gradient with
 * respect to the entries of A that the factorisation reads. {@link Cholesky} uses it for first-order
 * reverse mode on concrete values; nested transforms use the same rule written in differentiable ops.
 */
final class CholeskyBackward {
    private CholeskyBackward() {}

    /** Overwrites g[go..] (L̄, n×n) with Ā, given L at l[lo..]. */
    static void backward(double[] l, int lo, double[] g, int go, int n) {
        int nb = CholeskyKernel.NB;
        for (int j = (n - 1) / nb * nb; j >= 0 && n > 0; j -= nb) {
            int k = Math.min(n, j + nb), jb = k - j, below = n - k;
            double[] d = new double[jb * jb];
            for (int r = 0; r < jb; r++) System.arraycopy(l, lo + (j + r) * n + j, d, r * jb, jb);
            // B̄ ← B̄·D⁻¹: Dᵀ·(B̄ᵀ) = (old B̄)ᵀ, on a transposed copy; kept negated for the updates below
            double[] negB = new double[below * jb]; // (−B̄) [below, jb]
            if (below > 0) {
                double[] bt = new double[jb * below];
                for (int r = 0; r < below; r++) for (int c = 0; c < jb; c++) bt[c * below + r] = g[go + (k + r) * n + j + c];
                TriangularKernel.solve(d, 0, jb, true, true, false, bt, 0, below, "cholesky (derivative)");
                for (int r = 0; r < below; r++) {
                    for (int c = 0; c < jb; c++) {
                        double v = bt[c * below + r];
                        g[go + (k + r) * n + j + c] = v;
                        negB[r * jb + c] = -v;
                    }
                }
            }
            // D̄ ← D̄ − tril(B̄ᵀ·B) = D̄ + tril((−B̄)ᵀ·B)
            double[] dbar = new double[jb * jb];
            for (int r = 0; r < jb; r++) System.arraycopy(g, go + (j + r) * n + j, dbar, r * jb, r + 1);
            if (below > 0) {
                double[] t = new double[jb * jb];
                Kernels.gemm(true, false, jb, jb, below, negB, 0, jb, l, lo + k * n + j, n, t, 0, jb);
                for (int r = 0; r < jb; r++) for (int c = 0; c <= r; c++) dbar[r * jb + c] += t[r * jb + c];
            }
            double[] gBlock = symbolic(d, dbar, jb);
            for (int r = 0; r < jb; r++) {
                for (int c = 0; c < jb; c++) g[go + (j + r) * n + j + c] = c <= r ? gBlock[r * jb + c] : g[go + (j + r) * n + j + c];
            }
            if (j == 0) continue;
            // R̄ ← R̄ + (−B̄)ᵀ·C − (Ḡ + Ḡᵀ)·R;  C̄ ← C̄ + (−B̄)·R
            double[] negS = new double[jb * jb];
            for (int r = 0; r < jb; r++) for (int c = 0; c < jb; c++) negS[r * jb + c] = -(gBlock[r * jb + c] + gBlock[c * jb + r]);
            Kernels.gemm(false, false, jb, j, jb, negS, 0, jb, l, lo + j * n, n, g, go + j * n, n);
            if (below > 0) {
                Kernels.gemm(true, false, jb, j, below, negB, 0, jb, l, lo + k * n, n, g, go + j * n, n);
                Kernels.gemm(false, false, below, j, jb, negB, 0, jb, l, lo + j * n, n, g, go + k * n, n);
            }
        }
        for (int r = 0; r < n; r++) for (int c = r + 1; c < n; c++) g[go + r * n + c] = 0;
    }

    /**
     * The symbolic reverse rule on one small block: Φ(P + Pᵀ) with P = D⁻ᵀ·Φ(Dᵀ·D̄)·D⁻¹, D lower
     * triangular and D̄ lower (m×m, dense arrays); lower triangular, zero above.
     */
    private static double[] symbolic(double[] d, double[] dbar, int m) {
        double[] q = new double[m * m];
        for (int i = 0; i < m; i++) { // Φ(Dᵀ·D̄): (Dᵀ·D̄)_ic = Σ_{r ≥ i} d_ri·d̄_rc, for c ≤ i
            for (int c = 0; c <= i; c++) {
                double s = 0;
                for (int r = i; r < m; r++) s += d[r * m + i] * dbar[r * m + c];
                q[i * m + c] = c == i ? s / 2 : s;
            }
        }
        TriangularKernel.solve(d, 0, m, true, true, false, q, 0, m, "cholesky (derivative)"); // D⁻ᵀ·Φ
        double[] qt = new double[m * m];
        for (int i = 0; i < m; i++) for (int c = 0; c < m; c++) qt[c * m + i] = q[i * m + c];
        TriangularKernel.solve(d, 0, m, true, true, false, qt, 0, m, "cholesky (derivative)"); // (·D⁻¹)ᵀ = Pᵀ
        double[] out = new double[m * m];
        for (int i = 0; i < m; i++) {
            for (int c = 0; c <= i; c++) {
                double s = qt[c * m + i] + qt[i * m + c]; // P_ic + P_ci
                out[i * m + c] = c == i ? s / 2 : s;
            }
        }
        return out;
    }
}
