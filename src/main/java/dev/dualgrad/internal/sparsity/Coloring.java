package dev.dualgrad.internal.sparsity;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.sparse.SparsityPattern;
import java.util.Arrays;

/**
 * A colouring of the columns (or rows, or the vertices of a symmetric pattern) of a sparsity pattern: colour(v) in
 * [0, count) per vertex, built greedily, plus the checks of the definitions.
 *
 * <ul>
 *   <li>{@link #columns}: a partial distance-2 colouring of the bipartite row/column graph. Columns j ≠ k of one
 *       colour share no row, so J·S, with S[j][colour(j)] = 1, holds J[i][j] alone at (i, colour(j)): one
 *       forward pass with one tangent direction per colour.</li>
 *   <li>{@link #rows}: the same for the rows (the columns of the transpose): Sᵀ·J holds J[i][j] alone at
 *       (colour(i), j), one reverse sweep with one cotangent per colour.</li>
 *   <li>{@link #star}: a star colouring of a symmetric pattern's adjacency graph (off-diagonal positions are
 *       edges): a distance-1 colouring in which every path on 4 vertices uses at least 3 colours (Gebremedhin,
 *       Manne and Pothen 2005, "What color is your Jacobian?"). Then for every stored H[i][j] one of row i, row j
 *       holds no other neighbour of the colour of the other end, so H·S gives it directly.</li>
 * </ul>
 *
 * <p>The colour of each vertex is the smallest not forbidden, the vertices taken in an {@link Order}. Columns and
 * rows default to {@link Order#DSATUR} followed by a few iterated-greedy passes (which never add colours); the star
 * colouring defaults to {@link Order#LARGEST_FIRST} (largest degree first, ties by index). Measured on 5-point
 * stencils (lower bound 5): DSATUR 5 column colours, the static orders 6 or 7 (smallest-last 5 on some grids);
 * star colouring 5 or 6. Costs: a greedy pass in a given order is O(nnz) while fewer than 64 colours suffice (one
 * mask of used colours per row), else O(Σᵢ rowCount(i)²); the orders that need the distance-2 graph (DSATUR,
 * smallest-last, incidence degree) and the degrees of largest-first are O(Σᵢ rowCount(i)²) ≤ O(nnz · max row
 * count); the star colouring is O(nnz · max degree) (the 2-coloured-star bookkeeping of Gebremedhin, Tarafdar,
 * Manne and Pothen 2007, Algorithm 4.1), with arrays of size O(n + nnz) only. {@link #forOnePass} weighs DSATUR's
 * cost against the directions it can save when the colouring serves one evaluation.</p>
 */
public final class Coloring {
    /** The order in which the greedy colouring visits the vertices. */
    public enum Order {
        /** 0, 1, ..., n-1. */
        NATURAL,
        /** By decreasing degree in the graph being coloured (distance-2 degree for columns), ties by index. */
        LARGEST_FIRST,
        /**
         * Smallest-last (Matula and Beck): repeatedly remove a vertex of least degree in what remains; colour in
         * the reverse order of removal. Every vertex then has at most the graph's degeneracy neighbours coloured
         * before it.
         */
        SMALLEST_LAST,
        /**
         * Incidence degree (ColPack's INCIDENCE_DEGREE): next the vertex with the most neighbours ordered already,
         * ties by the bucket order (starting from index 0); the coloured region then grows as one connected front.
         */
        INCIDENCE_DEGREE,
        /**
         * DSATUR (Brélaz): not a fixed order but colouring as it goes, next the vertex whose neighbours show the most
         * distinct colours, ties by largest degree first. Only for columns and rows; the star colouring treats it as
         * {@link #LARGEST_FIRST}.
         */
        DSATUR
    }

    /**
     * A graph as adjacency lists in CSR form: the distinct neighbours of v (v itself excluded) are
     * {@code adj[ptr[v] .. ptr[v + 1])}. The orders and DSATUR walk these arrays in plain loops: a neighbour
     * callback per visit, megamorphic across the orders, cost more than the colouring itself.
     */
    private record Graph(int[] ptr, int[] adj) {
        int size() { return ptr.length - 1; }

        int[] degrees() {
            int[] d = new int[size()];
            for (int v = 0; v < d.length; v++) d[v] = ptr[v + 1] - ptr[v];
            return d;
        }
    }

    /**
     * The largest Σᵢ rowCount(i)² (the size of the distance-2 graph of columns before repeats are removed) for which
     * that graph is built: 2²³ entries, 32 MB. A pattern with a row of thousands of entries makes the graph quadratic
     * in that row: its columns are then coloured without it (see {@link #columns(SparsityPattern, Order, int)}).
     */
    static final int MAX_DISTANCE2_ENTRIES = 1 << 23;

    private final int[] colors;
    private final int count;

