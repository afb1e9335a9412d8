package dev.dualgrad.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SparseMatrixTest {
    private static final int[][] SIZES = {{0, 0}, {0, 4}, {4, 0}, {1, 1}, {1, 6}, {6, 1}, {5, 8}, {9, 3}, {20, 20}};

    private interface Check {
        void run(double[][] a, SparseMatrix s, int m, int n, Random rnd, String what);
    }

    private static void forRandomMatrices(Check check) {
        Random rnd = new Random(3);
        for (int[] size : SIZES) {
            for (double d : new double[] {0, 0.1, 0.4, 1}) {
                int m = size[0], n = size[1];
                boolean[][] mask = SparseTestPatterns.randomMask(rnd, m, n, d);
                double[][] a = SparseTestPatterns.valuesOn(rnd, mask, n, false);
                SparsityPattern p = SparseTestPatterns.patternOf(mask, n);
                SparseMatrix s = SparseMatrix.of(p, SparseTestPatterns.csrValues(p, a));
                check.run(a, s, m, n, rnd, m + "x" + n + " density " + d);
            }
        }
    }

    @Test
    void getAndToDenseAgreeWithTheDenseMatrix() {
        forRandomMatrices((a, s, m, n, rnd, what) -> {
            assertEquals(m, s.rows(), what);
            assertEquals(n, s.columns(), what);
            Tensor t = s.toDense();
            assertArrayEquals(new int[] {m, n}, t.shape(), what);
            double[] flat = t.toArray();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(a[i][j], s.get(i, j), 0, what);
                    assertEquals(a[i][j], flat[i * n + j], 0, what);
                }
            }
        });
    }

    @Test
    void productsAgreeWithPlainLoops() {
        forRandomMatrices((a, s, m, n, rnd, what) -> {
            double[] v = new double[n];
            double[] u = new double[m];
            for (int j = 0; j < n; j++) v[j] = rnd.nextGaussian();
            for (int i = 0; i < m; i++) u[i] = rnd.nextGaussian();
            double[] av = new double[m];
            double[] atu = new double[n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    av[i] += a[i][j] * v[j];
                    atu[j] += a[i][j] * u[i];
                }
            }
            // the sparse sums skip exact zeros of the dense loop only, in the same order: bitwise equal
            assertArrayEquals(av, s.multiply(v), 0, what);
            assertArrayEquals(atu, s.transposeMultiply(u), 0, what);
        });
    }

    @Test
    void transposeAndForEachAgreeWithTheDenseMatrix() {
        forRandomMatrices((a, s, m, n, rnd, what) -> {
            SparseMatrix t = s.transpose();
            assertEquals(n, t.rows(), what);
            assertEquals(m, t.columns(), what);
            assertEquals(s.nonZeros(), t.nonZeros(), what);
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) assertEquals(a[i][j], t.get(j, i), 0, what);
            List<double[]> seen = new ArrayList<>();
            s.forEach((i, j, x) -> seen.add(new double[] {i, j, x}));
            List<double[]> expected = new ArrayList<>();
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) if (s.pattern().contains(i, j)) expected.add(new double[] {i, j, a[i][j]});
            assertEquals(expected.size(), seen.size(), what);
            for (int k = 0; k < seen.size(); k++) assertArrayEquals(expected.get(k), seen.get(k), 0, what);
        });
    }

    @Test
    void storedZerosAndNaNStayStored() {
        SparseMatrix s = SparseMatrix.of(2, 2, new int[] {0, 2, 3}, new int[] {0, 1, 1}, new double[] {0, Double.NaN, -0.0});
        assertEquals(3, s.nonZeros());
        assertTrue(Double.isNaN(s.get(0, 1)));
        assertEquals(0, s.get(1, 0), 0);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(s.get(1, 1)));
        assertTrue(Double.isNaN(s.multiply(new double[] {1, 1})[0]));
        assertTrue(Double.isNaN(s.toDense().get(0, 1)));
    }

    @Test
    void arraysGoInAndOutAsCopies() {
        int[] rp = {0, 1, 2};
        int[] ci = {1, 0};
        double[] v = {5, 6};
        SparseMatrix s = SparseMatrix.of(2, 2, rp, ci, v);
        rp[1] = 0;
        ci[0] = 0;
        v[0] = 9;
        s.values()[1] = 9;
        s.rowPointers()[1] = 2;
        s.columnIndices()[1] = 1;
        assertEquals(5, s.get(0, 1), 0);
        assertEquals(6, s.get(1, 0), 0);
        double[] w = {1, 2};
        SparseMatrix t = SparseMatrix.of(s.pattern(), w);
        w[0] = 7;
        assertEquals(1, t.get(0, 1), 0);
        assertSame(s.pattern(), t.pattern());
    }

    @Test
    void badInputIsRefused() {
        SparseMatrix s = SparseMatrix.of(2, 3, new int[] {0, 1, 2}, new int[] {2, 0}, new double[] {1, 2});
        assertThrows(IllegalArgumentException.class, () -> s.multiply(new double[2]));
        assertThrows(IllegalArgumentException.class, () -> s.transposeMultiply(new double[3]));
        assertThrows(IllegalArgumentException.class, () -> s.get(2, 0));
        assertThrows(IllegalArgumentException.class, () -> s.get(0, -1));
        assertThrows(IllegalArgumentException.class, () -> SparseMatrix.of(s.pattern(), new double[3]));
        assertThrows(IllegalArgumentException.class, () -> SparseMatrix.of(2, 3, new int[] {0, 1, 2}, new int[] {2, 0}, new double[1]));
        assertThrows(IllegalArgumentException.class, () -> SparseMatrix.of(-2, 3, new int[] {0}, new int[0], new double[0]));
        assertThrows(IllegalArgumentException.class, () -> SparseMatrix.of(1, 3, new int[] {0, 2}, new int[] {1, 1}, new double[2]));
        NullPointerException e = assertThrows(NullPointerException.class, () -> s.multiply(null));
        assertTrue(e.getMessage().contains("v"), e.getMessage());
        assertThrows(NullPointerException.class, () -> s.forEach(null));
        assertThrows(NullPointerException.class, () -> SparseMatrix.of(null, new double[0]));
        assertThrows(IllegalArgumentException.class, () -> SparseMatrix.of(100_000, 100_000, new int[100_001], new int[0], new double[0]).toDense());
    }

    @Test
    void emptyMatricesWork() {
        SparseMatrix s = SparseMatrix.of(0, 3, new int[] {0}, new int[0], new double[0]);
        assertArrayEquals(new double[0], s.multiply(new double[3]), 0);
        assertArrayEquals(new double[3], s.transposeMultiply(new double[0]), 0);
        assertArrayEquals(new int[] {0, 3}, s.toDense().shape());
        assertEquals(3, s.transpose().rows());
        assertEquals("SparseMatrix 0×3, 0 stored (density 0.00)", s.toString());
    }
}
