package dev.dualgrad.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

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
}
