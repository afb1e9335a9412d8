package dev.dualgrad.internal.kernels;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Parallelism;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KernelsTest {
    /** C += A·B on dense row-major operands through one kernel. */
    interface Dense {
        void gemm(double[] a, int ao, double[] b, int bo, double[] c, int co, int m, int k, int n);
    }

    static Dense dense(Kernels.Gemm g) {
        return (a, ao, b, bo, c, co, m, k, n) -> g.gemm(false, false, m, n, k, a, ao, k, b, bo, n, c, co, n);
    }

    /** Both kernels: the one gemm picks (the Vector API under the tests' --add-modules) and the plain one. */
    static final Kernels.Gemm[] RAW = {Kernels.PICKED, Kernels.PLAIN};
    static final Dense[] KERNELS = {dense(Kernels.PICKED), dense(Kernels.PLAIN)};

    @Test
    void theTestsRunTheVectorKernel() {
        assertEquals("vector (jdk.incubator.vector)", Kernels.matmulKernel());
    }

    @Test
    void gemmMatchesATripleLoopOnAwkwardShapes() {
        for (Dense g : KERNELS) matchesTripleLoop(g);
    }

    @Test
    void kernelsAccumulateIntoC() {
        for (Dense g : KERNELS) {
            double[] a = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, b = {1, 0, 0, 1}, c = new double[10];
            java.util.Arrays.fill(c, 1);
            g.gemm(a, 0, b, 0, c, 0, 5, 2, 2);
            assertArrayEquals(new double[] {2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, c, 0);
        }
    }

    private static void matchesTripleLoop(Dense g) {
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {4, 2, 4}, {7, 131, 9}, {9, 257, 515}, {5, 3, 600}, {6, 0, 3},
            // the packed path (m > 16): edge tiles in m and n, several KC blocks of k, MC blocks of m, NC blocks of n
            {17, 1, 1}, {23, 300, 13}, {101, 513, 37}, {37, 70, 1029}, {20, 0, 20}, {30, 1100, 2070}};
        for (int[] s : shapes) {
            int m = s[0], k = s[1], n = s[2];
            double[] a = Tensors.buffer(TensorRandom.seed(m * 31L + k).normal(m * k)), b = Tensors.buffer(TensorRandom.seed(n * 17L + k).normal(k * n));
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
        for (Dense g : KERNELS) {
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
            double[] a = Tensors.buffer(TensorRandom.seed(m + 5L * k).normal(m * k)), b = Tensors.buffer(TensorRandom.seed(n + 3L * k).normal(k * n));
            double[] c = Tensors.buffer(TensorRandom.seed(9).normal(m * n)), c0 = c.clone();
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

    /**
     * A product into zeros starts its sums at zero without reading C: bitwise what the accumulating product gives
     * into a new array, on every path and transpose, with several k blocks (k up to 1,100: later blocks must load
     * what the first stored), edge tiles, and split over threads.
     */
    @Test
    void aProductIntoZerosIsBitwiseTheAccumulatingOne() {
        int[][] shapes = {{7, 5, 3}, {16, 40, 33}, {200, 1100, 17}, {50, 600, 70}, {13, 1030, 40}, {97, 128, 128}, {300, 64, 1}};
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(3);
        try {
            for (int[] s : shapes) {
                int m = s[0], k = s[1], n = s[2];
                double[] a = Tensors.buffer(TensorRandom.seed(m + 7L * k).normal(m * k)), b = Tensors.buffer(TensorRandom.seed(n + 11L * k).normal(k * n));
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        double[] expected = new double[m * n], got = new double[m * n], split = new double[m * n];
                        Kernels.gemm(ta, tb, a, 0, b, 0, expected, 0, m, k, n);
                        Kernels.productIntoZeros(ta, tb, a, 0, b, 0, got, 0, m, k, n, false);
                        String what = m + "x" + k + "x" + n + " ta=" + ta + " tb=" + tb;
                        assertArrayEquals(expected, got, 0.0, what);
                        Parallelism.with(pool, () -> {
                            Kernels.productIntoZeros(ta, tb, a, 0, b, 0, split, 0, m, k, n, false);
                            return null;
                        });
                        assertArrayEquals(expected, split, 0.0, "split over threads: " + what);
                    }
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aParallelProductIsBitwiseTheSingleThreadedOne() {
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(3);
        try {
            for (Kernels.Gemm g : RAW) {
                for (int[] s : new int[][] {{300, 200, 100}, {64, 700, 260}, {1000, 64, 40}, {20, 300, 900}}) {
                    int m = s[0], k = s[1], n = s[2];
                    assertTrue(2L * m * k * n >= Parallelism.MIN_FLOPS);
                    double[] a = Tensors.buffer(TensorRandom.seed(4).normal(m * k)), b = Tensors.buffer(TensorRandom.seed(5).normal(k * n));
                    double[] one = new double[m * n], many = new double[m * n];
                    g.gemm(false, false, m, n, k, a, 0, k, b, 0, n, one, 0, n);
                    Parallelism.with(pool, () -> {
                        ParallelGemm.gemm(g, false, false, m, n, k, a, 0, k, b, 0, n, many, 0, n, false, false);
                        return null;
                    });
                    assertArrayEquals(one, many, 0.0, m + "x" + k + "x" + n);
                    // and with both operands transposed in place, split the same way
                    double[] at = new double[m * k], bt = new double[k * n], manyT = new double[m * n];
                    Kernels.transposeTiled(a, 0, k, at, 0, m, k);
                    Kernels.transposeTiled(b, 0, n, bt, 0, k, n);
                    Parallelism.with(pool, () -> {
                        ParallelGemm.gemm(g, true, true, m, n, k, at, 0, m, bt, 0, k, manyT, 0, n, false, true); // manyT is new: zeros
                        return null;
                    });
                    assertArrayEquals(one, manyT, 0.0, "transposed " + m + "x" + k + "x" + n);
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    private static void rowIndependent(Dense g, int m, int k, int n) {
        double[] a = Tensors.buffer(TensorRandom.seed(1).normal(m * k)), b = Tensors.buffer(TensorRandom.seed(2).normal(k * n));
        double[] all = new double[m * n];
        g.gemm(a, 0, b, 0, all, 0, m, k, n);
        for (int i = 0; i < m; i++) {
            double[] row = new double[n];
            g.gemm(a, i * k, b, 0, row, 0, 1, k, n);
            assertArrayEquals(java.util.Arrays.copyOfRange(all, i * n, i * n + n), row, 0, "row " + i);
        }
    }

    /**
     * op(A)·op(B) with transposed operands read in place is bitwise the product of explicit transposes, in
     * both kernels, and the leading dimensions address a sub-block (here: C, A and B inside larger arrays).
     */
    @Test
    void transposedOperandsGiveBitwiseTheProductOfExplicitTransposes() {
        for (Kernels.Gemm g : RAW) {
            for (int[] s : new int[][] {{5, 7, 3}, {16, 33, 9}, {29, 300, 41}, {130, 70, 17}}) {
                int m = s[0], k = s[1], n = s[2];
                double[] a = Tensors.buffer(TensorRandom.seed(m + k).normal(m * k)), b = Tensors.buffer(TensorRandom.seed(k + n).normal(k * n));
                double[] at = new double[m * k], bt = new double[k * n];
                Kernels.transposeTiled(a, 0, k, at, 0, m, k);
                Kernels.transposeTiled(b, 0, n, bt, 0, k, n);
                double[] ref = new double[m * n];
                g.gemm(false, false, m, n, k, a, 0, k, b, 0, n, ref, 0, n);
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        double[] c = new double[m * n];
                        g.gemm(ta, tb, m, n, k, ta ? at : a, 0, ta ? m : k, tb ? bt : b, 0, tb ? k : n, c, 0, n);
                        assertArrayEquals(ref, c, 0.0, "ta=" + ta + " tb=" + tb + " " + m + "x" + k + "x" + n);
                    }
                }
                // a sub-block: C in the middle of a wider array, row stride n + 3, offset 2
                double[] wide = new double[m * (n + 3) + 2];
                g.gemm(false, true, m, n, k, a, 0, k, bt, 0, k, wide, 2, n + 3);
                for (int i = 0; i < m; i++) {
                    assertArrayEquals(java.util.Arrays.copyOfRange(ref, i * n, i * n + n),
                            java.util.Arrays.copyOfRange(wide, 2 + i * (n + 3), 2 + i * (n + 3) + n), 0.0, "row " + i);
                    assertEquals(0.0, wide[2 + i * (n + 3) + n], 0.0, "outside the block");
                }
            }
        }
    }
}
