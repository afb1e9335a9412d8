package dev.dualgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KernelsTest {
    /** Both kernels: the one gemm picks (the Vector API under the tests' --add-modules) and the plain one. */
    static final Kernels.Gemm[] KERNELS = {Kernels::gemm, Kernels::plainGemm};

    @Test
    void theTestsRunTheVectorKernel() {
        assertEquals("vector (jdk.incubator.vector)", Kernels.matmulKernel());
    }

    @Test
    void gemmMatchesATripleLoopOnAwkwardShapes() {
        for (Kernels.Gemm g : KERNELS) matchesTripleLoop(g);
    }

    @Test
    void kernelsAccumulateIntoC() {
        for (Kernels.Gemm g : KERNELS) {
            double[] a = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, b = {1, 0, 0, 1}, c = new double[10];
            java.util.Arrays.fill(c, 1);
            g.gemm(a, 0, b, 0, c, 0, 5, 2, 2);
            assertArrayEquals(new double[] {2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, c, 0);
        }
    }

    private static void matchesTripleLoop(Kernels.Gemm g) {
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {4, 2, 4}, {7, 131, 9}, {9, 257, 515}, {5, 3, 600}, {6, 0, 3}};
        for (int[] s : shapes) {
            int m = s[0], k = s[1], n = s[2];
            double[] a = Tensor.randn(m * 31L + k, m * k).buffer(), b = Tensor.randn(n * 17L + k, k * n).buffer();
            double[] c = new double[m * n];
            g.gemm(a, 0, b, 0, c, 0, m, k, n);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double ref = 0, mag = 0;
                    for (int p = 0; p < k; p++) {
                        ref += a[i * k + p] * b[p * n + j];
                        mag += Math.abs(a[i * k + p] * b[p * n + j]);
                    }
                    assertEquals(ref, c[i * n + j], 1e-14 * mag + 1e-300, "C[" + i + "," + j + "] of " + m + "x" + k + "x" + n);
                }
            }
        }
    }

    @Test
    void aRowsResultDoesNotDependOnTheRowsAroundIt() {
        for (Kernels.Gemm g : KERNELS) for (int n : new int[] {13, 24, 600}) rowIndependent(g, n);
    }

    private static void rowIndependent(Kernels.Gemm g, int n) {
        int m = 11, k = 261;
        double[] a = Tensor.randn(1, m * k).buffer(), b = Tensor.randn(2, k * n).buffer();
        double[] all = new double[m * n];
        g.gemm(a, 0, b, 0, all, 0, m, k, n);
        for (int i = 0; i < m; i++) {
            double[] row = new double[n];
            g.gemm(a, i * k, b, 0, row, 0, 1, k, n);
            assertArrayEquals(java.util.Arrays.copyOfRange(all, i * n, i * n + n), row, 0, "row " + i);
        }
    }
}