    private Coloring(int[] colors) {
        this.colors = colors;
        int max = -1;
        for (int c : colors) max = Math.max(max, c);
        this.count = max + 1;
    }

    /** @return the number of vertices coloured */
    public int size() { return colors.length; }

    /** @return the number of colours c: colours are 0 .. c-1 (0 when there are no vertices) */
    public int count() { return count; }

    /** @return the colour of vertex v */
    public int color(int v) { return colors[v]; }

    /** @return a copy of the colour of each vertex */
    public int[] colors() { return colors.clone(); }

    int[] colorsLive() { return colors; }

    /** Wraps given colours (each at least 0; copied), for tests and for callers that bring their own. */
    public static Coloring of(int[] colors) {
        Args.nonNull(colors, "Coloring.of", "colors");
        for (int v = 0; v < colors.length; v++) {
            if (colors[v] < 0) throw new IllegalArgumentException("Coloring.of: colors[" + v + "] is negative: " + colors[v]);
        }
        return new Coloring(colors.clone());
    }

    @Override
    public String toString() { return "Coloring of " + colors.length + " vertices with " + count + " colours"; }

    // ------------------------------------------------------------------ column and row colourings

    /** The default number of iterated-greedy passes after the first colouring of columns or rows. */
    public static final int DEFAULT_RECOLOR_PASSES = 8;

    /**
     * {@link #columns(SparsityPattern, Order, int)} with {@link Order#DSATUR} and {@link #DEFAULT_RECOLOR_PASSES}: on
     * a 5-point stencil it finds the optimal 5 colours where the static orders give 7.
     */
    public static Coloring columns(SparsityPattern pattern) { return columns(pattern, Order.DSATUR, DEFAULT_RECOLOR_PASSES); }

    /** {@link #columns(SparsityPattern, Order, int)} with no recolouring passes: the plain greedy colouring in that order. */
    public static Coloring columns(SparsityPattern pattern, Order order) { return columns(pattern, order, 0); }

    /**
     * A greedy partial distance-2 colouring of the columns: columns of one colour share no row. After the first
     * greedy pass in {@code order}, up to {@code recolorPasses} iterated-greedy passes (Culberson) colour again,
     * visiting the colour classes one whole class after another (alternately highest colour first and largest class
     * first): such a pass never needs more colours, and often fewer. They stop at the lower bound maxRowCount.
     * DSATUR, {@link Order#SMALLEST_LAST} and {@link Order#INCIDENCE_DEGREE} walk the distance-2 graph, built once;
     * when Σᵢ rowCount(i)² exceeds {@link #MAX_DISTANCE2_ENTRIES} (a row of thousands of entries makes every pair of
     * its columns adjacent) it is not built, and they colour in {@link Order#LARGEST_FIRST} order.
     *
     * @return a colouring of the pattern's columns, with at least {@code pattern.maxRowCount()} colours
     */
    public static Coloring columns(SparsityPattern pattern, Order order, int recolorPasses) {
        Args.nonNull(pattern, "Coloring.columns", "pattern");
        Args.nonNull(order, "Coloring.columns", "order");
        if (recolorPasses < 0) throw new IllegalArgumentException("Coloring.columns: recolorPasses is negative: " + recolorPasses);
        SparsityPattern t = pattern.isSymmetric() ? pattern : pattern.transpose(); // column j -> its rows
        return new Coloring(distance2(columnsOf(t), rowsOf(t), columnsOf(pattern), rowsOf(pattern), pattern.columns(), order, recolorPasses));
    }

    /**
     * A colouring for one compressed evaluation, whose cost then counts as much as the evaluation's: of the columns
     * (forward mode), or of the rows when {@code rows}. It is the natural-order greedy pass, O(nnz), unless the colours
     * that {@link #columns(SparsityPattern)}'s DSATUR could save are worth more in that one pass than DSATUR costs:
     * <ul>
     *   <li>DSATUR builds and walks the distance-2 graph, about {@link #NS_PER_GRAPH_ENTRY} ns per entry of
     *       Σᵢ rowCount(i)² (columns; Σⱼ columnCount(j)² for rows);</li>
     *   <li>each colour saved is one tangent direction less, about {@link #NS_PER_TANGENT_ELEMENT} ns per element that
     *       one direction occupies over f's traced ops ({@code perDirection}, from detection), and DSATUR saves at most
     *       down to the lower bound (the largest row count for columns, the largest column count for rows).</li>
     * </ul>
     * On the 5-point stencil of a 32×32 Bratu grid the greedy pass takes ~10 µs for 7 colours and DSATUR ~90 µs for 5,
     * while the two directions saved would save ~25 µs: the greedy colouring is taken.
     *
     * @param pattern the Jacobian's pattern
     * @param rows colour the rows (reverse mode) instead of the columns
     * @param perDirection the elements one tangent direction occupies over f's traced ops, at least 1
     * @return a colouring of the columns (rows when {@code rows}), never with more colours than the greedy pass
     */
    public static Coloring forOnePass(SparsityPattern pattern, boolean rows, long perDirection) {
        Args.nonNull(pattern, "Coloring.forOnePass", "pattern");
        SparsityPattern p = rows ? pattern.transpose() : pattern; // colour the columns of p
        Coloring quick = columns(p, Order.NATURAL, 0);
        int lowerBound = p.maxRowCount();
        if (quick.count() <= lowerBound) return quick;
        int[] ptr = SparseAccess.rowPointers(p);
        double graph = 0;
        for (int i = 0; i + 1 < ptr.length; i++) graph += (double) (ptr[i + 1] - ptr[i]) * (ptr[i + 1] - ptr[i]);
        double saved = (double) (quick.count() - lowerBound) * perDirection * NS_PER_TANGENT_ELEMENT;
        if (saved <= graph * NS_PER_GRAPH_ENTRY) return quick;
        Coloring best = columns(p);
        return best.count() <= quick.count() ? best : quick;
    }

