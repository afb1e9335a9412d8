package dev.dualgrad.internal.kernels;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Parallelism;
import dev.dualgrad.tensor.Tensor;

import java.util.Arrays;

/**
 * Loops on concrete data shared by the ops: broadcasting, reductions, permutation, matrix product.
 * Results are deterministic: the summation order depends only on the shapes.
 */
public final class Kernels {
    private Kernels() {}

    /**
     * A matrix-product kernel, BLAS-style: C [m,n] += op(A) [m,k] · op(B) [k,n] on row-major arrays, where
     * op(A) = A stored [m,k] (row stride lda) or, with ta, Aᵀ for A stored [k,m]; likewise B with tb.
     */
    interface Gemm {
        void gemm(boolean ta, boolean tb, int m, int n, int k, double[] a, int ao, int lda, double[] b, int bo, int ldb,
                double[] c, int co, int ldc);

        /**
         * What this kernel keeps of a B that never changes (a tensor's buffer) for a product of this shape: B's
         * packed panels, kept across products, or null. Asked once per product, so that the parts of a split
         * product share one answer.
         */
        default Object keptB(boolean ta, boolean tb, int m, int n, int k, double[] b, int bo, int ldb) {
            return null;
        }

        /**
         * The product with what {@link #keptB} returned for this B (null: B is read and packed as usual). cZero: C
         * holds zeros on entry, so the kernel may start its sums at zero rather than read C (the same bits).
         */
        default void gemm(boolean ta, boolean tb, int m, int n, int k, double[] a, int ao, int lda, double[] b, int bo, int ldb,
                double[] c, int co, int ldc, Object keptB, boolean cZero) {
            gemm(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc);
        }
    }

    /**
     * The Vector API kernel when the JVM was started with {@code --add-modules jdk.incubator.vector}
     * (and {@code -Ddualgrad.vector=false} was not given), else null and the plain-Java kernel runs.
     * Chosen once, at class initialisation.
     */
    private static final Gemm VECTOR = VectorKernels.load("dev.dualgrad.internal.kernels.VectorGemm", Gemm.class);
    /** The plain kernel behind the Gemm interface, and the kernel {@link #gemm} runs (package-visible for the tests). */
    static final Gemm PLAIN = Kernels::plainGemm, PICKED = VECTOR != null ? VECTOR : PLAIN;

    /**
     * True when the plain kernel runs only because the Vector API module is absent from the boot layer
     * (a class-path launch without {@code --add-modules jdk.incubator.vector}), not because the user
     * chose it with {@code -Ddualgrad.vector=false}: the first product then logs {@link #PLAIN_WARNING}.
     */
    private static final boolean WARN_PLAIN = VECTOR == null && !"false".equals(System.getProperty("dualgrad.vector"))
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty();
    private static final java.util.concurrent.atomic.AtomicBoolean WARNED = new java.util.concurrent.atomic.AtomicBoolean();
    /** The one line logged (System.Logger "dev.dualgrad", WARNING) at the first product that runs the plain kernel for want of the module. */
    static final String PLAIN_WARNING = "dualgrad: the Vector API module jdk.incubator.vector is not loaded, so matrix products run the"
            + " plain-Java kernel, several times slower on large products. Start the JVM with --add-modules jdk.incubator.vector"
            + " to use the vector kernel, or with -Ddualgrad.vector=false to choose the plain kernel without this warning.";

    /** Which matrix kernel runs: "vector" or "plain". */
    public static String matmulKernel() {
        return VECTOR != null ? "vector (jdk.incubator.vector)" : "plain";
    }

    /** Elements per thread below which broadcast arithmetic (bound by memory bandwidth) is not split. */
    static final int BROADCAST_MIN_PER_THREAD = 1 << 14;

