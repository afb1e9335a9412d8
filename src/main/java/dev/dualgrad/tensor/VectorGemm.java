package dev.dualgrad.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * C += A·B with the JDK's incubating Vector API: a 4-row × (2 vectors) block of C stays in registers over
 * the whole of k, with fused multiply-adds. Loaded only when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} (see {@link Kernels}); otherwise the plain-Java kernel runs.
 *
 * <p>Every element of C is accumulated in the same order (p = 0..k−1, one fma each), whether it lies in
 * a register block or in the tails, so a row's result does not depend on m: stacking tangent directions
 * into one product gives bitwise the numbers of separate products.</p>
 */
final class VectorGemm implements Kernels.Gemm {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    @Override
    public void gemm(double[] a, int ao, double[] b, int bo, double[] c, int co, int m, int k, int n) {
        int w = S.length(), w2 = 2 * w;
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int r0 = ao + i * k, r1 = r0 + k, r2 = r1 + k, r3 = r2 + k;
            int q0 = co + i * n, q1 = q0 + n, q2 = q1 + n, q3 = q2 + n;
            int j = 0;
            for (; j + w2 <= n; j += w2) {
                DoubleVector c00 = DoubleVector.fromArray(S, c, q0 + j), c01 = DoubleVector.fromArray(S, c, q0 + j + w);
                DoubleVector c10 = DoubleVector.fromArray(S, c, q1 + j), c11 = DoubleVector.fromArray(S, c, q1 + j + w);
                DoubleVector c20 = DoubleVector.fromArray(S, c, q2 + j), c21 = DoubleVector.fromArray(S, c, q2 + j + w);
                DoubleVector c30 = DoubleVector.fromArray(S, c, q3 + j), c31 = DoubleVector.fromArray(S, c, q3 + j + w);
                for (int p = 0; p < k; p++) {
                    int bp = bo + p * n + j;
                    DoubleVector b0 = DoubleVector.fromArray(S, b, bp), b1 = DoubleVector.fromArray(S, b, bp + w);
                    DoubleVector x0 = DoubleVector.broadcast(S, a[r0 + p]), x1 = DoubleVector.broadcast(S, a[r1 + p]);
                    DoubleVector x2 = DoubleVector.broadcast(S, a[r2 + p]), x3 = DoubleVector.broadcast(S, a[r3 + p]);
                    c00 = x0.fma(b0, c00);
                    c01 = x0.fma(b1, c01);
                    c10 = x1.fma(b0, c10);
                    c11 = x1.fma(b1, c11);
                    c20 = x2.fma(b0, c20);
                    c21 = x2.fma(b1, c21);
                    c30 = x3.fma(b0, c30);
                    c31 = x3.fma(b1, c31);
                }
                c00.intoArray(c, q0 + j);
                c01.intoArray(c, q0 + j + w);
                c10.intoArray(c, q1 + j);
                c11.intoArray(c, q1 + j + w);
                c20.intoArray(c, q2 + j);
                c21.intoArray(c, q2 + j + w);
                c30.intoArray(c, q3 + j);
                c31.intoArray(c, q3 + j + w);
            }
            for (; j < n; j++) for (int r = 0; r < 4; r++) c[q0 + r * n + j] = dot(a, r0 + r * k, b, bo + j, n, k, c[q0 + r * n + j]);
        }
        for (; i < m; i++) {
            for (int j = 0; j < n; j++) c[co + i * n + j] = dot(a, ao + i * k, b, bo + j, n, k, c[co + i * n + j]);
        }
    }

    /** s + Σ_p a[ar+p]·b[bc+p·n], one fma per p in order: the same arithmetic as a vector lane. */
    private static double dot(double[] a, int ar, double[] b, int bc, int n, int k, double s) {
        for (int p = 0; p < k; p++) s = Math.fma(a[ar + p], b[bc + p * n], s);
        return s;
    }
}
