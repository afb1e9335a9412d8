package dev.dualgrad.internal.sparsity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.internal.sparsity.Coloring.Order;
import dev.dualgrad.sparse.SparseMatrix;
import dev.dualgrad.sparse.SparseTestPatterns;
import dev.dualgrad.sparse.SparsityPattern;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Decompression is exact: the compressed products are formed here by brute force with plain loops over the
 * dense matrix and the seed (S[j][k] = 1 when colour(j) = k), decompressed, and compared entrywise with == .
 */
class DecompressionTest {
    private static final int[][] SIZES = {{0, 0}, {0, 4}, {4, 0}, {1, 1}, {1, 7}, {7, 1}, {6, 11}, {15, 9}, {40, 40}};
    private static final double[] DENSITIES = {0, 0.05, 0.2, 0.5, 1};

    /** C = J·S as [c][m] flat: C[k·m + i] = Σ_j J[i][j]·S[j][k]. */
    static double[] forwardProduct(double[][] j, int n, int[] color, int c) {
        int m = j.length;
        double[] out = new double[c * m];
        for (int k = 0; k < c; k++) {
            for (int i = 0; i < m; i++) {
                double s = 0;
                for (int col = 0; col < n; col++) s += j[i][col] * (color[col] == k ? 1 : 0);
                out[k * m + i] = s;
            }
        }
        return out;
    }

    /** R = Sᵀ·J as [c][n] flat: R[k·n + col] = Σ_i S[i][k]·J[i][col]. */
    static double[] reverseProduct(double[][] j, int n, int[] color, int c) {
        int m = j.length;
        double[] out = new double[c * n];
        for (int k = 0; k < c; k++) {
            for (int col = 0; col < n; col++) {
                double s = 0;
                for (int i = 0; i < m; i++) s += (color[i] == k ? 1 : 0) * j[i][col];
                out[k * n + col] = s;
            }
        }
        return out;
    }