    /**
     * Applies a row kernel over the broadcast of a and b (which must broadcast to {@code out}). Large
     * results are split over the pool in effect ({@link Parallelism}), by ranges of elements when both
     * operands are contiguous, else by ranges of rows; each element gets the same operation either way.
     */
    public static Tensor broadcast(RowKernel k, Tensor a, Tensor b, int[] out) {
        int n = Shape.size(out);
        double[] y = new double[n];
        double[] ad = Tensors.buffer(a), bd = Tensors.buffer(b);
        if (n == 0) return Tensors.adopt(y, out);
        int as = ad.length == n ? 1 : 0, bs = bd.length == n ? 1 : 0;
        if ((as == 1 || ad.length == 1) && (bs == 1 || bd.length == 1)) { // contiguous, or one side a scalar
            if (n < 2 * BROADCAST_MIN_PER_THREAD) k.row(ad, 0, as, bd, 0, bs, y, 0, n);
            else ParallelRanges.run(n, BROADCAST_MIN_PER_THREAD, (from, to) -> k.row(ad, from * as, as, bd, from * bs, bs, y, from, to - from));
            return Tensors.adopt(y, out);
        }
        int[][] c = coalesced(out, Shape.broadcastStrides(a.shape(), out), Shape.broadcastStrides(b.shape(), out), BROADCAST_MIN_PER_THREAD);
        int[] axes = c[0], sa = c[1], sb = c[2];
        int q = lineAxis(axes), len = axes[q], lines = n / len;
        int minLines = Math.max(1, BROADCAST_MIN_PER_THREAD / len);
        if (lines < 2 * minLines) broadcastLines(k, ad, sa, bd, sb, y, axes, q, 0, lines);
        else ParallelRanges.run(lines, minLines, 1, (from, to) -> broadcastLines(k, ad, sa, bd, sb, y, axes, q, from, to));
        return Tensors.adopt(y, out);
    }

    /** A last axis shorter than this is a poor inner loop: each row kernel call would do a few elements' work. */
    static final int SHORT_ROW = 8;

    /**
     * The axis the row kernel runs along: the last (output contiguous) unless it is shorter than {@link #SHORT_ROW},
     * then the innermost axis that is not (y's smallest stride among them), as in the pairwise differences
     * x[n, 1, d] − x[1, n, d] with d = 2, where rows of 2 made the call overhead most of the cost. Every element gets
     * the same one operation whichever axis is inner.
     */
    static int lineAxis(int[] axes) {
        int last = axes.length - 1;
        for (int d = last; d >= 0; d--) if (axes[d] >= SHORT_ROW) return d; // the innermost long axis: the smallest stride in y
        return last;
    }

    /**
     * The broadcast's iteration space with as few axes as it needs: axes of length 1 dropped, and each axis merged
     * into the next inner one when both operands step through the pair as through one axis (stride of the outer =
     * stride × length of the inner, for a and for b; a broadcast pair has 0 on both). A tangent [k, m, n] times a
     * primal [m, n] is then k rows of m·n, not k·m rows of n: each element is still the same one operation on the
     * same two operands, so the result is bitwise the same, with far fewer row calls on short last axes. Axes merge
     * only while the merged row stays within {@code maxRow} elements: the rows are what the pool splits, and a few
     * huge rows (a tangent [3, 1000, 1000] against [1000, 1000]) would split unevenly over the threads.
     *
     * @return {axes, a's strides, b's strides}, at least one axis
     */
    static int[][] coalesced(int[] out, int[] sa, int[] sb, int maxRow) {
        int r = out.length;
        int[] axes = new int[Math.max(1, r)], ca = new int[axes.length], cb = new int[axes.length];
        int q = axes.length; // filled from the innermost axis outwards
        for (int d = r - 1; d >= 0; d--) {
            if (out[d] == 1) continue;
            if (q < axes.length && sa[d] == ca[q] * axes[q] && sb[d] == cb[q] * axes[q] && (long) axes[q] * out[d] <= maxRow) {
                axes[q] *= out[d]; // the pair is one axis of the inner one's strides
                continue;
            }
            q--;
            axes[q] = out[d];
            ca[q] = sa[d];
            cb[q] = sb[d];
        }
        if (q == axes.length) return new int[][] {{1}, {0}, {0}}; // every axis of length 1: one element
        return new int[][] {Arrays.copyOfRange(axes, q, axes.length), Arrays.copyOfRange(ca, q, axes.length), Arrays.copyOfRange(cb, q, axes.length)};
    }

