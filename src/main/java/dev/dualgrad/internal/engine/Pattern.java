package dev.dualgrad.internal.engine;

import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;

/**
 * The dependency pattern of a tensor during sparsity detection: for each of its elements (row-major),
 * the sorted indices of the traced input elements it may depend on, among {@link #universe()} of them.
 * A row of the Jacobian ∂y/∂x has nonzeros only at the indices of y's pattern.
 *
 * <p>Patterns are global, in the sense of SparseConnectivityTracer: they say what an element may depend
 * on for some x, never what it happens to depend on at this x, so they are built from shapes and integer
 * attributes only (never from values), and a pattern may be denser than the Jacobian at one point, never
 * sparser. Immutable; rows are shared between patterns (a broadcast copies references, not sets), so never
 * write to an array {@link #row} returns.</p>
 *
 * <p>The builders below are what the primitives' {@link Primitive#sparsity} rules are made of:
 * {@link #gather} (each output element reads at most one element of each input: elementwise ops,
 * broadcasting and every shape and indexing op), {@link #scatter} (each input element feeds at most one
 * output element: sums over axes, scatter-adds), {@link #dense} (everything depends on everything: the
 * conservative rule of an op that declares none) and {@link #byIndexCodes} (the gather map of a pure
 * selection op, read off the op's own primal applied to element codes).</p>
 */
public final class Pattern {
    /** The empty set, shared. */
    public static final int[] NONE = new int[0];

    private final int universe;
    private final int[][] rows;

    private Pattern(int universe, int[][] rows) {
        this.universe = universe;
        this.rows = rows;
    }

    /** The pattern whose element i depends on the input elements {@code rows[i]} (sorted, distinct, in [0, universe)); takes ownership. */
    public static Pattern of(int universe, int[][] rows) {
        return new Pattern(universe, rows);
    }

    /** Element e of a tensor of {@code size} elements depends on input element offset + e alone: how inputs are seeded. */
    public static Pattern seed(int universe, int offset, int size) {
        int[][] r = new int[size][];
        for (int e = 0; e < size; e++) r[e] = new int[] {offset + e};
        return new Pattern(universe, r);
    }

    /** No element depends on anything. */
    public static Pattern empty(int universe, int size) {
        int[][] r = new int[size][];
        Arrays.fill(r, NONE);
        return new Pattern(universe, r);
    }

    /** How many input elements are traced: every index lies below it. */
    public int universe() {
        return universe;
    }

    /** The number of elements of the tensor this pattern describes. */
    public int size() {
        return rows.length;
    }

    /** The sorted input indices element i depends on; shared, never write to it. */
    public int[] row(int i) {
        return rows[i];
    }

    /** True when no element depends on any input: the tensor is a constant as far as detection can tell. */
    public boolean isEmpty() {
        for (int[] r : rows) if (r.length > 0) return false;
        return true;
    }

    /** The universe of the first non-null pattern (all of one detection share it). */
    static int universe(Pattern[] px) {
        for (Pattern p : px) if (p != null) return p.universe;
        throw new IllegalStateException("no input carries a pattern");
    }

    // ------------------------------------------------------------------ builders used by the rules

    /**
     * Output element o depends on the union, over inputs i with a pattern, of {@code px[i].row(src[i][o])};
     * {@code src[i][o] < 0} means o reads nothing of input i, and {@code src[i] == null} nothing at all.
     * When o reads one non-empty row, the row is shared, not copied.
     */
    public static Pattern gather(int outSize, Pattern[] px, int[][] src) {
        int universe = universe(px);
        int[][] out = new int[outSize][];
        int only = -1, sources = 0;
        for (int i = 0; i < px.length; i++) {
            if (px[i] != null && src[i] != null) {
                only = i;
                sources++;
            }
        }
        if (sources <= 1) { // one traced input (every selection op, most elementwise ones): its rows, shared, no union
            if (only < 0) Arrays.fill(out, NONE);
            else select(px[only].rows, src[only], out);
            return new Pattern(universe, out);
        }
        if (sources == 2) { // a binary op's two traced operands: a merge of two sorted rows, no stamps and no sort
            int a = -1, b = -1;
            for (int i = 0; i < px.length; i++) if (px[i] != null && src[i] != null) { if (a < 0) a = i; else b = i; }
            for (int o = 0; o < outSize; o++) {
                int ea = src[a][o], eb = src[b][o];
                out[o] = merge(ea >= 0 ? px[a].rows[ea] : NONE, eb >= 0 ? px[b].rows[eb] : NONE);
            }
            return new Pattern(universe, out);
        }
        Union u = new Union(universe);
        for (int o = 0; o < outSize; o++) {
            u.clear();
            for (int i = 0; i < px.length; i++) {
                if (px[i] == null || src[i] == null) continue;
                int e = src[i][o];
                if (e >= 0) u.add(px[i].rows[e]);
            }
            out[o] = u.result();
        }
        return new Pattern(universe, out);
    }