    /** DSATUR's cost per entry of the distance-2 graph before repeats are removed, in ns (3.4–4.3 measured on Zen 4, 2.6 GHz KVM). */
    static final double NS_PER_GRAPH_ENTRY = 3.5;
    /** A compressed evaluation's cost per tangent element of one direction, in ns (see {@link #forOnePass}). */
    static final double NS_PER_TANGENT_ELEMENT = 0.5;

    /** {@link #rows(SparsityPattern, Order, int)} with {@link Order#DSATUR} and {@link #DEFAULT_RECOLOR_PASSES}. */
    public static Coloring rows(SparsityPattern pattern) { return rows(pattern, Order.DSATUR, DEFAULT_RECOLOR_PASSES); }

    /** {@link #rows(SparsityPattern, Order, int)} with no recolouring passes. */
    public static Coloring rows(SparsityPattern pattern, Order order) { return rows(pattern, order, 0); }

    /**
     * A greedy partial distance-2 colouring of the rows: rows of one colour share no column (the column colouring
     * of the transpose).
     *
     * @return a colouring of the pattern's rows, with at least {@code pattern.maxColumnCount()} colours
     */
    public static Coloring rows(SparsityPattern pattern, Order order, int recolorPasses) {
        Args.nonNull(pattern, "Coloring.rows", "pattern");
        Args.nonNull(order, "Coloring.rows", "order");
        return columns(pattern.transpose(), order, recolorPasses);
    }

    private static int[] columnsOf(SparsityPattern p) { return SparseAccess.columnIndices(p); }

    private static int[] rowsOf(SparsityPattern p) { return SparseAccess.rowPointers(p); }

    /**
     * Greedy distance-2 colouring of the n "column" vertices of a bipartite graph: vertex j's rows are
     * vRows[vPtr[j] .. vPtr[j+1]); row i's columns are rCols[rPtr[i] .. rPtr[i+1]).
     */
    private static int[] distance2(int[] vRows, int[] vPtr, int[] rCols, int[] rPtr, int n, Order order, int recolorPasses) {
        // the static orders NATURAL and LARGEST_FIRST colour without the graph: the greedy pass reads the pattern itself
        Graph g = order == Order.NATURAL || order == Order.LARGEST_FIRST ? null : distance2Graph(vRows, vPtr, rCols, rPtr, n);
        int[] color;
        if (g != null) color = order == Order.DSATUR ? dsatur(g) : greedyDistance2(order(order, g), vRows, vPtr, rCols, rPtr, n);
        else color = greedyDistance2(order == Order.NATURAL ? natural(n) : largestFirst(distance2Degrees(vRows, vPtr, rCols, rPtr, n)),
                vRows, vPtr, rCols, rPtr, n);
        int best = countOf(color), lowerBound = 0;
        for (int i = 0; i + 1 < rPtr.length; i++) lowerBound = Math.max(lowerBound, rPtr[i + 1] - rPtr[i]);
        for (int pass = 0, stale = 0; pass < recolorPasses && best > lowerBound && stale < 2; pass++) {
            // iterated greedy (Culberson): visiting whole colour classes one after another never needs more colours;
            // two passes in a row (one of each class order) without a gain end it
            int[] again = greedyDistance2(byClass(color, best, pass % 2 == 0), vRows, vPtr, rCols, rPtr, n);
            int c = countOf(again);
            stale = c < best ? 0 : stale + 1;
            if (c <= best) {
                color = again;
                best = c;
            }
        }
        return color;
    }