    /**
     * Lines [from, to) along axis q of a broadcast over {@code out} (row-major, the other axes in odometer order):
     * along the last axis the row kernel writes y directly; along another one it writes a contiguous line that is then
     * stored at y's stride for that axis.
     */
    private static void broadcastLines(RowKernel k, double[] ad, int[] sa, double[] bd, int[] sb, double[] y, int[] out, int q, int from, int to) {
        int r = out.length, len = out[q];
        int[] ys = Shape.strides(out), idx = new int[r];
        int os = ys[q];
        double[] line = os == 1 ? null : new double[len];
        int ao = 0, bo = 0, yo = 0;
        for (int d = r - 1, rest = from; d >= 0; d--) { // the odometer's position at line `from`
            if (d == q) continue;
            idx[d] = rest % out[d];
            rest /= out[d];
            ao += idx[d] * sa[d];
            bo += idx[d] * sb[d];
            yo += idx[d] * ys[d];
        }
        for (int l = from; l < to; l++) {
            if (line == null) {
                k.row(ad, ao, sa[q], bd, bo, sb[q], y, yo, len);
            } else {
                k.row(ad, ao, sa[q], bd, bo, sb[q], line, 0, len);
                for (int i = 0, p = yo; i < len; i++, p += os) y[p] = line[i];
            }
            for (int d = r - 1; d >= 0; d--) {
                if (d == q) continue;
                ao += sa[d];
                bo += sb[d];
                yo += ys[d];
                if (++idx[d] < out[d]) break;
                ao -= sa[d] * out[d];
                bo -= sb[d] * out[d];
                yo -= ys[d] * out[d];
                idx[d] = 0;
            }
        }
    }

    /** Copies {@code x} broadcast to {@code out}. */
    public static Tensor broadcastTo(Tensor x, int[] out) {
        double[] xd = Tensors.buffer(x);
        int n = Shape.size(out);
        double[] y = new double[n];
        if (xd.length == 1) {
            Arrays.fill(y, xd[0]);
        } else if (n > 0) {
            int r = out.length;
            int[] s = Shape.broadcastStrides(x.shape(), out);
            int[] idx = new int[r];
            int xo = 0;
            int len = out[r - 1], ls = s[r - 1];
            for (int o = 0; o < n; o += len) {
                if (ls == 1) System.arraycopy(xd, xo, y, o, len);
                else Arrays.fill(y, o, o + len, xd[xo]);
                for (int d = r - 2; d >= 0; d--) {
                    xo += s[d];
                    if (++idx[d] < out[d]) break;
                    xo -= s[d] * out[d];
                    idx[d] = 0;
                }
            }
        }
        return Tensors.adopt(y, out);
    }

    /** Sum over sorted, normalised {@code axes}; the result has the keep-dims shape flattened as {@code outShape}. */
    public static Tensor sum(Tensor x, int[] axes, int[] outShape) {
        return reduce(x, axes, outShape, false);
    }

    /** Maximum over axes; NaN anywhere in a group gives NaN. */
    public static Tensor max(Tensor x, int[] axes, int[] outShape) {
        return reduce(x, axes, outShape, true);
    }

    /**
     * The kept axis a reduction runs its inner loop along when x's last axis is shorter than {@link #SHORT_ROW}: the
     * innermost kept axis that is not short, if x's stride along it is short too (a line far apart in x would touch a
     * cache line per element), or -1 (the last axis then, by rows). Only a kept axis may move inwards:
     * each output element then still receives its inputs in x's row-major order, so sums and maxima are bitwise the same.
     */
    static int reduceLineAxis(int[] shape, int[] ys) {
        int last = shape.length - 1;
        if (last < 0 || shape[last] >= SHORT_ROW) return -1;
        for (int d = last - 1, xs = shape[last]; d >= 0 && xs < SHORT_ROW; xs *= shape[d], d--) { // x's stride along d stays short
            if (ys[d] != 0 && shape[d] >= SHORT_ROW) return d;
        }
        return -1;
    }