    /**
     * Output element o depends on the union of the rows of the input elements e with {@code dst[i][e] == o}
     * ({@code dst[i][e] < 0}: e feeds no output; {@code dst[i] == null}: input i feeds none). For reductions
     * and scatter-adds, where each input element goes to at most one output element.
     */
    public static Pattern scatter(int outSize, Pattern[] px, int[][] dst) {
        int universe = universe(px);
        if (outSize == 1) { // a full reduction: one union of every contributing row, no grouping
            Union u = new Union(universe);
            for (int i = 0; i < px.length; i++) {
                if (px[i] == null || dst[i] == null) continue;
                for (int e = 0; e < dst[i].length; e++) if (dst[i][e] == 0) u.add(px[i].rows[e]);
            }
            return new Pattern(universe, new int[][] {u.result()});
        }
        // group the contributions by output element (a counting sort), then take one union per output
        int[] count = new int[outSize + 1];
        for (int i = 0; i < px.length; i++) {
            if (px[i] == null || dst[i] == null) continue;
            for (int o : dst[i]) if (o >= 0) count[o + 1]++;
        }
        for (int o = 0; o < outSize; o++) count[o + 1] += count[o];
        int[] fill = Arrays.copyOf(count, outSize);
        int[][] members = new int[count[outSize]][];
        for (int i = 0; i < px.length; i++) {
            if (px[i] == null || dst[i] == null) continue;
            int[] d = dst[i];
            for (int e = 0; e < d.length; e++) if (d[e] >= 0) members[fill[d[e]]++] = px[i].rows[e];
        }
        Union u = new Union(universe);
        int[][] out = new int[outSize][];
        for (int o = 0; o < outSize; o++) {
            u.clear();
            for (int k = count[o]; k < count[o + 1]; k++) u.add(members[k]);
            out[o] = u.result();
        }
        return new Pattern(universe, out);
    }

    /**
     * The union of two sorted sets; either operand itself (shared) when it holds the other. The union's size is
     * counted first, so that the one array allocated is the result (detection merges millions of rows of a few
     * indices, and the garbage of a worst-case buffer per merge showed in its profile).
     */
    static int[] merge(int[] a, int[] b) {
        if (a == b || b.length == 0) return a;
        if (a.length == 0) return b;
        if (b.length == 1) return insert(a, b, b[0]); // one index joining a set: the usual merge of a chain of sums
        if (a.length == 1) return insert(b, a, a[0]);
        int i = 0, j = 0, k = 0;
        while (i < a.length && j < b.length) { // count
            int x = a[i], y = b[j];
            if (x <= y) i++;
            if (y <= x) j++;
            k++;
        }
        k += (a.length - i) + (b.length - j);
        if (k == a.length) return a; // b ⊆ a
        if (k == b.length) return b; // a ⊆ b
        int[] r = new int[k];
        i = 0;
        j = 0;
        k = 0;
        while (i < a.length && j < b.length) {
            int x = a[i], y = b[j];
            r[k++] = x <= y ? x : y;
            if (x <= y) i++;
            if (y <= x) j++;
        }
        while (i < a.length) r[k++] = a[i++];
        while (j < b.length) r[k++] = b[j++];
        return r;
    }

    /**
     * {@code set} ∪ {v}, where {@code single} = {v}: the set itself when it holds v, {@code single} when the set is
     * empty, else a copy with v in its place: one scan and a copy around v, none of the general merge's branches.
     */
    private static int[] insert(int[] set, int[] single, int v) {
        int n = set.length, at = 0;
        while (at < n && set[at] < v) at++;
        if (at < n && set[at] == v) return set;
        if (n == 0) return single;
        int[] r = new int[n + 1];
        if (n > SMALL_SET) {
            System.arraycopy(set, 0, r, 0, at);
            System.arraycopy(set, at, r, at + 1, n - at);
        } else { // a few indices: plain loops, since each arraycopy call costs more than the copy itself
            for (int i = 0; i < at; i++) r[i] = set[i];
            for (int i = at; i < n; i++) r[i + 1] = set[i];
        }
        r[at] = v;
        return r;
    }

    /** Sets up to this size are copied by loops in {@link #insert}, larger ones by {@code System.arraycopy}. */
    private static final int SMALL_SET = 16;

    /** Every output element depends on every element of every input with a pattern (one shared set). */
    public static Pattern dense(int outSize, Pattern[] px) {
        int universe = universe(px);
        Union u = new Union(universe);
        for (Pattern p : px) if (p != null) for (int[] r : p.rows) u.add(r);
        int[] all = u.result();
        int[][] out = new int[outSize][];
        Arrays.fill(out, all);
        return new Pattern(universe, out);
    }