    /**
     * The distance-2 graph of the column vertices: j and k ≠ j are adjacent when they share a row. Each vertex's
     * neighbours are listed in the order of its rows and their columns (the order the colourings' ties follow).
     * Returns null, building nothing, when Σᵢ rowCount(i)², the graph's size before repeats are removed, exceeds
     * {@link #MAX_DISTANCE2_ENTRIES}. One pass, O(Σᵢ rowCount(i)²), with a marker array and no sets.
     */
    private static Graph distance2Graph(int[] vRows, int[] vPtr, int[] rCols, int[] rPtr, int n) {
        long bound = 0;
        for (int i = 0; i + 1 < rPtr.length; i++) bound += (long) (rPtr[i + 1] - rPtr[i]) * (rPtr[i + 1] - rPtr[i]);
        if (bound > MAX_DISTANCE2_ENTRIES) return null;
        int[] seen = new int[n];
        Arrays.fill(seen, -1);
        int[] ptr = new int[n + 1];
        int[] adj = new int[(int) bound];
        for (int j = 0; j < n; j++) ptr[j + 1] = ptr[j] + neighbours(j, vRows, vPtr, rCols, rPtr, seen, adj, ptr[j]);
        return new Graph(ptr, adj); // adj may be longer than ptr[n]: its tail is unused
    }

    /** Each column's count of distinct other columns sharing a row with it, without building the graph. */
    private static int[] distance2Degrees(int[] vRows, int[] vPtr, int[] rCols, int[] rPtr, int n) {
        int[] seen = new int[n], degree = new int[n];
        Arrays.fill(seen, -1);
        for (int j = 0; j < n; j++) degree[j] = neighbours(j, vRows, vPtr, rCols, rPtr, seen, null, 0);
        return degree;
    }