    /**
     * A reduction of x seen as [A, J, T] over J: one run of reduced axes just before a short kept last axis (T &lt;
     * {@link #SHORT_ROW}), every axis before them kept, as in the unbroadcast of pairwise differences [n, n, d] to
     * [n, 1, d]. Each output (a, t) takes its J inputs x[a, j, t] in increasing j, x's row-major order, in a register,
     * where the row path would add rows of T elements into y through memory J times.
     *
     * @return whether x has that form (then y holds the result)
     */
    private static boolean reduceMiddle(double[] xd, int[] shape, int[] ys, double[] y, boolean max) {
        int last = shape.length - 1;
        if (last < 1 || ys[last] == 0 || shape[last] >= SHORT_ROW) return false;
        int d = last - 1, j = 1;
        for (; d >= 0 && (ys[d] == 0 || shape[d] == 1); d--) j *= shape[d]; // the reduced run (axes of length 1 are neither)
        if (j == 1) return false;
        for (int e = d; e >= 0; e--) if (ys[e] == 0) return false; // a reduced axis further out: not this form
        int t = shape[last], blocks = xd.length / (j * t);
        for (int a = 0; a < blocks; a++) {
            for (int c = 0; c < t; c++) {
                int o = a * j * t + c;
                double acc = y[a * t + c];
                if (max) { // the first NaN met is the result, as on the other paths
                    for (int i = 0; i < j && !Double.isNaN(acc); i++) {
                        double v = xd[o + i * t];
                        if (v > acc || Double.isNaN(v)) acc = v;
                    }
                } else {
                    for (int i = 0; i < j; i++) acc += xd[o + i * t];
                }
                y[a * t + c] = acc;
            }
        }
        return true;
    }

    /** {@link #reduce} along kept axis q: for each position of the other axes, in row-major order, y's line += x's line. */
    private static void reduceLines(double[] xd, int[] shape, int[] ys, int q, double[] y, boolean max) {
        int r = shape.length, len = shape[q];
        int[] xs = Shape.strides(shape), idx = new int[r];
        int xq = xs[q], yq = ys[q], xo = 0, yo = 0;
        for (int l = 0, lines = xd.length / len; l < lines; l++) {
            if (max) {
                for (int i = 0; i < len; i++) {
                    double v = xd[xo + i * xq], c = y[yo + i * yq];
                    if (v > c || Double.isNaN(v)) y[yo + i * yq] = Double.isNaN(c) ? c : v;
                }
            } else {
                for (int i = 0; i < len; i++) y[yo + i * yq] += xd[xo + i * xq];
            }
            for (int d = r - 1; d >= 0; d--) {
                if (d == q) continue;
                xo += xs[d];
                yo += ys[d];
                if (++idx[d] < shape[d]) break;
                xo -= xs[d] * shape[d];
                yo -= ys[d] * shape[d];
                idx[d] = 0;
            }
        }
    }