    /**
     * Broadcasting elementwise: output element o (of {@code out}) reads, of each input, the element that
     * broadcasting puts at o. The rule of every elementwise unary and binary op and of {@code where}.
     */
    public static Pattern broadcast(int[] out, Tensor[] x, Pattern[] px) {
        int n = Shape.size(out);
        if (px.length == 2 && px[0] != null && px[1] != null && Arrays.equals(x[0].shape(), out) && Arrays.equals(x[1].shape(), out)) {
            int[][] r = new int[n][]; // two traced operands of the output's shape: merged element by element, no index maps
            for (int o = 0; o < n; o++) r[o] = merge(px[0].rows[o], px[1].rows[o]);
            return new Pattern(px[0].universe, r);
        }
        int[][] src = new int[px.length][];
        for (int i = 0; i < px.length; i++) if (px[i] != null) src[i] = broadcastIndex(x[i].shape(), out);
        return gather(n, px, src);
    }

    /** For each element of {@code out}, the element of {@code shape} that broadcasting reads there. */
    public static int[] broadcastIndex(int[] shape, int[] out) {
        int n = Shape.size(out);
        int[] idx = new int[n];
        if (Arrays.equals(shape, out)) {
            for (int o = 0; o < n; o++) idx[o] = o;
            return idx;
        }
        int[] bs = Shape.broadcastStrides(shape, out);
        int[] pos = new int[out.length];
        for (int o = 0, e = 0; o < n; o++) {
            idx[o] = e;
            for (int a = out.length - 1; a >= 0; a--) { // odometer step
                if (++pos[a] < out[a]) {
                    e += bs[a];
                    break;
                }
                e -= bs[a] * (pos[a] - 1);
                pos[a] = 0;
            }
        }
        return idx;
    }

    /**
     * The rule of an op that moves elements along one axis (slice, pad): output element (outer, a, inner) is a
     * copy of input element (outer, from(a), inner), or depends on nothing where from(a) &lt; 0. The rows are shared.
     *
     * @param inShape the input's shape
     * @param axis the axis, non-negative
     * @param outLength the output's length along the axis
     */
    public static Pattern alongAxis(Pattern p, int[] inShape, int axis, int outLength, java.util.function.IntUnaryOperator from) {
        int inner = 1;
        for (int i = axis + 1; i < inShape.length; i++) inner *= inShape[i];
        int outer = 1;
        for (int i = 0; i < axis; i++) outer *= inShape[i];
        int inLength = inShape[axis];
        int[] source = new int[outLength]; // the map asked once per position, not per position and outer index: on a
        for (int a = 0; a < outLength; a++) source[a] = from.applyAsInt(a); // last axis that was a call per element
        int[][] out = new int[outer * outLength * inner][];
        for (int o = 0, k = 0; o < outer; o++) {
            for (int a = 0; a < outLength; ) { // runs of positions whose sources follow one another: one copy each
                int b = source[a], end = a + 1;
                while (end < outLength && source[end] == (b < 0 ? -1 : b + (end - a))) end++;
                int len = (end - a) * inner;
                if (b < 0) Arrays.fill(out, k, k + len, NONE);
                else copy(p.rows, (o * inLength + b) * inner, out, k, len);
                k += len;
                a = end;
            }
        }
        return new Pattern(p.universe, out);
    }

    /**
     * out[at .. at + len) = rows[from .. from + len): a {@link System#arraycopy} from {@link #RUN} references on. The
     * write barrier of G1 (the default collector) on each stored reference costs ~3 ns, most of a slice's time in
     * detection (a loop storing 1,156 references 2.8–3.6 µs against 0.3 µs for one bulk copy, whose barrier covers
     * the whole range; with the parallel collector the loop took 0.8 µs).
     */
    private static void copy(int[][] rows, int from, int[][] out, int at, int len) {
        if (len >= RUN) System.arraycopy(rows, from, out, at, len);
        else for (int i = 0; i < len; i++) out[at + i] = rows[from + i];
    }

    /** Runs of at least this many consecutive sources are copied by {@link System#arraycopy}; shorter ones element by element. */
    private static final int RUN = 8;

    /** out[o] = rows[map[o]] for o &lt; out.length, or {@link #NONE} where map[o] &lt; 0; each run of consecutive sources one {@link #copy}. */
    static void select(int[][] rows, int[] map, int[][] out) {
        int n = out.length;
        for (int o = 0; o < n; ) {
            int e = map[o];
            if (e < 0) {
                out[o++] = NONE;
                continue;
            }
            int end = o + 1;
            while (end < n && map[end] == e + (end - o)) end++;
            copy(rows, e, out, o, end - o);
            o = end;
        }
    }