    /**
     * The distinct columns k ≠ j sharing a row with j, in the order of j's rows and their columns, written to
     * {@code adj} from {@code at} (when adj is not null); returns their count. {@code seen[k] == j} marks k as met
     * (seen starts at -1, and each j is visited once).
     */
    private static int neighbours(int j, int[] vRows, int[] vPtr, int[] rCols, int[] rPtr, int[] seen, int[] adj, int at) {
        seen[j] = j;
        int count = 0;
        for (int p = vPtr[j]; p < vPtr[j + 1]; p++) {
            int i = vRows[p];
            for (int q = rPtr[i]; q < rPtr[i + 1]; q++) {
                int k = rCols[q];
                if (seen[k] != j) {
                    seen[k] = j;
                    if (adj != null) adj[at + count] = k;
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * The greedy pass in {@code order}: each vertex takes the smallest colour no vertex coloured before it and sharing
     * a row with it has. {@link #greedyByRowMasks} when fewer than 64 colours suffice, O(nnz); else (or when it runs
     * out of colours) the same colouring by visiting the rows' columns, O(Σᵢ rowCount(i)²).
     */
    private static int[] greedyDistance2(int[] order, int[] vRows, int[] vPtr, int[] rCols, int[] rPtr, int n) {
        int[] color = greedyByRowMasks(order, vRows, vPtr, rPtr.length - 1, n);
        return color != null ? color : greedyByNeighbours(order, vRows, vPtr, rCols, rPtr, n);
    }

    /**
     * The greedy pass with one 64-bit mask per row of the colours its columns have so far: the colours forbidden to a
     * vertex are the union of its rows' masks, since a colour is taken by a vertex sharing a row exactly when it is in
     * that row's mask. O(nnz) instead of O(Σᵢ rowCount(i)²), the same colours; null when some vertex finds all 64
     * taken (then the caller colours by neighbours, from the start).
     */
    private static int[] greedyByRowMasks(int[] order, int[] vRows, int[] vPtr, int rowCount, int n) {
        long[] used = new long[rowCount];
        int[] color = new int[n];
        for (int j : order) {
            long forbidden = 0;
            for (int p = vPtr[j]; p < vPtr[j + 1]; p++) forbidden |= used[vRows[p]];
            if (forbidden == -1L) return null;
            int c = Long.numberOfTrailingZeros(~forbidden);
            long bit = 1L << c;
            for (int p = vPtr[j]; p < vPtr[j + 1]; p++) used[vRows[p]] |= bit;
            color[j] = c;
        }
        return color;
    }

    private static int[] greedyByNeighbours(int[] order, int[] vRows, int[] vPtr, int[] rCols, int[] rPtr, int n) {
        int[] color = new int[n];
        Arrays.fill(color, -1);
        int[] forbidden = new int[n + 1]; // forbidden[c] == j + 1: colour c is taken by a neighbour of j
        for (int j : order) {
            int mark = j + 1;
            for (int p = vPtr[j]; p < vPtr[j + 1]; p++) {
                int i = vRows[p];
                for (int q = rPtr[i]; q < rPtr[i + 1]; q++) {
                    int c = color[rCols[q]];
                    if (c >= 0) forbidden[c] = mark;
                }
            }
            int c = 0;
            while (forbidden[c] == mark) c++;
            color[j] = c;
        }
        return color;
    }

    /**
     * The vertices grouped by colour class: highest colour first when {@code reverse}, else the largest class first
     * (ties by colour); by index within a class. A counting sort, O(n + count).
     */
    private static int[] byClass(int[] color, int count, boolean reverse) {
        int[] size = new int[count];
        for (int c : color) size[c]++;
        Integer[] classes = new Integer[count];
        for (int c = 0; c < count; c++) classes[c] = c;
        if (reverse) Arrays.sort(classes, (a, b) -> b - a);
        else Arrays.sort(classes, (a, b) -> size[a] != size[b] ? size[b] - size[a] : a - b);
        int[] start = new int[count];
        int at = 0;
        for (Integer c : classes) {
            start[c] = at;
            at += size[c];
        }
        int[] out = new int[color.length];
        for (int v = 0; v < color.length; v++) out[start[color[v]]++] = v;
        return out;
    }

    private static int countOf(int[] color) {
        int m = -1;
        for (int c : color) m = Math.max(m, c);
        return m + 1;
    }

    private static int[] order(Order order, Graph g) {
        if (order == Order.NATURAL) return natural(g.size());
        int[] degree = g.degrees();
        switch (order) {
            case LARGEST_FIRST: case DSATUR: return largestFirst(degree);
            case SMALLEST_LAST: return smallestLast(degree, g);
            default: return incidenceDegree(degree, g);
        }
    }

    private static int[] natural(int n) {
        int[] o = new int[n];
        for (int v = 0; v < n; v++) o[v] = v;
        return o;
    }

    /** The vertices by decreasing degree, ties by increasing index: a stable counting sort, O(n + max degree). */
    private static int[] largestFirst(int[] degree) {
        int max = 0;
        for (int d : degree) max = Math.max(max, d);
        int[] start = new int[max + 2];
        for (int d : degree) start[max - d + 1]++;
        for (int k = 0; k <= max; k++) start[k + 1] += start[k];
        int[] o = new int[degree.length];
        for (int v = 0; v < degree.length; v++) o[start[max - degree[v]]++] = v;
        return o;
    }

    /**
     * Smallest-last order with a bucket queue (one doubly linked list per current degree): O(n + Σ degree).
     * {@code degree} is consumed.
     */
    private static int[] smallestLast(int[] degree, Graph g) {
        int n = degree.length;
        int[] ptr = g.ptr(), adj = g.adj();
        int max = 0;
        for (int d : degree) max = Math.max(max, d);
        int[] head = new int[max + 1];
        Arrays.fill(head, -1);
        int[] next = new int[n], prev = new int[n];
        for (int v = n - 1; v >= 0; v--) push(v, degree[v], head, next, prev); // pushed in reverse: each bucket by increasing index
        boolean[] removed = new boolean[n];
        int[] out = new int[n];
        int min = 0;
        for (int k = n - 1; k >= 0; k--) {
            while (head[min] < 0) min++;
            int v = head[min];
            unlink(v, degree[v], head, next, prev);
            removed[v] = true;
            out[k] = v; // the last removed is coloured first
            for (int p = ptr[v]; p < ptr[v + 1]; p++) {
                int w = adj[p];
                if (removed[w]) continue;
                unlink(w, degree[w], head, next, prev);
                push(w, --degree[w], head, next, prev);
            }
            if (min > 0) min--; // a neighbour's degree fell by one at most
        }
        return out;
    }

    /** Incidence-degree order with a bucket queue on the count of neighbours ordered already; O(n + Σ degree). */
    private static int[] incidenceDegree(int[] degree, Graph g) {
        int n = degree.length;
        int[] ptr = g.ptr(), adj = g.adj();
        int max = 0;
        for (int d : degree) max = Math.max(max, d);
        int[] key = new int[n];
        int[] head = new int[max + 1];
        Arrays.fill(head, -1);
        int[] next = new int[n], prev = new int[n];
        for (int v = n - 1; v >= 0; v--) push(v, 0, head, next, prev);
        boolean[] done = new boolean[n];
        int[] out = new int[n];
        int top = 0;
        for (int k = 0; k < n; k++) {
            while (head[top] < 0) top--;
            int v = head[top];
            unlink(v, key[v], head, next, prev);
            done[v] = true;
            out[k] = v;
            for (int p = ptr[v]; p < ptr[v + 1]; p++) {
                int w = adj[p];
                if (done[w]) continue;
                unlink(w, key[w], head, next, prev);
                int d = ++key[w];
                push(w, d, head, next, prev);
                top = Math.max(top, d);
            }
        }
        return out;
    }

    /**
     * DSATUR over the graph {@code g}: the saturation of a vertex is the number of distinct colours among its
     * coloured neighbours, kept in a bucket queue; colours below 64 are tracked in one bit mask per vertex (beyond,
     * the saturation is approximate and the free colour found by a scan of the neighbours). O(n + Σ degree).
     *
     * <p>The buckets are lazy stacks: a vertex whose saturation rises is pushed onto its new bucket and its old entry
     * is left behind, skipped when popped (the vertex is coloured, or its saturation is no longer that bucket's). The
     * valid entries of a bucket are then in the order a doubly linked list with head insertion would hold them, so
     * the colouring is the same, without the unlinking's dependent loads (the top frame of the colouring's profile on
     * a 5-point stencil).</p>
     */
    private static int[] dsatur(Graph g) {
        int n = g.size();
        int[] ptr = g.ptr(), adj = g.adj();
        int[] byDegree = largestFirst(g.degrees());
        int[] sat = new int[n];
        int[] head = new int[n + 1];
        Arrays.fill(head, -1);
        int entries = n + ptr[n]; // one per vertex at saturation 0, at most one more per edge end
        int[] vertexOf = new int[entries], below = new int[entries];
        int pushed = 0;
        for (int k = n - 1; k >= 0; k--) pushed = stack(byDegree[k], 0, pushed, head, vertexOf, below); // ties: larger degree first
        long[] low = new long[n];  // bit c: a neighbour has colour c (c < 64)
        int[] color = new int[n];
        Arrays.fill(color, -1);
        int[] forbidden = new int[n + 1];
        int top = 0;
        for (int k = 0; k < n; k++) {
            int v;
            while (true) { // the newest valid entry of the highest non-empty bucket
                while (head[top] < 0) top--;
                int e = head[top];
                head[top] = below[e];
                v = vertexOf[e];
                if (color[v] < 0 && sat[v] == top) break;
            }
            int c = Long.numberOfTrailingZeros(~low[v]);
            if (c == 64) { // all of 0..63 taken: look at the neighbours' colours
                int mark = v + 1;
                for (int p = ptr[v]; p < ptr[v + 1]; p++) if (color[adj[p]] >= 0) forbidden[color[adj[p]]] = mark;
                while (forbidden[c] == mark) c++;
            }
            color[v] = c;
            for (int p = ptr[v]; p < ptr[v + 1]; p++) {
                int w = adj[p];
                if (color[w] >= 0) continue;
                // colours from 64 on are counted once per neighbour that has them, not once per colour: an
                // overcount that only changes the order, never the validity (the colour itself is chosen by a scan)
                boolean fresh = c >= 64 || (low[w] & (1L << c)) == 0;
                if (c < 64) low[w] |= 1L << c;
                if (fresh) {
                    int d = ++sat[w];
                    pushed = stack(w, d, pushed, head, vertexOf, below);
                    top = Math.max(top, d);
                }
            }
        }
        return color;
    }

    /** Pushes v onto bucket d's lazy stack as entry {@code at}; returns the next free entry. */
    private static int stack(int v, int d, int at, int[] head, int[] vertexOf, int[] below) {
        vertexOf[at] = v;
        below[at] = head[d];
        head[d] = at;
        return at + 1;
    }

    private static void push(int v, int d, int[] head, int[] next, int[] prev) {
        prev[v] = -1;
        next[v] = head[d];
        if (head[d] >= 0) prev[head[d]] = v;
        head[d] = v;
    }

    private static void unlink(int v, int d, int[] head, int[] next, int[] prev) {
        if (prev[v] >= 0) next[prev[v]] = next[v];
        else head[d] = next[v];
        if (next[v] >= 0) prev[next[v]] = prev[v];
    }

    // ------------------------------------------------------------------ star colouring

    /** {@link #star(SparsityPattern, Order)} with {@link Order#LARGEST_FIRST}. */
    public static Coloring star(SparsityPattern pattern) { return star(pattern, Order.LARGEST_FIRST); }

    /**
     * A greedy star colouring of a symmetric pattern (diagonal positions ignored, off-diagonal ones are the
     * edges): Gebremedhin, Tarafdar, Manne and Pothen (2007), Algorithm 4.1, which keeps the 2-coloured stars
     * (their hubs) so that no path on 4 vertices gets only 2 colours.
     *
     * @throws IllegalArgumentException when the pattern is not symmetric (use {@link SparsityPattern#symmetrized()})
     */
    public static Coloring star(SparsityPattern pattern, Order order) {
        Args.nonNull(pattern, "Coloring.star", "pattern");
        Args.nonNull(order, "Coloring.star", "order");
        return star(pattern, order, Mirror.of(pattern, "Coloring.star"));
    }

    /** The star colouring with the pattern's {@link Mirror} given (checked symmetric by whoever computed it). */
    static Coloring star(SparsityPattern pattern, Order order, int[] mirror) {
        int n = pattern.rows();
        int[] ptr = rowsOf(pattern), adj = columnsOf(pattern);
        int[] vertices = order(order, offDiagonal(ptr, adj));

        int[] color = new int[n];
        Arrays.fill(color, -1);
        int[] forbidden = new int[n + 1];      // forbidden[c] == v + 1: c is not allowed for v
        int[] treated = new int[n];            // treated[w] == v + 1: w's neighbours' colours are forbidden for v already
        int[] firstNeighborV = new int[n + 1]; // per colour c: (v + 1, w) for the first neighbour w of v seen with colour c
        int[] firstNeighborW = new int[n + 1];
        int[] star = new int[adj.length];      // per stored position (both directions of an edge): its star, -1 none
        Arrays.fill(star, -1);
        int[] hub = new int[Math.max(1, adj.length / 2 + 1)]; // per star: its hub vertex, or -1 while it has two vertices
        int stars = 0;

        for (int v : vertices) {
            int mark = v + 1;
            for (int p = ptr[v]; p < ptr[v + 1]; p++) {
                int w = adj[p];
                if (w == v || color[w] < 0) continue;
                int cw = color[w];
                forbidden[cw] = mark;
                if (firstNeighborV[cw] == mark) { // a second neighbour of colour cw: both must keep their stars' other colours off v
                    int q = firstNeighborW[cw];
                    if (treated[q] != mark) treat(q, mark, treated, forbidden, ptr, adj, color);
                    treat(w, mark, treated, forbidden, ptr, adj, color);
                } else {
                    firstNeighborV[cw] = mark;
                    firstNeighborW[cw] = w;
                    for (int r = ptr[w]; r < ptr[w + 1]; r++) { // x the hub of the star through w–x: v–w–x–y would be 2-coloured
                        int x = adj[r];
                        if (x == v || x == w || color[x] < 0) continue;
                        if (hub[star[r]] == x) forbidden[color[x]] = mark;
                    }
                }
            }
            int c = 0;
            while (forbidden[c] == mark) c++;
            color[v] = c;
            // update the stars of the edges v–w just coloured
            for (int p = ptr[v]; p < ptr[v + 1]; p++) {
                int w = adj[p];
                if (w == v || color[w] < 0) continue;
                boolean joined = false;
                for (int r = ptr[w]; r < ptr[w + 1]; r++) {
                    int x = adj[r];
                    if (x != v && x != w && color[x] == c) { // v–w–x with colours c, cw, c: w is the hub of wx's star
                        int s = star[r];
                        hub[s] = w;
                        setStar(star, mirror, p, s);
                        joined = true;
                        break;
                    }
                }
                if (!joined) {
                    int cw = color[w];
                    int q = firstNeighborW[cw];
                    if (firstNeighborV[cw] == mark && q != w) { // w–v–q with colours cw, c, cw: v is the hub
                        int s = star[positionOf(v, q, ptr, adj)];
                        hub[s] = v;
                        setStar(star, mirror, p, s);
                    } else { // a new star of two vertices
                        if (stars == hub.length) hub = Arrays.copyOf(hub, 2 * stars);
                        hub[stars] = -1;
                        setStar(star, mirror, p, stars++);
                    }
                }
            }
        }
        return new Coloring(color);
    }

    /** The graph of a symmetric pattern's off-diagonal entries, in the pattern's order. */
    private static Graph offDiagonal(int[] ptr, int[] adj) {
        int n = ptr.length - 1;
        int[] gp = new int[n + 1];
        int[] ga = new int[adj.length];
        int at = 0;
        for (int v = 0; v < n; v++) {
            for (int p = ptr[v]; p < ptr[v + 1]; p++) if (adj[p] != v) ga[at++] = adj[p];
            gp[v + 1] = at;
        }
        return new Graph(gp, at == ga.length ? ga : Arrays.copyOf(ga, at));
    }

    private static void treat(int w, int mark, int[] treated, int[] forbidden, int[] ptr, int[] adj, int[] color) {
        for (int r = ptr[w]; r < ptr[w + 1]; r++) {
            int x = adj[r];
            if (x != w && color[x] >= 0) forbidden[color[x]] = mark;
        }
        treated[w] = mark;
    }

    private static void setStar(int[] star, int[] mirror, int p, int s) {
        star[p] = s;
        star[mirror[p]] = s;
    }

    private static int positionOf(int i, int j, int[] ptr, int[] adj) {
        int p = Arrays.binarySearch(adj, ptr[i], ptr[i + 1], j);
        if (p < 0) throw new IllegalStateException("star colouring: edge " + i + "–" + j + " missing");
        return p;
    }

    // ------------------------------------------------------------------ checks of the definitions

    /**
     * Whether no two distinct columns of one colour share a row: for every row i and stored j ≠ k in it,
     * colour(j) ≠ colour(k). A direct check, O(Σᵢ rowCount(i)).
     */
    public static boolean isValidColumnColoring(SparsityPattern pattern, int[] colors) {
        Args.nonNull(pattern, "Coloring.isValidColumnColoring", "pattern");
        Args.nonNull(colors, "Coloring.isValidColumnColoring", "colors");
        if (colors.length != pattern.columns()) return false;
        for (int c : colors) if (c < 0) return false;
        int[] ptr = rowsOf(pattern), cols = columnsOf(pattern);
        int[] seenInRow = new int[maxColor(colors) + 1];
        for (int i = 0; i < pattern.rows(); i++) {
            for (int p = ptr[i]; p < ptr[i + 1]; p++) {
                int c = colors[cols[p]];
                if (seenInRow[c] == i + 1) return false;
                seenInRow[c] = i + 1;
            }
        }
        return true;
    }

    /** Whether no two distinct rows of one colour share a column (the column check on the transpose). */
    public static boolean isValidRowColoring(SparsityPattern pattern, int[] colors) {
        Args.nonNull(pattern, "Coloring.isValidRowColoring", "pattern");
        return isValidColumnColoring(pattern.transpose(), colors);
    }

    /**
     * Whether {@code colors} is a star colouring of a symmetric pattern's graph, checked by the definition:
     * adjacent vertices differ in colour, and no path l–j–i–k on 4 vertices is 2-coloured, i.e. for no edge
     * (j, i) does j have a neighbour l ≠ i of colour(i) while i has a neighbour k ≠ j of colour(j). O(Σ edges ·
     * degree²); for tests.
     */
    public static boolean isValidStarColoring(SparsityPattern pattern, int[] colors) {
        Args.nonNull(pattern, "Coloring.isValidStarColoring", "pattern");
        Args.nonNull(colors, "Coloring.isValidStarColoring", "colors");
        if (!pattern.isSymmetric() || colors.length != pattern.rows()) return false;
        for (int c : colors) if (c < 0) return false;
        int[] ptr = rowsOf(pattern), adj = columnsOf(pattern);
        for (int j = 0; j < pattern.rows(); j++) {
            for (int p = ptr[j]; p < ptr[j + 1]; p++) {
                int i = adj[p];
                if (i == j) continue;
                if (colors[i] == colors[j]) return false;
                boolean jHasOtherOfColorI = false;
                for (int r = ptr[j]; r < ptr[j + 1]; r++) {
                    int l = adj[r];
                    if (l != i && l != j && colors[l] == colors[i]) jHasOtherOfColorI = true;
                }
                if (!jHasOtherOfColorI) continue;
                for (int r = ptr[i]; r < ptr[i + 1]; r++) {
                    int k = adj[r];
                    if (k != j && k != i && colors[k] == colors[j]) return false;
                }
            }
        }
        return true;
    }

    private static int maxColor(int[] colors) {
        int m = -1;
        for (int c : colors) m = Math.max(m, c);
        return m;
    }

    /**
     * A lower bound on the colours of any star colouring of a symmetric pattern (diagonal entries aside): 0
     * with no entries, 1 with diagonal entries only, 2 when every connected component of the off-diagonal
     * graph is a star (one centre adjacent to all its other vertices, and no other edge: two colours do),
     * else 3, since a component that is not a star holds a triangle or a path on four vertices, and a star
     * colouring gives either three colours. The largest row count bounds column colourings, not star
     * colourings: an arrow pattern, one dense row and column, takes 2 colours.
     */
    public static int starLowerBound(SparsityPattern pattern) {
        int n = pattern.rows();
        if (pattern.nonZeros() == 0) return 0;
        int[] ptr = SparseAccess.rowPointers(pattern), adj = SparseAccess.columnIndices(pattern);
        int[] component = new int[n], stack = new int[n];
        Arrays.fill(component, -1);
        boolean anyEdge = false;
        for (int s = 0; s < n; s++) {
            if (component[s] >= 0) continue;
            int top = 0, vertices = 0, maxDegree = 0;
            long edgeEnds = 0;
            stack[top++] = s;
            component[s] = s;
            while (top > 0) {
                int v = stack[--top];
                vertices++;
                int degree = 0;
                for (int q = ptr[v]; q < ptr[v + 1]; q++) {
                    int w = adj[q];
                    if (w == v) continue;
                    degree++;
                    if (component[w] < 0) {
                        component[w] = s;
                        stack[top++] = w;
                    }
                }
                edgeEnds += degree;
                maxDegree = Math.max(maxDegree, degree);
            }
            if (edgeEnds > 0) anyEdge = true;
            boolean star = edgeEnds / 2 == vertices - 1 && maxDegree == vertices - 1;
            if (!star) return 3;
        }
        return anyEdge ? 2 : 1;
    }
}