    private static Tensor reduce(Tensor x, int[] axes, int[] outShape, boolean max) {
        int[] shape = x.shape();
        double[] xd = Tensors.buffer(x);
        int r = shape.length;
        int[] keep = Shape.reduced(shape, axes, true);
        double[] y = new double[Shape.size(keep)];
        if (max) Arrays.fill(y, Double.NEGATIVE_INFINITY);
        if (xd.length == 0) return Tensors.adopt(y, outShape);
        // Split into [outer, reduced-or-not blocks...]: the general odometer, with a contiguous inner run.
        int[] ys = Shape.broadcastStrides(keep, shape);
        int q = reduceLineAxis(shape, ys);
        if (q >= 0) {
            reduceLines(xd, shape, ys, q, y, max);
            return Tensors.adopt(y, outShape);
        }
        if (reduceMiddle(xd, shape, ys, y, max)) return Tensors.adopt(y, outShape);
        int len = r == 0 ? 1 : shape[r - 1];
        int ls = r == 0 ? 0 : ys[r - 1];
        int[] idx = new int[r];
        int yo = 0;
        for (int o = 0; o < xd.length; o += len) {
            if (ls == 0) {
                double acc = y[yo];
                if (max) { // the first NaN in x's row-major order is the result, as on the other paths: kept once met
                    for (int i = 0; i < len && !Double.isNaN(acc); i++) {
                        double v = xd[o + i];
                        if (v > acc || Double.isNaN(v)) acc = v;
                    }
                } else {
                    for (int i = 0; i < len; i++) acc += xd[o + i];
                }
                y[yo] = acc;
            } else {
                if (max) {
                    for (int i = 0; i < len; i++) {
                        double v = xd[o + i], c = y[yo + i];
                        if (v > c || Double.isNaN(v)) y[yo + i] = Double.isNaN(c) ? c : v;
                    }
                } else { // the vector lanes first (y ← y + x row by row, the same sums in the same order), then the tail
                    for (int i = Elementwise.arithmeticLanes(Elementwise.Arith.ADD, y, yo, 1, xd, o, 1, y, yo, len); i < len; i++) y[yo + i] += xd[o + i];
                }
            }
            for (int d = r - 2; d >= 0; d--) {
                yo += ys[d];
                if (++idx[d] < shape[d]) break;
                yo -= ys[d] * shape[d];
                idx[d] = 0;
            }
        }
        return Tensors.adopt(y, outShape);
    }

    /** Permutes axes: out axis i is input axis perm[i]. */
    public static Tensor permute(Tensor x, int[] perm) {
        int[] shape = x.shape();
        int r = shape.length;
        int[] out = new int[r];
        int[] xs = Shape.strides(shape);
        int[] ps = new int[r];
        for (int i = 0; i < r; i++) {
            out[i] = shape[perm[i]];
            ps[i] = xs[perm[i]];
        }
        double[] xd = Tensors.buffer(x);
        double[] y = new double[xd.length];
        if (xd.length == 0) return Tensors.adopt(y, out);
        if (swapsLastTwoOnly(perm)) {
            int rows = shape[r - 2], cols = shape[r - 1], plane = rows * cols;
            for (int o = 0; o < xd.length; o += plane) transposeTiled(xd, o, cols, y, o, rows, cols);
            return Tensors.adopt(y, out);
        }
        int len = out[r - 1], ls = ps[r - 1];
        int[] idx = new int[r];
        int xo = 0;
        for (int o = 0; o < y.length; o += len) {
            for (int i = 0, p = xo; i < len; i++, p += ls) y[o + i] = xd[p];
            for (int d = r - 2; d >= 0; d--) {
                xo += ps[d];
                if (++idx[d] < out[d]) break;
                xo -= ps[d] * out[d];
                idx[d] = 0;
            }
        }
        return Tensors.adopt(y, out);
    }

    private static boolean swapsLastTwoOnly(int[] perm) {
        int r = perm.length;
        if (r < 2 || perm[r - 2] != r - 1 || perm[r - 1] != r - 2) return false;
        for (int i = 0; i < r - 2; i++) if (perm[i] != i) return false;
        return true;
    }

    /**
     * y [cols, rows] (dense) at yo = the transpose of x [rows, cols] at xo with row stride ldx, in 32×32
     * tiles: a plain loop reads or writes with a stride of a whole row and misses the cache on every
     * element once the matrix is large.
     */
    static void transposeTiled(double[] x, int xo, int ldx, double[] y, int yo, int rows, int cols) {
        final int t = 32;
        for (int i0 = 0; i0 < rows; i0 += t) {
            int i1 = Math.min(rows, i0 + t);
            for (int j0 = 0; j0 < cols; j0 += t) {
                int j1 = Math.min(cols, j0 + t);
                for (int j = j0; j < j1; j++) {
                    int yr = yo + j * rows;
                    for (int i = i0; i < i1; i++) y[yr + i] = x[xo + i * ldx + j];
                }
            }
        }
    }

