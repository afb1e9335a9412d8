package dev.dualgrad.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SparsityPatternTest {
    private static final int[][] SIZES = {{0, 0}, {0, 3}, {3, 0}, {1, 1}, {1, 7}, {7, 1}, {5, 9}, {12, 4}, {30, 30}};
    private static final double[] DENSITIES = {0, 0.05, 0.3, 1};

    @Test
    void containsCountsAndTransposeAgreeWithTheMask() {
        Random rnd = new Random(1);
        for (int[] s : SIZES) {
            for (double d : DENSITIES) {
                int m = s[0], n = s[1];
                boolean[][] mask = SparseTestPatterns.randomMask(rnd, m, n, d);
                SparsityPattern p = SparseTestPatterns.patternOf(mask, n);
                String what = m + "x" + n + " density " + d;
                assertEquals(m, p.rows(), what);
                assertEquals(n, p.columns(), what);
                int nnz = 0, maxRow = 0, maxCol = 0;
                int[] colCount = new int[n];
                for (int i = 0; i < m; i++) {
                    int r = 0;
                    for (int j = 0; j < n; j++) {
                        assertEquals(mask[i][j], p.contains(i, j), what);
                        if (mask[i][j]) {
                            nnz++;
                            r++;
                            maxCol = Math.max(maxCol, ++colCount[j]);
                        }
                    }
                    maxRow = Math.max(maxRow, r);
                }
                assertEquals(nnz, p.nonZeros(), what);
                assertEquals(maxRow, p.maxRowCount(), what);
                assertEquals(maxCol, p.maxColumnCount(), what);
                assertEquals(m * n == 0 ? 0 : nnz / (double) (m * n), p.density(), 1e-15, what);
                SparsityPattern t = p.transpose();
                assertEquals(n, t.rows(), what);
                assertEquals(m, t.columns(), what);
                assertEquals(nnz, t.nonZeros(), what);
                for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) assertEquals(mask[i][j], t.contains(j, i), what);
                assertSortedRows(t);
                int[] rp = p.rowPointers();
                assertEquals(m + 1, rp.length);
                assertEquals(nnz, rp[m]);
            }
        }
    }

    @Test
    void symmetrizedIsTheUnionWithTheTranspose() {
        Random rnd = new Random(2);
        for (int n : new int[] {0, 1, 2, 7, 25}) {
            for (double d : DENSITIES) {
                boolean[][] mask = SparseTestPatterns.randomMask(rnd, n, n, d);
                SparsityPattern p = SparseTestPatterns.patternOf(mask, n);
                SparsityPattern s = p.symmetrized();
                int nnz = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        boolean expected = mask[i][j] || mask[j][i];
                        assertEquals(expected, s.contains(i, j));
                        if (expected) nnz++;
                    }
                }
                assertEquals(nnz, s.nonZeros());
                assertSortedRows(s);
                assertTrue(s.isSymmetric());
                boolean sym = true;
                for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) sym &= mask[i][j] == mask[j][i];
                assertEquals(sym, p.isSymmetric());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.fromRows(3, new int[][] {{0}, {1}}).symmetrized());
        assertFalse(SparsityPattern.fromRows(3, new int[][] {{0}, {1}}).isSymmetric());
        // a cycle: every row and column holds one entry, as in a symmetric pattern, and none is mirrored
        SparsityPattern cycle = SparsityPattern.fromRows(3, new int[][] {{1}, {2}, {0}});
        assertFalse(cycle.isSymmetric());
        assertFalse(cycle.isSymmetric(), "the second answer, once known, is the same");
        SparsityPattern swap = SparsityPattern.fromRows(3, new int[][] {{1}, {0}, {2}});
        assertTrue(swap.isSymmetric());
        assertTrue(swap.isSymmetric());
    }

    private static void assertSortedRows(SparsityPattern p) {
        for (int i = 0; i < p.rows(); i++) {
            int[] r = p.row(i);
            for (int k = 1; k < r.length; k++) assertTrue(r[k - 1] < r[k], "row " + i + " unsorted");
        }
    }

    @Test
    void badRowsAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparsityPattern.fromRows(3, new int[][] {{0, 2}, {2, 1}}));
        assertTrue(e.getMessage().contains("rows[1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.fromRows(3, new int[][] {{1, 1}}));
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.fromRows(3, new int[][] {{3}}));
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.fromRows(3, new int[][] {{-1}}));
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.fromRows(-1, new int[0][]));
        NullPointerException npe = assertThrows(NullPointerException.class, () -> SparsityPattern.fromRows(3, new int[][] {{0}, null}));
        assertTrue(npe.getMessage().contains("rows[1]"), npe.getMessage());
        assertThrows(NullPointerException.class, () -> SparsityPattern.fromRows(3, null));
    }

    @Test
    void badCsrArraysAreRefused() {
        assertEquals(2, SparsityPattern.of(2, 3, new int[] {0, 1, 2}, new int[] {2, 0}).nonZeros());
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.of(-1, 3, new int[] {0}, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.of(2, -3, new int[] {0, 0, 0}, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.of(2, 3, new int[] {0, 1}, new int[] {0}));        // short pointers
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.of(2, 3, new int[] {1, 1, 2}, new int[] {0, 1})); // not from 0
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.of(2, 3, new int[] {0, 2, 1}, new int[] {0}));    // decreasing
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.of(2, 3, new int[] {0, 1, 3}, new int[] {0, 1}));  // wrong total
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.of(1, 3, new int[] {0, 2}, new int[] {2, 1}));    // unsorted
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.of(1, 3, new int[] {0, 1}, new int[] {3}));       // out of range
        SparsityPattern p = SparsityPattern.of(2, 3, new int[] {0, 1, 2}, new int[] {2, 0});
        assertThrows(IllegalArgumentException.class, () -> p.contains(2, 0));
        assertThrows(IllegalArgumentException.class, () -> p.contains(0, 3));
        assertThrows(IllegalArgumentException.class, () -> p.contains(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> p.contains(0, -1));
        assertThrows(IllegalArgumentException.class, () -> p.row(2));
    }

    @Test
    void arraysGoInAndOutAsCopies() {
        int[] rp = {0, 1, 2};
        int[] ci = {2, 0};
        SparsityPattern p = SparsityPattern.of(2, 3, rp, ci);
        rp[1] = 0;
        ci[0] = 1;
        p.rowPointers()[1] = 0;
        p.columnIndices()[0] = 1;
        p.row(0)[0] = 1;
        assertTrue(p.contains(0, 2));
        assertFalse(p.contains(0, 1));
        int[][] rows = {{1}};
        SparsityPattern q = SparsityPattern.fromRows(2, rows);
        rows[0][0] = 0;
        assertTrue(q.contains(0, 1));
    }

    @Test
    void toStringSaysSizeAndCount() {
        assertEquals("SparsityPattern 2×3, 2 stored (density 0.333)", SparsityPattern.fromRows(3, new int[][] {{2}, {0}}).toString());
        assertEquals("SparsityPattern 0×0, 0 stored (density 0.00)", SparsityPattern.fromRows(0, new int[0][]).toString());
    }
}
