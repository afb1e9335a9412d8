package dev.dualgrad.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import org.junit.jupiter.api.Test;

/**
 * A product with one column (C = A·b) takes the kernel's mat-vec path; each element must still be the kernel's
 * sequence, so that column equals bitwise the same column computed inside a wider product (the property that
 * makes stacking and chunking directions bitwise neutral). k = 300 crosses a KC block boundary; m = 37 leaves a
 * tail of rows after the groups of four.
 */
class MatVecTest {
    @Test
    void oneColumnIsBitwiseTheSameColumnOfAWiderProduct() {
        for (int m : new int[] {1, 3, 16, 37, 200}) {
            Tensor a = TensorRandom.seed(m).normal(m, 300), wide = TensorRandom.seed(m + 1).normal(300, 9);
            Tensor col = wide.slice(1, 4, 5); // [300, 1]
            assertArrayEquals(a.matmul(wide).slice(1, 4, 5).toArray(), a.matmul(col).toArray(), "A·b, m = " + m);
            Tensor wideT = wide.transpose(), colT = col.transpose(); // [9, 300], [1, 300]: read transposed in place
            assertArrayEquals(a.matmul(wideT, false, true).slice(1, 4, 5).toArray(), a.matmul(colT, false, true).toArray(), "A·bᵀ, m = " + m);
        }
    }

    /**
     * A strong-zero product whose A is mostly zeros goes by rows (SparseRows); on finite operands it must be
     * bitwise the dense kernel's product (the IEEE matmul, which never takes that path), rows with one and with
     * several non-zeros alike.
     */
    @Test
    void theSparseRowPathIsBitwiseTheDenseKernelOnFiniteOperands() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Kernels.matmulKernel().startsWith("vector"), "the fma sequence is the vector kernel's");
        int m = 40, k = 64;
        double[] a = new double[m * k];
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < m; i++) for (int q = 0; q < 1 + i % 3; q++) a[i * k + r.nextInt(k)] = r.nextGaussian();
        Tensor sparse = Tensor.of(a, m, k);
        for (int n : new int[] {3, 13, 24, 37}) { // rows of B below, at and beside whole vectors: lanes and tails
            Tensor b = TensorRandom.seed(9).normal(k, n), bt = TensorRandom.seed(10).normal(n, k);
            assertArrayEquals(sparse.matmul(b).toArray(), dev.dualgrad.internal.ops.MatMul.matmulStrongZero(sparse, b, false, false).toArray(), "n " + n);
            assertArrayEquals(sparse.matmul(bt, false, true).toArray(), dev.dualgrad.internal.ops.MatMul.matmulStrongZero(sparse, bt, false, true).toArray(), "n " + n);
        }
    }

    /**
     * Seeds (one non-zero per row) go by rows even when a tenth dense, as the cotangents of a Jacobian of ten outputs
     * are; other As only below a sixteenth. The one-hot product is bitwise the dense kernel's, signed seeds included.
     */
    @Test
    void oneHotRowsGoByRowsAtAnyDensityAndMatchTheDenseKernel() {
        int m = 30, k = 10;
        double[] seeds = new double[m * k];
        for (int i = 0; i < m; i++) seeds[i * k + (i * 7) % k] = i % 4 == 3 ? -1 : 1;
        seeds[5 * k + 2] = 0; // an all-zero row is still a seed row
        assertTrue(SparseRows.sparseEnough(seeds, m, k), "one-hot rows of ten");
        double[] twoInOneRow = seeds.clone();
        twoInOneRow[k + ((7 + 1) % k)] = 2; // row 1 now holds two non-zeros: a tenth dense and not seeds
        assertFalse(SparseRows.sparseEnough(twoInOneRow, m, k), "two non-zeros in a row, 30 of 300");
        double[] thin = new double[m * k];
        for (int i = 0; i < 9; i++) thin[i * k] = thin[i * k + 1] = 1; // 18 of 300, at most a sixteenth (18), two per row
        assertTrue(SparseRows.sparseEnough(thin, m, k), "under a sixteenth");
        assertFalse(SparseRows.sparseEnough(new double[] {1, 0, 0, 1}, 1, 4), "k = 4, two non-zeros, limit 0");
        assertFalse(SparseRows.sparseEnough(new double[] {1, 2, 3}, 3, 1), "k = 1: a column, dense");
        org.junit.jupiter.api.Assumptions.assumeTrue(Kernels.matmulKernel().startsWith("vector"), "the fma sequence is the vector kernel's");
        Tensor a = Tensor.of(seeds, m, k);
        for (int n : new int[] {5, 16, 37}) {
            Tensor b = TensorRandom.seed(11).normal(k, n), bt = TensorRandom.seed(12).normal(n, k);
            assertArrayEquals(a.matmul(b).toArray(), dev.dualgrad.internal.ops.MatMul.matmulStrongZero(a, b, false, false).toArray(), "n " + n);
            assertArrayEquals(a.matmul(bt, false, true).toArray(), dev.dualgrad.internal.ops.MatMul.matmulStrongZero(a, bt, false, true).toArray(), "n " + n);
        }
    }
}