    /**
     * C += A·B for row-major A [m,k] at offset ao, B [k,n] at bo, C [m,n] at co: {@link #gemm(boolean,
     * boolean, double[], int, double[], int, double[], int, int, int, int)} without transposes.
     */
    public static void gemm(double[] a, int ao, double[] b, int bo, double[] c, int co, int m, int k, int n) {
        gemm(false, false, a, ao, b, bo, c, co, m, k, n);
    }

    /**
     * C [m,n] += op(A)·op(B) on dense row-major matrices at offsets: op(A) is A [m,k], or Aᵀ of A stored
     * [k,m] when ta; op(B) is B [k,n], or Bᵀ of B stored [n,k] when tb. The transposed forms read the
     * operand in place, so x·Wᵀ and the rules' C̄·Bᵀ and Aᵀ·C̄ never copy a transpose.
     *
     * <p>Runs {@link VectorGemm} (packed, cache-blocked, fused multiply-adds) when the Vector API is
     * present, else {@link #plainGemm} (and the first call logs {@link #PLAIN_WARNING} when that is for
     * want of the module rather than the user's choice); large products are split by rows or columns over the pool of
     * {@link Parallelism} when the caller set one. Either kernel gives each element of C a sequence of
     * operations that depends on k alone, never on m, on the elements around it, on the transposes or on
     * the thread: stacking tangent directions into one product, or splitting it among threads, gives
     * bitwise the same numbers (the chunk-size and thread independence the tests demand).</p>
     */
    public static void gemm(boolean ta, boolean tb, double[] a, int ao, double[] b, int bo, double[] c, int co, int m, int k, int n) {
        gemm(ta, tb, m, n, k, a, ao, ta ? m : k, b, bo, tb ? k : n, c, co, n);
    }

    /**
     * C [m,n] += op(A)·op(B) on sub-matrices with explicit leading dimensions (row strides): lda, ldb and
     * ldc as in BLAS, for the blocked factorisations of the linear algebra, whose blocks live inside a
     * larger matrix. Otherwise as {@link #gemm(boolean, boolean, double[], int, double[], int, double[], int, int, int, int)}.
     */
    public static void gemm(boolean ta, boolean tb, int m, int n, int k, double[] a, int ao, int lda, double[] b, int bo, int ldb,
            double[] c, int co, int ldc) {
        warnIfPlain();
        if (m == 0 || n == 0 || k == 0) return;
        ParallelGemm.gemm(PICKED, ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, false, false);
    }

    /**
     * C [m,n] = op(A)·op(B) into a region of C that holds zeros (a new array), as {@link #gemm(boolean,
     * boolean, double[], int, double[], int, double[], int, int, int, int)} gives it, bitwise: the kernel may
     * start each sum at zero instead of reading C. A new C is cold in the cache, and reading it stalls the
     * first multiply-adds of every tile: on a Zen 4 a [4160, 128]·[128, 128] product ran 36 GFLOP/s reading C
     * and 41 without (BENCHMARKS.md, issue 18).
     *
     * <p>bImmutable: B is a tensor's buffer and so never changes. The vector kernel may then keep B's packed
     * panels across products ({@link PackCache}: from the second product with the same B, bounded, the same
     * bits). Never for an array that is written later.</p>
     */
    public static void productIntoZeros(boolean ta, boolean tb, double[] a, int ao, double[] b, int bo, double[] c, int co,
            int m, int k, int n, boolean bImmutable) {
        warnIfPlain();
        if (m == 0 || n == 0 || k == 0) return;
        ParallelGemm.gemm(PICKED, ta, tb, m, n, k, a, ao, ta ? m : k, b, bo, tb ? k : n, c, co, n, bImmutable, true);
    }

    /** Logs {@link #PLAIN_WARNING} once, at the first product, when the plain kernel runs for want of the module. */
    private static void warnIfPlain() {
        if (WARN_PLAIN && !WARNED.get() && WARNED.compareAndSet(false, true)) {
            System.getLogger("dev.dualgrad").log(System.Logger.Level.WARNING, PLAIN_WARNING);
        }
    }

