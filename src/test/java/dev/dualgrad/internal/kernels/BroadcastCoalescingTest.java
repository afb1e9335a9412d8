package dev.dualgrad.internal.kernels;

import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Broadcast arithmetic merges axes that both operands step through as one ({@link Kernels#coalesced}); these tests
 * hold it to element-by-element arithmetic on multi-indices, written here without strides or merged axes.
 */
class BroadcastCoalescingTest {
    /** The element of {@code shape} (right-aligned to {@code out}) that broadcasting reads at out's multi-index. */
    private static int source(int[] shape, int[] out, int[] index) {
        int e = 0;
        for (int i = 0; i < shape.length; i++) {
            int d = index[out.length - shape.length + i];
            e = e * shape[i] + (shape[i] == 1 ? 0 : d);
        }
        return e;
    }

    private static double[] reference(double[] a, int[] as, double[] b, int[] bs, int[] out, char op) {
        int n = 1;
        for (int d : out) n *= d;
        double[] y = new double[n];
        int[] index = new int[out.length];
        for (int o = 0; o < n; o++) {
            for (int d = out.length - 1, q = o; d >= 0; d--) { // o's multi-index, row-major
                index[d] = q % out[d];
                q /= out[d];
            }
            double u = a[source(as, out, index)], v = b[source(bs, out, index)];
            y[o] = op == '+' ? u + v : op == '-' ? u - v : op == '*' ? u * v : u / v;
        }
        return y;
    }

    /** A random shape of rank 0..4 with lengths 1..4, and one that broadcasts with it (some axes 1, some dropped on the left). */
    @Test
    void everyBroadcastOfSmallShapesMatchesElementByElementArithmetic() {
        SplittableRandom r = new SplittableRandom(21);
        for (int trial = 0; trial < 600; trial++) {
            int rank = r.nextInt(5);
            int[] out = new int[rank];
            for (int d = 0; d < rank; d++) out[d] = 1 + r.nextInt(4);
            int[] as = operand(out, r), bs = operand(out, r);
            int[] full = broadcastShape(as, bs);
            Tensor a = TensorRandom.seed(trial).normal(as), b = TensorRandom.seed(1000 + trial).normal(bs).add(3);
            for (char op : new char[] {'+', '-', '*', '/'}) {
                Tensor y = op == '+' ? a.add(b) : op == '-' ? a.sub(b) : op == '*' ? a.mul(b) : a.div(b);
                String what = Arrays.toString(as) + " " + op + " " + Arrays.toString(bs);
                assertArrayEquals(full, y.shape(), what);
                assertArrayEquals(reference(a.toArray(), as, b.toArray(), bs, full, op), y.toArray(), 0, what);
            }
        }
    }

    /** The shapes of forward mode: a tangent [k, m, n] against a primal [m, n], a row [n] and a column [m, 1]. */
    @Test
    void tangentAgainstPrimalShapes() {
        int[] t = {5, 7, 9};
        Tensor tangent = TensorRandom.seed(1).normal(t);
        for (int[] s : new int[][] {{7, 9}, {9}, {7, 1}, {5, 1, 9}, {5, 7, 1}, {1, 1, 1}, {}}) {
            Tensor p = TensorRandom.seed(2).normal(s);
            assertArrayEquals(reference(tangent.toArray(), t, p.toArray(), s, t, '*'), tangent.mul(p).toArray(), 0, Arrays.toString(s));
            assertArrayEquals(reference(p.toArray(), s, tangent.toArray(), t, t, '-'), p.sub(tangent).toArray(), 0, Arrays.toString(s));
        }
    }

    @Test
    void coalescedMergesWhatStepsAsOneAxisAndKeepsTheRest() {
        // [5, 7, 9] against [7, 9]: two rows-of-63 axes, a's strides 63, 1; b's 0, 1
        int[][] c = Kernels.coalesced(new int[] {5, 7, 9}, new int[] {63, 9, 1}, new int[] {0, 9, 1}, 1 << 14);
        assertArrayEquals(new int[] {5, 63}, c[0]);
        assertArrayEquals(new int[] {63, 1}, c[1]);
        assertArrayEquals(new int[] {0, 1}, c[2]);
        // [5, 7, 9] against [5, 1, 9]: nothing merges but the length-1-free axes
        c = Kernels.coalesced(new int[] {5, 7, 9}, new int[] {63, 9, 1}, new int[] {9, 0, 1}, 1 << 14);
        assertArrayEquals(new int[] {5, 7, 9}, c[0]);
        // axes of length 1 are dropped; all of them: one element
        c = Kernels.coalesced(new int[] {1, 4, 1}, new int[] {4, 1, 1}, new int[] {0, 0, 1}, 1 << 14);
        assertArrayEquals(new int[] {4}, c[0]);
        assertArrayEquals(new int[] {1}, c[1]);
        assertArrayEquals(new int[] {0}, c[2]);
        assertEquals(1, Kernels.coalesced(new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0}, 1 << 14)[0][0]);
        // rows stay within the cap, so that the pool has rows to split: [3, 100, 100] against [100, 100], cap 5,000
        c = Kernels.coalesced(new int[] {3, 100, 100}, new int[] {10_000, 100, 1}, new int[] {0, 100, 1}, 5_000);
        assertArrayEquals(new int[] {3, 100, 100}, c[0]);
        c = Kernels.coalesced(new int[] {3, 100, 100}, new int[] {10_000, 100, 1}, new int[] {0, 100, 1}, 10_000);
        assertArrayEquals(new int[] {3, 10_000}, c[0]);
    }

    /**
     * A last axis shorter than {@link Kernels#SHORT_ROW} makes another axis the row kernel's ({@link Kernels#lineAxis}):
     * shapes with short last axes and long inner ones, each operand broadcast on some axes, against the reference.
     */
    @Test
    void shortLastAxesRunAlongALongerAxisWithTheSameValues() {
        SplittableRandom r = new SplittableRandom(8);
        for (int trial = 0; trial < 300; trial++) {
            int rank = 2 + r.nextInt(3);
            int[] out = new int[rank];
            for (int d = 0; d < rank; d++) out[d] = d == rank - 1 ? 1 + r.nextInt(Kernels.SHORT_ROW - 1) : 1 + r.nextInt(20);
            int[] as = operand(out, r), bs = operand(out, r);
            int[] full = broadcastShape(as, bs);
            Tensor a = TensorRandom.seed(trial).normal(as), b = TensorRandom.seed(500 + trial).normal(bs).add(3);
            for (char op : new char[] {'+', '-', '*', '/'}) {
                Tensor y = op == '+' ? a.add(b) : op == '-' ? a.sub(b) : op == '*' ? a.mul(b) : a.div(b);
                assertArrayEquals(reference(a.toArray(), as, b.toArray(), bs, full, op), y.toArray(), 0, Arrays.toString(as) + " " + op + " " + Arrays.toString(bs));
            }
        }
    }

    @Test
    void theLineAxisIsTheInnermostLongAxis() {
        assertEquals(2, Kernels.lineAxis(new int[] {256, 256, 8})); // long enough: the last
        assertEquals(1, Kernels.lineAxis(new int[] {256, 256, 2})); // pairwise differences of 2-vectors
        assertEquals(0, Kernels.lineAxis(new int[] {300, 3, 2}));
        assertEquals(2, Kernels.lineAxis(new int[] {3, 2, 5})); // nothing long: the last
    }

    /** Pairwise differences x[n, 1, 2] − x[1, n, 2], large enough to be split over the pool by lines, are bitwise the reference on one and two threads. */
    @Test
    void largePairwiseDifferencesAreTheSameOnEveryThreadCount() {
        Tensor x = TensorRandom.seed(6).normal(400, 2);
        Tensor a = x.unsqueeze(1), b = x.unsqueeze(0);
        int[] out = {400, 400, 2};
        double[] reference = reference(x.toArray(), new int[] {400, 1, 2}, x.toArray(), new int[] {1, 400, 2}, out, '-');
        assertSameOnOneAndTwoThreads(reference, () -> a.sub(b).toArray());
    }

    /** A broadcast large enough for the pool, split by rows over two threads, is bitwise the one-thread result and the reference. */
    @Test
    void largeBroadcastsAreTheSameOnEveryThreadCount() {
        int[] t = {3, 300, 300};
        Tensor tangent = TensorRandom.seed(3).normal(t), p = TensorRandom.seed(4).normal(300, 300);
        double[] reference = reference(tangent.toArray(), t, p.toArray(), new int[] {300, 300}, t, '*');
        assertSameOnOneAndTwoThreads(reference, () -> tangent.mul(p).toArray());
    }

    private static void assertSameOnOneAndTwoThreads(double[] reference, java.util.function.Supplier<double[]> f) {
        double[] one = dev.dualgrad.tensor.Parallelism.singleThreaded(f);
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(2);
        double[] two;
        try {
            two = dev.dualgrad.tensor.Parallelism.with(pool, f);
        } finally {
            pool.shutdown();
        }
        assertArrayEquals(reference, one, 0);
        assertArrayEquals(reference, two, 0);
    }

    private static int[] operand(int[] out, SplittableRandom r) {
        int drop = r.nextInt(out.length + 1);
        int[] s = Arrays.copyOfRange(out, drop, out.length);
        for (int d = 0; d < s.length; d++) if (r.nextInt(3) == 0) s[d] = 1;
        return s;
    }

    private static int[] broadcastShape(int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.length ? 1 : a[i - (r - a.length)], db = i < r - b.length ? 1 : b[i - (r - b.length)];
            out[i] = Math.max(da, db);
        }
        return out;
    }
}
