package dev.dualgrad.internal.sparsity;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.sparse.SparseMatrix;
import dev.dualgrad.sparse.SparsityPattern;

/**
 * Recovers a sparse Jacobian or Hessian from its compressed products, each stored flat and direction-major
 * (one row of the array per colour, the k-tangent layout of a batched pass):
 *
 * <ul>
 *   <li>{@link #forward}: C = J·S, c×m, C[k][i] = Σ_{j: colour(j)=k} J[i][j], read as J[i][j] = C[colour(j)][i]
 *       (a valid column colouring leaves J[i][j] alone in that sum);</li>
 *   <li>{@link #reverse}: R = Sᵀ·J, c×n, R[k][j] = Σ_{i: colour(i)=k} J[i][j], read as J[i][j] = R[colour(i)][j];</li>
 *   <li>{@link #star}: B = H·S, c×n, B[k][i] = Σ_{j: colour(j)=k} H[i][j] for a symmetric H: H[i][j] =
 *       B[colour(j)][i] when no other neighbour of i has colour(j), else H[i][j] = H[j][i] = B[colour(i)][j]; a star
 *       colouring guarantees one of the two.</li>
 * </ul>
 *
 * <p>A {@link Plan} holds the source index of each stored entry, computed once (O(n + nnz)); decompressing at a
 * new point is then a gather into a new value array over the same shared pattern, O(nnz): detect once, evaluate
 * many times.</p>
 */
public final class Decompression {
    private Decompression() {}

    /** Where each stored entry is read from in the compressed array; immutable and reusable. */
    public static final class Plan {
        private final SparsityPattern pattern;
        private final int[] source;
        private final int compressedLength;
        private final String kind;

        Plan(SparsityPattern pattern, int[] source, int compressedLength, String kind) {
            this.pattern = pattern;
            this.source = source;
            this.compressedLength = compressedLength;
            this.kind = kind;
        }

        /** @return the pattern every decompressed matrix shares */
        public SparsityPattern pattern() { return pattern; }

        /** @return the length the compressed array must have: colours × (m for forward, n for reverse and star) */
        public int compressedLength() { return compressedLength; }

        /**
         * The sparse matrix whose stored entry p is {@code compressed[source(p)]}.
         *
         * @throws IllegalArgumentException when compressed has the wrong length
         */
        public SparseMatrix decompress(double[] compressed) {
            Args.nonNull(compressed, "Decompression." + kind, "compressed");
            if (compressed.length != compressedLength) {
                throw new IllegalArgumentException("Decompression." + kind + ": compressed has length " + compressed.length + ", not "
                        + compressedLength);
            }
            double[] v = new double[source.length];
            for (int p = 0; p < v.length; p++) v[p] = compressed[source[p]];
            return SparseAccess.adoptMatrix(pattern, v);
        }

        /**
         * Writes the decompressed values straight into {@code target} in another order of the entries:
         * target[q] = compressed[source(order[q])], order[q] the CSR position of entry q (a compressed-column
         * order, for EJML): the gather itself, with no intermediate array.
         */
        public void decompressInto(double[] compressed, int[] order, double[] target) {
            if (compressed.length != compressedLength || order.length != source.length || target.length < source.length) {
                throw new IllegalArgumentException("Decompression." + kind + ": lengths " + compressed.length + ", " + order.length + ", "
                        + target.length + " do not fit a plan of " + compressedLength + " compressed values and " + source.length + " entries");
            }
            for (int q = 0; q < order.length; q++) target[q] = compressed[source[order[q]]];
        }

        @Override
        public String toString() { return "Decompression.Plan(" + kind + ", " + pattern + ", compressed length " + compressedLength + ")"; }
    }

    // ------------------------------------------------------------------ plans

    /** The plan for C = J·S, c×m direction-major: J[i][j] = C[colour(j)·m + i]. */
    public static Plan forwardPlan(SparsityPattern pattern, Coloring columns) {
        Args.nonNull(pattern, "Decompression.forward", "pattern");
        Args.nonNull(columns, "Decompression.forward", "columns");
        sizes("forward", columns, pattern.columns(), "columns");
        int m = pattern.rows();
        int length = checkedLength("forward", columns.count(), m); // first, so that no index below overflows
        int[] ptr = SparseAccess.rowPointers(pattern), ci = SparseAccess.columnIndices(pattern), color = columns.colorsLive();
        int[] source = new int[ci.length];
        for (int i = 0; i < m; i++) {
            for (int p = ptr[i]; p < ptr[i + 1]; p++) source[p] = color[ci[p]] * m + i;
        }
        return new Plan(pattern, source, length, "forward");
    }

    /** The plan for R = Sᵀ·J, c×n direction-major: J[i][j] = R[colour(i)·n + j]. */
    public static Plan reversePlan(SparsityPattern pattern, Coloring rows) {
        Args.nonNull(pattern, "Decompression.reverse", "pattern");
        Args.nonNull(rows, "Decompression.reverse", "rows");
        sizes("reverse", rows, pattern.rows(), "rows");
        int n = pattern.columns();
        int length = checkedLength("reverse", rows.count(), n);
        int[] ptr = SparseAccess.rowPointers(pattern), ci = SparseAccess.columnIndices(pattern), color = rows.colorsLive();
        int[] source = new int[ci.length];
        for (int i = 0; i < pattern.rows(); i++) {
            for (int p = ptr[i]; p < ptr[i + 1]; p++) source[p] = color[i] * n + ci[p];
        }
        return new Plan(pattern, source, length, "reverse");
    }

