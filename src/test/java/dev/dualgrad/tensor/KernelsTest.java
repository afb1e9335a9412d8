package dev.dualgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {4, 2, 4}, {7, 131, 9}, {9, 257, 515}, {5, 3, 600}, {6, 0, 3},
            // the packed path (m > 16): edge tiles in m and n, several KC blocks of k, MC blocks of m, NC blocks of n
            {17, 1, 1}, {23, 300, 13}, {101, 513, 37}, {37, 70, 1029}, {20, 0, 20}};
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
        for (Kernels.Gemm g : KERNELS) {
            for (int n : new int[] {13, 24, 600}) {
                rowIndependent(g, 11, 261, n);
                rowIndependent(g, 103, 261, n); // the vector kernel packs here, and not for one row
            }
        }
    }

    /**
     * The vector kernel's contract, exactly: each element of C is c ← fma(a_p, b_p, c) for p = 0..k−1 in
     * order, on every path (unpacked, packed, edge tiles, several k blocks).
     */
    @Test
    void theVectorKernelIsAnFmaChainInOrderOnEveryPath() {
        int[][] shapes = {{3, 7, 9}, {16, 40, 33}, {17, 300, 17}, {50, 600, 70}, {200, 257, 1100}};
        for (int[] s : shapes) {
            int m = s[0], k = s[1], n = s[2];
            double[] a = Tensor.randn(m + 5L * k, m * k).buffer(), b = Tensor.randn(n + 3L * k, k * n).buffer();
            double[] c = Tensor.randn(9, m * n).buffer(), c0 = c.clone();
            Kernels.gemm(a, 0, b, 0, c, 0, m, k, n);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double r = c0[i * n + j];
                    for (int p = 0; p < k; p++) r = Math.fma(a[i * k + p], b[p * n + j], r);
                    assertEquals(r, c[i * n + j], 0.0, "C[" + i + "," + j + "] of " + m + "x" + k + "x" + n);
                }
            }
        }
    }

    @Test
    void aParallelProductIsBitwiseTheSingleThreadedOne() {
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(3);
        try {
            for (Kernels.Gemm g : KERNELS) {
                for (int[] s : new int[][] {{300, 200, 100}, {64, 700, 260}, {1000, 64, 40}}) {
                    int m = s[0], k = s[1], n = s[2];
                    assertTrue(2L * m * k * n >= Parallelism.MIN_FLOPS);
                    double[] a = Tensor.randn(4, m * k).buffer(), b = Tensor.randn(5, k * n).buffer();
                    double[] one = new double[m * n], many = new double[m * n];
                    g.gemm(a, 0, b, 0, one, 0, m, k, n);
                    Parallelism.with(pool, () -> {
                        Parallelism.gemm(g::gemm, a, 0, b, 0, many, 0, m, k, n);
                        return null;
                    });
                    assertArrayEquals(one, many, 0.0, m + "x" + k + "x" + n);
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    private static void rowIndependent(Kernels.Gemm g, int m, int k, int n) {
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
