package dev.dualgrad.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Sums (and maxima) over any set of axes against their definition, bitwise: each output element is the sum of its inputs taken
 * in row-major order, starting from +0.0, whatever the vector lanes do with rows of the last axis. Shapes whose
 * last axis is below, at and above a vector's width; values of mixed magnitude, so another order would round
 * differently.
 */
class AxisSumTest {
    @Test
    void everyAxisSetSumsInRowMajorOrder() {
        check(17, 40, 5);
    }

    /**
     * Short last axes and long inner ones: the sums run along a kept axis ({@link Kernels#reduceLineAxis}) or, over a
     * middle run of axes before a short kept tail, per output in a register; in the same order either way.
     */
    @Test
    void shortLastAxesSumInRowMajorOrderToo() {
        check(23, Kernels.SHORT_ROW - 1, 20);
        assertEquals(1, Kernels.reduceLineAxis(new int[] {256, 256, 2}, new int[] {256, 1, 0})); // sum(-1) of pairwise differences
        assertEquals(-1, Kernels.reduceLineAxis(new int[] {256, 256, 2}, new int[] {2, 0, 1})); // along axis 0 x's stride is 512
        assertEquals(-1, Kernels.reduceLineAxis(new int[] {256, 8}, new int[] {1, 0})); // the last axis is long enough
    }

    /**
     * A max over any axes is the first NaN of its inputs in row-major order when there is one (NaNs told apart by their
     * payloads), on every path: rows of the last axis, lines along a kept axis, the last axis reduced or kept.
     */
    @Test
    void maxKeepsTheFirstNaNInRowMajorOrder() {
        SplittableRandom r = new SplittableRandom(31);
        for (int trial = 0; trial < 400; trial++) {
            Case c = Case.random(r, 3, 10, 12);
            double[] x = new double[c.size()];
            for (int i = 0; i < x.length; i++) x[i] = r.nextInt(4) == 0 ? Double.longBitsToDouble(0x7ff8000000000000L | (1 + i)) : r.nextDouble() - 0.5;
            double[] want = new double[c.outputs()];
            Arrays.fill(want, Double.NEGATIVE_INFINITY);
            int[] out = c.outputOf();
            for (int o = 0; o < x.length; o++) {
                if (!Double.isNaN(want[out[o]]) && (Double.isNaN(x[o]) || x[o] > want[out[o]])) want[out[o]] = x[o];
            }
            double[] got = Tensor.of(x, c.shape).max(c.axes, true).toArray();
            for (int i = 0; i < want.length; i++) {
                assertEquals(Double.doubleToRawLongBits(want[i]), Double.doubleToRawLongBits(got[i]), c + " at " + i);
            }
        }
    }

    /** Random shapes (last axis 1..lastMax, the others 1..otherMax) and axis sets, summed, against the row-major definition. */
    private static void check(long seed, int lastMax, int otherMax) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int trial = 0; trial < 400; trial++) {
            Case c = Case.random(r, 4, lastMax, otherMax);
            double[] x = new double[c.size()];
            for (int i = 0; i < x.length; i++) x[i] = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-8, 9));
            double[] want = new double[c.outputs()], wantMax = new double[want.length];
            Arrays.fill(wantMax, Double.NEGATIVE_INFINITY);
            int[] out = c.outputOf();
            for (int o = 0; o < x.length; o++) { // row-major over x, each element added to its output in turn
                want[out[o]] += x[o];
                wantMax[out[o]] = Math.max(wantMax[out[o]], x[o]); // no zeros nor NaN among these values: Math.max is the max
            }
            assertArrayEquals(wantMax, Tensor.of(x, c.shape).max(c.axes, true).toArray(), 0, "max of " + c);
            Tensor y = Tensor.of(x, c.shape).sum(c.axes, true);
            assertArrayEquals(c.kept, y.shape());
            double[] got = y.toArray();
            for (int i = 0; i < want.length; i++) {
                assertEquals(Double.doubleToLongBits(want[i]), Double.doubleToLongBits(got[i]), c + " at " + i);
            }
        }
    }

    /** A shape, the axes reduced (at least one), and the kept shape (1 on the reduced axes). */
    private record Case(int[] shape, int[] axes, int[] kept) {
        static Case random(SplittableRandom r, int maxRank, int lastMax, int otherMax) {
            int rank = 1 + r.nextInt(maxRank);
            int[] shape = new int[rank], kept = new int[rank], axes = new int[0];
            for (int d = 0; d < rank; d++) shape[d] = 1 + r.nextInt(d == rank - 1 ? lastMax : otherMax);
            boolean[] reduced = new boolean[rank];
            for (int d = 0; d < rank; d++) reduced[d] = r.nextBoolean();
            reduced[r.nextInt(rank)] |= !contains(reduced);
            for (int d = 0; d < rank; d++) {
                if (reduced[d]) axes = append(axes, d);
                kept[d] = reduced[d] ? 1 : shape[d];
            }
            return new Case(shape, axes, kept);
        }

        int size() { return Arrays.stream(shape).reduce(1, (u, v) -> u * v); }

        int outputs() { return Arrays.stream(kept).reduce(1, (u, v) -> u * v); }

        /** For each element of x, in row-major order, the index of the output it belongs to: its multi-index with the reduced axes at 0. */
        int[] outputOf() {
            int[] out = new int[size()], idx = new int[shape.length];
            for (int o = 0; o < out.length; o++) {
                for (int d = 0; d < shape.length; d++) out[o] = out[o] * kept[d] + (kept[d] == 1 ? 0 : idx[d]);
                for (int d = shape.length - 1; d >= 0 && ++idx[d] == shape[d]; d--) idx[d] = 0;
            }
            return out;
        }

        @Override
        public String toString() { return Arrays.toString(shape) + " over " + Arrays.toString(axes); }

        private static boolean contains(boolean[] b) {
            for (boolean v : b) if (v) return true;
            return false;
        }
    }

    private static int[] append(int[] a, int v) {
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }
}
