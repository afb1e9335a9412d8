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
}
