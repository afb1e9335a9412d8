package dev.dualgrad.internal.sparsity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.internal.sparsity.Coloring.Order;
import dev.dualgrad.sparse.SparseTestPatterns;
import dev.dualgrad.sparse.SparsityPattern;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The colourings, checked by brute force over dense masks (independent of {@link Coloring}'s own checkers), and
 * the checkers themselves on colourings known to be bad.
 */
class ColoringTest {
    private static final int[][] SIZES = {{0, 0}, {0, 5}, {5, 0}, {1, 1}, {1, 9}, {9, 1}, {6, 10}, {17, 8}, {40, 40}, {60, 25}, {70, 70}};
    private static final double[] DENSITIES = {0, 0.03, 0.1, 0.3, 0.7, 1};

    /** Columns j ≠ k of one colour share no row, by looking at every pair in every row. */
    private static boolean bruteColumnsValid(boolean[][] mask, int n, int[] color) {
        if (color.length != n) return false;
        for (boolean[] row : mask) {
            for (int j = 0; j < n; j++) {
                for (int k = j + 1; k < n; k++) if (row[j] && row[k] && color[j] == color[k]) return false;
            }
        }
        return true;
    }

    /** Adjacent vertices differ, and no path a–b–c–d on 4 distinct vertices alternates two colours. */
    private static boolean bruteStarValid(boolean[][] mask, int[] color) {
        int n = mask.length;
        for (int a = 0; a < n; a++) for (int b = 0; b < n; b++) if (a != b && mask[a][b] && color[a] == color[b]) return false;
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < n; c++) {
                if (b == c || !mask[b][c]) continue;
                for (int a = 0; a < n; a++) {
                    if (a == b || a == c || !mask[a][b] || color[a] != color[c]) continue;
                    for (int d = 0; d < n; d++) {
                        if (d != a && d != b && d != c && mask[c][d] && color[d] == color[b]) return false;
                    }
                }
            }
        }
        return true;
    }

    private static int count(int[] color) {
        int m = -1;
        for (int c : color) m = Math.max(m, c);
        return m + 1;
    }

    @Test
    void columnAndRowColouringsAreValidOnRandomPatterns() {
        Random rnd = new Random(11);
        for (int[] s : SIZES) {
            for (double d : DENSITIES) {
                for (Order order : Order.values()) {
                    int m = s[0], n = s[1];
                    boolean[][] mask = SparseTestPatterns.randomMask(rnd, m, n, d);
                    SparsityPattern p = SparseTestPatterns.patternOf(mask, n);
                    String what = m + "x" + n + " density " + d + " " + order;
                    Coloring cols = Coloring.columns(p, order, rnd.nextInt(4));
                    int[] c = cols.colors();
                    assertTrue(bruteColumnsValid(mask, n, c), what);
                    assertTrue(Coloring.isValidColumnColoring(p, c), what);
                    assertEquals(count(c), cols.count(), what);
                    assertTrue(cols.count() >= p.maxRowCount() && cols.count() <= n, what + ": " + cols.count());
                    Coloring rows = Coloring.rows(p, order, rnd.nextInt(4));
                    boolean[][] transposed = new boolean[n][m];
                    for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) transposed[j][i] = mask[i][j];
                    assertTrue(bruteColumnsValid(transposed, m, rows.colors()), what);
                    assertTrue(Coloring.isValidRowColoring(p, rows.colors()), what);
                    assertTrue(rows.count() >= p.maxColumnCount() && rows.count() <= m, what);
                }
            }
        }
    }

    @Test
    void starColouringsAreValidOnRandomSymmetricPatterns() {
        Random rnd = new Random(12);
        for (int n : new int[] {0, 1, 2, 3, 5, 9, 20, 45}) {
            for (double d : DENSITIES) {
                for (int rep = 0; rep < 4; rep++) {
                    for (Order order : Order.values()) {
                        boolean[][] mask = SparseTestPatterns.randomSymmetricMask(rnd, n, d);
                        SparsityPattern p = SparseTestPatterns.patternOf(mask, n);
                        Coloring star = Coloring.star(p, order);
                        String what = n + " density " + d + " " + order + " rep " + rep;
                        assertTrue(bruteStarValid(mask, star.colors()), what);
                        assertTrue(Coloring.isValidStarColoring(p, star.colors()), what);
                        assertTrue(star.count() <= n, what);
                    }
                }
            }
        }
    }

    @Test
    void theCheckersRejectBadColourings() {
        SparsityPattern tri = SparseTestPatterns.tridiagonal(4);
        assertFalse(Coloring.isValidColumnColoring(tri, new int[] {0, 1, 0, 1})); // columns 0 and 2 share row 1
        assertTrue(Coloring.isValidColumnColoring(tri, new int[] {0, 1, 2, 0}));
        assertFalse(Coloring.isValidColumnColoring(tri, new int[] {0, 1, 2}));   // wrong length
        assertFalse(Coloring.isValidColumnColoring(tri, new int[] {0, 1, 2, -1}));
        assertFalse(Coloring.isValidRowColoring(tri, new int[] {0, 1, 0, 1}));
        // the path 0–1–2–3 coloured a b a b is distance-1 but not a star colouring; a b c a is
        assertFalse(Coloring.isValidStarColoring(tri, new int[] {0, 1, 0, 1}));
        assertTrue(Coloring.isValidStarColoring(tri, new int[] {0, 1, 2, 0}));
        assertFalse(Coloring.isValidStarColoring(tri, new int[] {0, 0, 1, 2}));  // adjacent, same colour
        assertFalse(Coloring.isValidStarColoring(SparsityPattern.fromRows(2, new int[][] {{1}, {}}), new int[] {0, 1})); // not symmetric
        // the brute-force references agree on the same cases
        boolean[][] path = new boolean[4][4];
        for (int i = 0; i < 3; i++) path[i][i + 1] = path[i + 1][i] = true;
        assertFalse(bruteStarValid(path, new int[] {0, 1, 0, 1}));
        assertTrue(bruteStarValid(path, new int[] {0, 1, 2, 0}));
    }

    @Test
    void tridiagonalNeedsThreeColoursForJacobianAndHessian() {
        for (int n : new int[] {3, 4, 10, 1001}) {
            SparsityPattern tri = SparseTestPatterns.tridiagonal(n);
            for (Order order : Order.values()) {
                assertEquals(3, Coloring.columns(tri, order).count(), n + " " + order);
                assertEquals(3, Coloring.rows(tri, order).count(), n + " " + order);
                Coloring star = Coloring.star(tri, order);
                assertEquals(n == 3 ? 2 : 3, star.count(), n + " " + order); // the path 0–1–2 has no 4-vertex path: a b a
                assertTrue(Coloring.isValidStarColoring(tri, star.colors()));
            }
        }
        assertEquals(1, Coloring.columns(SparseTestPatterns.tridiagonal(1)).count());
        assertEquals(2, Coloring.columns(SparseTestPatterns.tridiagonal(2)).count());
        assertEquals(1, Coloring.star(SparseTestPatterns.tridiagonal(1)).count());
        assertEquals(2, Coloring.star(SparseTestPatterns.tridiagonal(2)).count());
    }

    @Test
    void fivePointStencilColours() {
        for (int[] g : new int[][] {{5, 5}, {16, 16}, {31, 17}, {64, 64}}) {
            SparsityPattern p = SparseTestPatterns.fivePointStencil(g[0], g[1]);
            assertEquals(5, p.maxRowCount());
            for (Order order : Order.values()) {
                Coloring plain = Coloring.columns(p, order);
                Coloring cols = Coloring.columns(p, order, Coloring.DEFAULT_RECOLOR_PASSES);
                Coloring star = Coloring.star(p, order);
                System.out.printf("5-point stencil %dx%d, %s: %d column colours greedy, %d after recolouring (lower bound %d), %d star colours%n",
                        g[0], g[1], order, plain.count(), cols.count(), p.maxRowCount(), star.count());
                assertTrue(Coloring.isValidColumnColoring(p, plain.colors()));
                assertTrue(Coloring.isValidColumnColoring(p, cols.colors()));
                assertTrue(Coloring.isValidStarColoring(p, star.colors()));
                assertTrue(plain.count() >= 5 && plain.count() <= 7, order + " " + plain.count());
                assertTrue(cols.count() >= 5 && cols.count() <= plain.count(), order + " " + cols.count());
                assertTrue(star.count() <= 7, order + " " + star.count());
            }
            System.out.printf("5-point stencil %dx%d, default: %d column colours, %d star colours%n", g[0], g[1],
                    Coloring.columns(p).count(), Coloring.star(p).count());
            assertEquals(5, Coloring.columns(p).count(), "the default (DSATUR) reaches the lower bound");
            assertEquals(5, Coloring.rows(p).count());
        }
    }

    @Test
    void largeTridiagonalIsQuick() {
        int n = 100_000;
        SparsityPattern tri = SparseTestPatterns.tridiagonal(n);
        long t0 = System.nanoTime();
        Coloring cols = Coloring.columns(tri);
        Coloring star = Coloring.star(tri);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("tridiagonal n = %d: %d column colours, %d star colours, %d ms%n", n, cols.count(), star.count(), ms);
        assertEquals(3, cols.count());
        assertEquals(3, star.count());
        assertTrue(Coloring.isValidColumnColoring(tri, cols.colors()));
        assertTrue(Coloring.isValidStarColoring(tri, star.colors()));
        assertTrue(ms < 5_000, ms + " ms");
    }

    /**
     * An arrow pattern (one dense row over n columns, plus the diagonal): Σᵢ rowCount(i)² passes the cap on the
     * distance-2 graph, so the columns are coloured without it, in every order. Every column shares the dense row,
     * so each needs its own colour; the rows, whose graph is small, still take the graph's route: the dense row
     * alone, and every other row one colour.
     */
    @Test
    void patternsBeyondTheDistance2CapAreColouredWithoutTheGraph() {
        int n = (int) Math.ceil(Math.sqrt(Coloring.MAX_DISTANCE2_ENTRIES)) + 1;
        int[][] rows = new int[n + 1][];
        rows[0] = new int[n];
        for (int j = 0; j < n; j++) rows[0][j] = j;
        for (int i = 1; i <= n; i++) rows[i] = new int[] {i - 1};
        SparsityPattern arrow = SparsityPattern.fromRows(n, rows);
        assertTrue((long) n * n > Coloring.MAX_DISTANCE2_ENTRIES);
        for (Order order : Order.values()) {
            Coloring cols = Coloring.columns(arrow, order, 1);
            assertEquals(n, cols.count(), order.toString());
            assertTrue(Coloring.isValidColumnColoring(arrow, cols.colors()), order.toString());
        }
        Coloring byRows = Coloring.rows(arrow);
        assertEquals(2, byRows.count());
        assertTrue(Coloring.isValidRowColoring(arrow, byRows.colors()));
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Coloring.star(SparsityPattern.fromRows(2, new int[][] {{1}, {}})));
        assertThrows(IllegalArgumentException.class, () -> Coloring.star(SparsityPattern.fromRows(3, new int[][] {{1}, {0}})));
        assertThrows(NullPointerException.class, () -> Coloring.columns(null));
        assertThrows(IllegalArgumentException.class, () -> Coloring.of(new int[] {0, -1}));
    }

    /** First fit in the given order: each column the smallest colour no column before it that shares a row has (brute force over the mask). */
    private static int[] bruteFirstFit(boolean[][] mask, int n, int[] order) {
        int[] color = new int[n];
        java.util.Arrays.fill(color, -1);
        for (int j : order) {
            boolean[] taken = new boolean[n + 1];
            for (boolean[] row : mask) {
                if (!row[j]) continue;
                for (int k = 0; k < n; k++) if (row[k] && color[k] >= 0) taken[color[k]] = true;
            }
            int c = 0;
            while (taken[c]) c++;
            color[j] = c;
        }
        return color;
    }

    /** Columns by decreasing count of distinct other columns sharing a row, ties by index (brute force). */
    private static int[] bruteLargestFirst(boolean[][] mask, int n) {
        int[] degree = new int[n];
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < n; k++) {
                if (k == j) continue;
                for (boolean[] row : mask) {
                    if (row[j] && row[k]) {
                        degree[j]++;
                        break;
                    }
                }
            }
        }
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) order[j] = j;
        java.util.Arrays.sort(order, (a, b) -> degree[a] != degree[b] ? degree[b] - degree[a] : a - b);
        int[] o = new int[n];
        for (int j = 0; j < n; j++) o[j] = order[j];
        return o;
    }

    @Test
    void theStaticOrdersAreFirstFitInThatOrderWithFewAndWithManyColours() {
        // the greedy pass reads per-row masks of 64 colours and falls back to the neighbours beyond: both must give
        // exactly first fit (density 1 on 70 columns needs 70 colours, the fallback)
        Random rnd = new Random(13);
        for (int[] s : SIZES) {
            for (double d : DENSITIES) {
                int m = s[0], n = s[1];
                boolean[][] mask = SparseTestPatterns.randomMask(rnd, m, n, d);
                SparsityPattern p = SparseTestPatterns.patternOf(mask, n);
                int[] natural = new int[n];
                for (int j = 0; j < n; j++) natural[j] = j;
                String what = m + "x" + n + " density " + d;
                assertArrayEquals(bruteFirstFit(mask, n, natural), Coloring.columns(p, Order.NATURAL).colors(), what + " NATURAL");
                assertArrayEquals(bruteFirstFit(mask, n, bruteLargestFirst(mask, n)), Coloring.columns(p, Order.LARGEST_FIRST).colors(),
                        what + " LARGEST_FIRST");
            }
        }
        boolean[][] wide = new boolean[3][130]; // rows of 130, 65 and 64 columns: 130 colours, past one mask's 64
        for (int j = 0; j < 130; j++) wide[0][j] = true;
        for (int j = 0; j < 130; j += 2) wide[1][j] = true;
        for (int j = 1; j < 130; j += 2) wide[2][j] = true;
        int[] natural = new int[130];
        for (int j = 0; j < 130; j++) natural[j] = j;
        Coloring c = Coloring.columns(SparseTestPatterns.patternOf(wide, 130), Order.NATURAL);
        assertEquals(130, c.count());
        assertArrayEquals(bruteFirstFit(wide, 130, natural), c.colors());
    }

    @Test
    void aColouringForOnePassIsTheGreedyOneUnlessTheSearchPays() {
        SparsityPattern stencil = SparseTestPatterns.fivePointStencil(32, 32); // lower bound 5, reached by DSATUR
        boolean[][] mask = new boolean[stencil.rows()][stencil.columns()];
        for (int i = 0; i < stencil.rows(); i++) for (int j : stencil.row(i)) mask[i][j] = true;
        int[] natural = new int[stencil.columns()];
        for (int j = 0; j < natural.length; j++) natural[j] = j;
        int greedyCount = count(bruteFirstFit(mask, stencil.columns(), natural));
        assertTrue(greedyCount > 5, "first fit in natural order misses the stencil's 5 colours: " + greedyCount);
        // a cheap pass (one traced element per direction): the search could save at most ~(greedy − 5) ns, not worth it
        Coloring cheap = Coloring.forOnePass(stencil, false, 1);
        assertEquals(greedyCount, cheap.count());
        assertTrue(bruteColumnsValid(mask, stencil.columns(), cheap.colors()));
        // a costly pass: the search pays, and finds the lower bound
        Coloring searched = Coloring.forOnePass(stencil, false, 100_000_000L);
        assertEquals(5, searched.count());
        assertTrue(bruteColumnsValid(mask, stencil.columns(), searched.colors()));
        // first fit that reaches the lower bound is kept whatever the cost of a pass
        SparsityPattern tri = SparseTestPatterns.tridiagonal(50);
        assertEquals(3, Coloring.forOnePass(tri, false, Long.MAX_VALUE / 4).count());
        // rows: a valid row colouring of a non-symmetric pattern, never more colours than first fit on the rows
        Random rnd = new Random(14);
        boolean[][] r = SparseTestPatterns.randomMask(rnd, 40, 30, 0.1);
        SparsityPattern p = SparseTestPatterns.patternOf(r, 30);
        boolean[][] t = new boolean[30][40];
        for (int i = 0; i < 40; i++) for (int j = 0; j < 30; j++) t[j][i] = r[i][j];
        int[] rowsNatural = new int[40];
        for (int i = 0; i < 40; i++) rowsNatural[i] = i;
        int rowsFirstFit = count(bruteFirstFit(t, 40, rowsNatural));
        for (long perDirection : new long[] {1, 1L << 40}) {
            Coloring rows = Coloring.forOnePass(p, true, perDirection);
            assertTrue(bruteColumnsValid(t, 40, rows.colors()), "perDirection " + perDirection);
            assertTrue(rows.count() <= rowsFirstFit && rows.count() >= p.maxColumnCount(), "perDirection " + perDirection);
        }
        assertThrows(NullPointerException.class, () -> Coloring.forOnePass(null, false, 1));
    }

}