    private static void assertEqualsDense(double[][] a, int n, SparseMatrix s, String what) {
        assertEquals(a.length, s.rows(), what);
        assertEquals(n, s.columns(), what);
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < n; j++) {
                double got = s.get(i, j);
                if (got != a[i][j]) throw new AssertionError(what + ": (" + i + ", " + j + ") is " + got + ", expected " + a[i][j]);
            }
        }
    }

    @Test
    void forwardAndReverseRecoverRandomJacobiansExactly() {
        Random rnd = new Random(21);
        for (int[] size : SIZES) {
            for (double d : DENSITIES) {
                for (Order order : Order.values()) {
                    int m = size[0], n = size[1];
                    boolean[][] mask = SparseTestPatterns.randomMask(rnd, m, n, d);
                    double[][] jac = SparseTestPatterns.valuesOn(rnd, mask, n, false);
                    SparsityPattern p = SparseTestPatterns.patternOf(mask, n);
                    String what = m + "x" + n + " density " + d + " " + order;

                    Coloring cols = Coloring.columns(p, order);
                    double[] c = forwardProduct(jac, n, cols.colors(), cols.count());
                    Decompression.Plan fp = Decompression.forwardPlan(p, cols);
                    assertEquals(c.length, fp.compressedLength(), what);
                    assertEqualsDense(jac, n, fp.decompress(c), what + " forward");
                    assertEqualsDense(jac, n, Decompression.forward(p, cols, c), what + " forward one-off");

                    Coloring rows = Coloring.rows(p, order);
                    double[] r = reverseProduct(jac, n, rows.colors(), rows.count());
                    assertEqualsDense(jac, n, Decompression.reverse(p, rows, r), what + " reverse");
                }
            }
        }
    }

    @Test
    void starRecoversRandomSymmetricHessiansExactly() {
        Random rnd = new Random(22);
        for (int n : new int[] {0, 1, 2, 3, 4, 8, 17, 40}) {
            for (double d : DENSITIES) {
                for (int rep = 0; rep < 3; rep++) {
                    for (Order order : Order.values()) {
                        boolean[][] mask = SparseTestPatterns.randomSymmetricMask(rnd, n, d);
                        double[][] h = SparseTestPatterns.valuesOn(rnd, mask, n, true);
                        SparsityPattern p = SparseTestPatterns.patternOf(mask, n);
                        Coloring star = Coloring.star(p, order);
                        double[] b = forwardProduct(h, n, star.colors(), star.count()); // B = H·S, [c][n]
                        assertEqualsDense(h, n, Decompression.star(p, star, b), n + " density " + d + " " + order + " rep " + rep);
                    }
                }
            }
        }
    }

    @Test
    void aPlanIsReusedAtNewValuesOverTheSamePattern() {
        Random rnd = new Random(23);
        int n = 30;
        boolean[][] mask = SparseTestPatterns.randomSymmetricMask(rnd, n, 0.15);
        SparsityPattern p = SparseTestPatterns.patternOf(mask, n);
        Coloring star = Coloring.star(p);
        Decompression.Plan plan = Decompression.starPlan(p, star);
        SparseMatrix first = null;
        double[][] firstH = null;
        for (int point = 0; point < 5; point++) { // Newton iterations: new values, same structure
            double[][] h = SparseTestPatterns.valuesOn(rnd, mask, n, true);
            SparseMatrix s = plan.decompress(forwardProduct(h, n, star.colors(), star.count()));
            assertEqualsDense(h, n, s, "point " + point);
            assertSame(p, s.pattern());
            if (first == null) {
                first = s;
                firstH = h;
            }
        }
        assertEqualsDense(firstH, n, first, "the first result after later ones"); // each result owns its values
    }

    @Test
    void largeTridiagonalDecompressesInLinearTime() {
        int n = 100_000;
        SparsityPattern tri = SparseTestPatterns.tridiagonal(n);
        Coloring star = Coloring.star(tri);
        int c = star.count();
        int[] color = star.colors();
        double[] b = new double[c * n];
        double[] diag = new double[n], off = new double[n]; // H[i][i] = diag[i], H[i][i+1] = H[i+1][i] = off[i]
        Random rnd = new Random(24);
        for (int i = 0; i < n; i++) {
            diag[i] = rnd.nextGaussian();
            off[i] = i + 1 < n ? rnd.nextGaussian() : 0;
        }
        for (int i = 0; i < n; i++) { // B[k][i] = Σ_j H[i][j]·S[j][k], only the three stored j
            b[color[i] * n + i] += diag[i];
            if (i + 1 < n) b[color[i + 1] * n + i] += off[i];
            if (i > 0) b[color[i - 1] * n + i] += off[i - 1];
        }
        long t0 = System.nanoTime();
        SparseMatrix h = Decompression.star(tri, star, b);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        for (int i = 0; i < n; i++) {
            assertEquals(diag[i], h.get(i, i), 0);
            if (i + 1 < n) {
                assertEquals(off[i], h.get(i, i + 1), 0);
                assertEquals(off[i], h.get(i + 1, i), 0);
            }
        }
        assertTrue(ms < 5_000, ms + " ms");

        Coloring cols = Coloring.columns(tri);
        double[] cmp = new double[cols.count() * n];
        for (int i = 0; i < n; i++) { // J = the same tridiagonal values, C[k][i] = Σ_j J[i][j]·S[j][k]
            cmp[cols.color(i) * n + i] += diag[i];
            if (i + 1 < n) cmp[cols.color(i + 1) * n + i] += off[i];
            if (i > 0) cmp[cols.color(i - 1) * n + i] += off[i - 1];
        }
        SparseMatrix j = Decompression.forward(tri, cols, cmp);
        assertEquals(h.nonZeros(), j.nonZeros());
        for (int i = 0; i < n; i++) assertEquals(diag[i], j.get(i, i), 0);
    }

    @Test
    void aColouringThatIsNotAStarColouringIsCaught() {
        SparsityPattern path = SparseTestPatterns.tridiagonal(4);
        // a b a b: distance-1 but the path 0–1–2–3 is 2-coloured, so H[1][2] is summed with another entry both ways
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Decompression.starPlan(path, Coloring.of(new int[] {0, 1, 0, 1})));
        assertTrue(e.getMessage().contains("not a star colouring"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Decompression.starPlan(path, Coloring.of(new int[] {0, 0, 1, 2}))); // diagonal summed
    }

    @Test
    void badInputIsRefused() {
        SparsityPattern tri = SparseTestPatterns.tridiagonal(5);
        Coloring cols = Coloring.columns(tri);
        Decompression.Plan plan = Decompression.forwardPlan(tri, cols);
        assertThrows(IllegalArgumentException.class, () -> plan.decompress(new double[plan.compressedLength() + 1]));
        assertThrows(NullPointerException.class, () -> plan.decompress(null));
        assertThrows(IllegalArgumentException.class, () -> Decompression.forwardPlan(tri, Coloring.of(new int[] {0, 1, 2})));
        assertThrows(IllegalArgumentException.class, () -> Decompression.reversePlan(tri, Coloring.of(new int[] {0, 1, 2})));
        SparsityPattern notSymmetric = SparsityPattern.fromRows(2, new int[][] {{0, 1}, {1}});
        assertThrows(IllegalArgumentException.class, () -> Decompression.starPlan(notSymmetric, Coloring.of(new int[] {0, 1})));
    }
}