    /**
     * The rule of a pure selection op, one whose every output element is a copy of one input element or a
     * constant: the primal is applied to tensors of element codes (input i's element e holds
     * base(i) + e + 1, exactly representable up to 2⁵³), and each output code names the element it copied
     * (0 or any non-code value: a constant). Inputs listed in {@code keep} (integer index tensors, the
     * condition of a select) are passed as they are and carry no pattern. The op's primal must not do
     * arithmetic on its data inputs (a copy, never a sum): that is what makes it a selection.
     */
    public static Pattern byIndexCodes(Primitive p, Tensor[] x, Pattern[] px, int... keep) {
        Tensor[] codes = new Tensor[x.length];
        long[] base = new long[x.length + 1];
        for (int i = 0; i < x.length; i++) {
            boolean kept = false;
            for (int k : keep) kept |= k == i;
            base[i + 1] = base[i] + (kept || px[i] == null ? 0 : x[i].size());
            if (kept || px[i] == null) {
                codes[i] = kept ? x[i].detach() : Tensor.zeros(x[i].shape());
                continue;
            }
            double[] c = new double[x[i].size()];
            for (int e = 0; e < c.length; e++) c[e] = base[i] + e + 1;
            codes[i] = Tensors.adopt(c, x[i].shape());
        }
        double[] y = Tensors.buffer(p.eval(codes));
        int[][] src = new int[x.length][];
        for (int i = 0; i < x.length; i++) {
            if (base[i + 1] == base[i]) continue;
            src[i] = new int[y.length];
            Arrays.fill(src[i], -1);
        }
        for (int o = 0; o < y.length; o++) {
            double v = y[o];
            if (!(v >= 1 && v <= base[x.length]) || v != Math.rint(v)) continue; // a constant, not a copy
            long code = (long) v - 1;
            int i = 0;
            while (code >= base[i + 1]) i++;
            src[i][o] = (int) (code - base[i]);
        }
        return gather(y.length, px, src);
    }

    /**
     * A union of sorted sets over a universe [0, n): a stamp per index removes duplicates, and a union equal
     * to its largest operand (one distinct set, or sets nested in one) is that operand itself, shared, with no
     * copy and no sort: the common case, an element meeting the same inputs through two paths.
     */
    public static final class Union {
        private final int[] stamp;
        private int epoch = 1;
        private int[] buf = new int[16];
        private int len;
        private int[] largest = NONE;
        /**
         * A union of len indices spanning fewer than SCAN_SPAN·len values is listed by a scan of its stamps over that
         * span, O(span), instead of a sort, O(len·log len): the union of a full sum over n elements sorted n ints
         * (Rosenbrock's Hessian detection at n = 10⁵: 12.9 ms in stop 33's run, 8.4 ms after this and the insert loops).
         */
        private static final int SCAN_SPAN = 8;

        public Union(int universe) {
            stamp = new int[universe];
        }

        public void clear() {
            len = 0;
            largest = NONE;
            if (++epoch == Integer.MAX_VALUE) {
                Arrays.fill(stamp, 0);
                epoch = 1;
            }
        }

        public void add(int[] row) {
            if (row.length == 0 || row == largest) return;
            if (row.length > largest.length) largest = row;
            for (int j : row) {
                if (stamp[j] == epoch) continue;
                stamp[j] = epoch;
                if (len == buf.length) buf = Arrays.copyOf(buf, 2 * len);
                buf[len++] = j;
            }
        }

        public int[] result() {
            if (len == largest.length) return largest; // the union has no element outside its largest operand: it is that set
            if (len > 24) {
                int lo = Integer.MAX_VALUE, hi = -1;
                for (int i = 0; i < len; i++) {
                    lo = Math.min(lo, buf[i]);
                    hi = Math.max(hi, buf[i]);
                }
                int[] r = new int[len];
                if ((long) hi - lo < (long) SCAN_SPAN * len) { // dense in its range (a full sum's union): read the stamps in order, no sort
                    for (int j = lo, k = 0; k < len; j++) if (stamp[j] == epoch) r[k++] = j;
                } else {
                    System.arraycopy(buf, 0, r, 0, len);
                    Arrays.sort(r);
                }
                return r;
            }
            int[] r = Arrays.copyOf(buf, len); // the usual few indices: an insertion sort, without the library sort's set-up
            for (int i = 1; i < len; i++) {
                int v = r[i], k = i - 1;
                while (k >= 0 && r[k] > v) r[k + 1] = r[k--];
                r[k + 1] = v;
            }
            return r;
        }
    }
}