    /**
     * The plan for B = H·S, c×n direction-major, over a symmetric pattern and a star colouring of it.
     *
     * @throws IllegalArgumentException when the pattern is not symmetric
     * @throws IllegalStateException when some entry can be read from neither B[colour(j)][i] nor B[colour(i)][j]:
     *         the colouring is not a star colouring
     */
    public static Plan starPlan(SparsityPattern pattern, Coloring star) {
        Args.nonNull(pattern, "Decompression.star", "pattern");
        Args.nonNull(star, "Decompression.star", "star");
        return starPlan(pattern, star, Mirror.of(pattern, "Decompression.star"));
    }

    /** A star colouring of a symmetric pattern and its plan: what a sparse Hessian is prepared with. */
    public record Star(Coloring coloring, Plan plan) {}

    /**
     * {@link Coloring#star(SparsityPattern)} and {@link #starPlan} in one, the pattern's mirror positions found once
     * for both.
     *
     * @throws IllegalArgumentException when the pattern is not symmetric
     */
    public static Star star(SparsityPattern pattern) {
        Args.nonNull(pattern, "Decompression.star", "pattern");
        int[] mirror = Mirror.of(pattern, "Decompression.star");
        Coloring c = Coloring.star(pattern, Coloring.Order.LARGEST_FIRST, mirror);
        return new Star(c, starPlan(pattern, c, mirror));
    }

    private static Plan starPlan(SparsityPattern pattern, Coloring star, int[] mirror) {
        int n = pattern.rows();
        sizes("star", star, n, "rows");
        int length = checkedLength("star", star.count(), n);
        int[] ptr = SparseAccess.rowPointers(pattern), adj = SparseAccess.columnIndices(pattern), color = star.colorsLive();
        // direct[p]: entry p = (i, j) is alone in B[colour(j)][i], i.e. row i holds no other k of colour(j)
        // one pass over the entries, row by row: the first entry of each colour in a row is marked direct, and unmarked
        // when a second one comes. Flat loops over p (the row advanced as p passes its end), not a loop per row: rows of
        // two or three entries (a tridiagonal Hessian) made each inner loop's setup cost more than its work.
        int nnz = adj.length;
        boolean[] direct = new boolean[nnz];
        int[] seenInRow = new int[Math.max(1, star.count())], firstAt = new int[seenInRow.length];
        for (int p = 0, i = 0; p < nnz; p++) {
            while (p >= ptr[i + 1]) i++;
            int c = color[adj[p]];
            if (seenInRow[c] != i + 1) {
                seenInRow[c] = i + 1;
                firstAt[c] = p;
                direct[p] = true;
            } else {
                direct[firstAt[c]] = false;
            }
        }
        int[] source = new int[nnz];
        for (int p = 0, i = 0; p < nnz; p++) {
            while (p >= ptr[i + 1]) i++;
            int j = adj[p];
            if (direct[p]) {
                source[p] = color[j] * n + i;
            } else if (direct[mirror[p]]) {
                source[p] = color[i] * n + j;
            } else {
                throw new IllegalStateException("Decompression.star: H[" + i + "][" + j + "] is summed with another entry in both B["
                        + color[j] + "][" + i + "] and B[" + color[i] + "][" + j + "]: the colouring is not a star colouring");
            }
        }
        return new Plan(pattern, source, length, "star");
    }

    // ------------------------------------------------------------------ one-off decompression

    /** J from C = J·S, c×m direction-major; see {@link #forwardPlan}. */
    public static SparseMatrix forward(SparsityPattern pattern, Coloring columns, double[] compressed) {
        return forwardPlan(pattern, columns).decompress(compressed);
    }

    /** J from R = Sᵀ·J, c×n direction-major; see {@link #reversePlan}. */
    public static SparseMatrix reverse(SparsityPattern pattern, Coloring rows, double[] compressed) {
        return reversePlan(pattern, rows).decompress(compressed);
    }

    /** H from B = H·S, c×n direction-major; see {@link #starPlan}. */
    public static SparseMatrix star(SparsityPattern pattern, Coloring star, double[] compressed) {
        return starPlan(pattern, star).decompress(compressed);
    }

    private static void sizes(String op, Coloring coloring, int expected, String what) {
        if (coloring.size() != expected) {
            throw new IllegalArgumentException("Decompression." + op + ": the colouring has " + coloring.size() + " vertices, the pattern "
                    + expected + " " + what);
        }
    }

    private static int checkedLength(String op, int colors, int length) {
        long total = (long) colors * length;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Decompression." + op + ": " + colors + " colours × " + length + " do not fit in one array");
        }
        return (int) total;
    }
}
