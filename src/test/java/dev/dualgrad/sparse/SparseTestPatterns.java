package dev.dualgrad.sparse;

import java.util.Random;

/** Random dense boolean masks and values, the brute-force references of the sparse tests. */
public final class SparseTestPatterns {
    private SparseTestPatterns() {}

    /** A random m×n mask, each position set with probability {@code density}. */
    public static boolean[][] randomMask(Random rnd, int m, int n, double density) {
        boolean[][] mask = new boolean[m][n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) mask[i][j] = rnd.nextDouble() < density;
        return mask;
    }

    /** A random symmetric n×n mask (the diagonal set with probability {@code density} too). */
    public static boolean[][] randomSymmetricMask(Random rnd, int n, double density) {
        boolean[][] mask = new boolean[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j <= i; j++) mask[i][j] = mask[j][i] = rnd.nextDouble() < density;
        return mask;
    }

    /** The sorted index sets of the rows of a mask, for {@link SparsityPattern#fromRows}. */
    public static int[][] rowsOf(boolean[][] mask) {
        int[][] rows = new int[mask.length][];
        for (int i = 0; i < mask.length; i++) {
            int c = 0;
            for (boolean b : mask[i]) if (b) c++;
            rows[i] = new int[c];
            c = 0;
            for (int j = 0; j < mask[i].length; j++) if (mask[i][j]) rows[i][c++] = j;
        }
        return rows;
    }

    public static SparsityPattern patternOf(boolean[][] mask, int columns) {
        return SparsityPattern.fromRows(columns, rowsOf(mask));
    }

    /** Dense values on the mask (nonzero, mixed signs), 0 elsewhere; symmetric when {@code symmetric}. */
    public static double[][] valuesOn(Random rnd, boolean[][] mask, int columns, boolean symmetric) {
        double[][] a = new double[mask.length][columns];
        for (int i = 0; i < mask.length; i++) {
            for (int j = 0; j < columns; j++) {
                if (symmetric && j > i) continue;
                if (mask[i][j]) a[i][j] = (rnd.nextBoolean() ? 1 : -1) * (0.5 + rnd.nextDouble());
                if (symmetric) a[j][i] = a[i][j];
            }
        }
        return a;
    }

    /** The CSR values of a dense matrix on a pattern, read with plain loops. */
    public static double[] csrValues(SparsityPattern p, double[][] a) {
        double[] v = new double[p.nonZeros()];
        int at = 0;
        for (int i = 0; i < p.rows(); i++) for (int j : p.row(i)) v[at++] = a[i][j];
        return v;
    }

    /** The pattern of an nx×ny grid's 5-point stencil: (i, j) when grid points i and j are equal or 4-neighbours. */
    public static SparsityPattern fivePointStencil(int nx, int ny) {
        int n = nx * ny;
        int[][] rows = new int[n][];
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                int i = y * nx + x;
                java.util.List<Integer> r = new java.util.ArrayList<>();
                if (y > 0) r.add(i - nx);
                if (x > 0) r.add(i - 1);
                r.add(i);
                if (x < nx - 1) r.add(i + 1);
                if (y < ny - 1) r.add(i + nx);
                rows[i] = r.stream().mapToInt(Integer::intValue).toArray();
            }
        }
        return SparsityPattern.fromRows(n, rows);
    }

    /** The tridiagonal n×n pattern. */
    public static SparsityPattern tridiagonal(int n) {
        int[][] rows = new int[n][];
        for (int i = 0; i < n; i++) {
            if (i == 0) rows[i] = n > 1 ? new int[] {0, 1} : new int[] {0};
            else if (i == n - 1) rows[i] = new int[] {i - 1, i};
            else rows[i] = new int[] {i - 1, i, i + 1};
        }
        return SparsityPattern.fromRows(n, rows);
    }
}