    /** The plain kernel behind the Gemm interface: transposed operands are copied to row-major first. */
    private static void plainGemm(boolean ta, boolean tb, int m, int n, int k, double[] a, int ao, int lda, double[] b, int bo, int ldb,
            double[] c, int co, int ldc) {
        if (ta) { // A stored [k, m] → [m, k]
            double[] t = new double[m * k];
            transposeTiled(a, ao, lda, t, 0, k, m);
            a = t;
            ao = 0;
            lda = k;
        }
        if (tb) { // B stored [n, k] → [k, n]
            double[] t = new double[k * n];
            transposeTiled(b, bo, ldb, t, 0, n, k);
            b = t;
            bo = 0;
            ldb = n;
        }
        plainGemm(a, ao, lda, b, bo, ldb, c, co, ldc, m, k, n);
    }

    /**
     * The plain-Java kernel, used when the Vector API is absent: four rows of A and two rows of B at a
     * time, so each pass over a stretch of a C row does two multiply-adds per element and each loaded
     * element of B feeds four rows; the innermost loop runs along contiguous rows of B and C, which the JIT
     * vectorises, and blocks of k (128) and n (512) keep the panel of B in cache. Every element of C gets
     * c += (a_p·b_p + a_{p+1}·b_{p+1}) over the pairs p of each k-block, whether its row is in a group of
     * four or in the tail.
     */
    static void plainGemm(double[] a, int ao, int lda, double[] b, int bo, int ldb, double[] c, int co, int ldc, int m, int k, int n) {
        final int kb = 128, nb = 512;
        for (int j0 = 0; j0 < n; j0 += nb) {
            int j1 = Math.min(n, j0 + nb);
            for (int k0 = 0; k0 < k; k0 += kb) {
                int k1 = Math.min(k, k0 + kb);
                int i = 0;
                for (; i + 4 <= m; i += 4) {
                    int c0 = co + i * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
                    int a0 = ao + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
                    int p = k0;
                    for (; p + 2 <= k1; p += 2) {
                        double x00 = a[a0 + p], x01 = a[a0 + p + 1], x10 = a[a1 + p], x11 = a[a1 + p + 1];
                        double x20 = a[a2 + p], x21 = a[a2 + p + 1], x30 = a[a3 + p], x31 = a[a3 + p + 1];
                        int b0 = bo + p * ldb, b1 = b0 + ldb;
                        for (int j = j0; j < j1; j++) {
                            double u = b[b0 + j], v = b[b1 + j];
                            c[c0 + j] += x00 * u + x01 * v;
                            c[c1 + j] += x10 * u + x11 * v;
                            c[c2 + j] += x20 * u + x21 * v;
                            c[c3 + j] += x30 * u + x31 * v;
                        }
                    }
                    if (p < k1) {
                        double x0 = a[a0 + p], x1 = a[a1 + p], x2 = a[a2 + p], x3 = a[a3 + p];
                        int b0 = bo + p * ldb;
                        for (int j = j0; j < j1; j++) {
                            double u = b[b0 + j];
                            c[c0 + j] += x0 * u;
                            c[c1 + j] += x1 * u;
                            c[c2 + j] += x2 * u;
                            c[c3 + j] += x3 * u;
                        }
                    }
                }
                for (; i < m; i++) { // the tail rows, with the same pairing as above
                    int ci = co + i * ldc, ai = ao + i * lda;
                    int p = k0;
                    for (; p + 2 <= k1; p += 2) {
                        double x0 = a[ai + p], x1 = a[ai + p + 1];
                        int b0 = bo + p * ldb, b1 = b0 + ldb;
                        for (int j = j0; j < j1; j++) c[ci + j] += x0 * b[b0 + j] + x1 * b[b1 + j];
                    }
                    if (p < k1) {
                        double x = a[ai + p];
                        int b0 = bo + p * ldb;
                        for (int j = j0; j < j1; j++) c[ci + j] += x * b[b0 + j];
                    }
                }
            }
        }
    }
}
