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

    /** Short last axes and long inner ones: the sums run along a kept axis ({@link Kernels#reduceLineAxis}), in the same order. */
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
            int rank = 1 + r.nextInt(3);
            int[] shape = new int[rank];
            for (int d = 0; d < rank; d++) shape[d] = 1 + r.nextInt(d == rank - 1 ? 10 : 12);
            int n = Arrays.stream(shape).reduce(1, (u, v) -> u * v);
            double[] x = new double[n];
            for (int i = 0; i < n; i++) x[i] = r.nextInt(4) == 0 ? Double.longBitsToDouble(0x7ff8000000000000L | (1 + i)) : r.nextDouble() - 0.5;
            int[] axes = new int[0];
            boolean[] reduced = new boolean[rank];
            for (int d = 0; d < rank; d++) if (reduced[d] = r.nextBoolean()) axes = append(axes, d);
            if (axes.length == 0) {
                reduced[rank - 1] = true;
                axes = append(axes, rank - 1);
            }
            int[] kept = new int[rank];
            for (int d = 0; d < rank; d++) kept[d] = reduced[d] ? 1 : shape[d];
            double[] want = new double[Arrays.stream(kept).reduce(1, (u, v) -> u * v)];
            Arrays.fill(want, Double.NEGATIVE_INFINITY);
            int[] idx = new int[rank];
            for (int o = 0; o < n; o++) {
                int p = 0;
                for (int d = 0; d < rank; d++) p = p * kept[d] + (reduced[d] ? 0 : idx[d]);
                if (!Double.isNaN(want[p]) && (Double.isNaN(x[o]) || x[o] > want[p])) want[p] = x[o];
                for (int d = rank - 1; d >= 0 && ++idx[d] == shape[d]; d--) idx[d] = 0;
            }
            double[] got = Tensor.of(x, shape).max(axes, true).toArray();
            for (int i = 0; i < want.length; i++) {
                assertEquals(Double.doubleToRawLongBits(want[i]), Double.doubleToRawLongBits(got[i]), Arrays.toString(shape) + " over " + Arrays.toString(axes) + " at " + i);
            }
        }
    }

    /** Random shapes (last axis 1..lastMax, the others 1..otherMax) and axis sets, summed, against the row-major definition. */
    private static void check(long seed, int lastMax, int otherMax) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int trial = 0; trial < 400; trial++) {
            int rank = 1 + r.nextInt(4);
            int[] shape = new int[rank];
            for (int d = 0; d < rank; d++) shape[d] = 1 + r.nextInt(d == rank - 1 ? lastMax : otherMax);
            int n = 1;
            for (int s : shape) n *= s;
            double[] x = new double[n];
            for (int i = 0; i < n; i++) x[i] = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-8, 9));
            boolean[] reduced = new boolean[rank];
            int count = 0;
            for (int d = 0; d < rank; d++) if (reduced[d] = r.nextBoolean()) count++;
            if (count == 0) reduced[r.nextInt(rank)] = true;
            int[] axes = new int[0], kept = new int[rank];
            for (int d = 0; d < rank; d++) {
                if (reduced[d]) axes = append(axes, d);
                kept[d] = reduced[d] ? 1 : shape[d];
            }
            double[] want = new double[Arrays.stream(kept).reduce(1, (u, v) -> u * v)], wantMax = new double[want.length];
            Arrays.fill(wantMax, Double.NEGATIVE_INFINITY);
            int[] idx = new int[rank];
            for (int o = 0; o < n; o++) { // row-major over x, each element added to its output in turn
                int p = 0;
                for (int d = 0; d < rank; d++) p = p * kept[d] + (reduced[d] ? 0 : idx[d]);
                want[p] += x[o];
                wantMax[p] = Math.max(wantMax[p], x[o]); // no zeros nor NaN among these values: Math.max is the max
                for (int d = rank - 1; d >= 0 && ++idx[d] == shape[d]; d--) idx[d] = 0;
            }
            assertArrayEquals(wantMax, Tensor.of(x, shape).max(axes, true).toArray(), 0, "max of " + Arrays.toString(shape) + " over " + Arrays.toString(axes));
            Tensor y = Tensor.of(x, shape).sum(axes, true);
            assertArrayEquals(kept, y.shape());
            double[] got = y.toArray();
            for (int i = 0; i < want.length; i++) {
                assertEquals(Double.doubleToLongBits(want[i]), Double.doubleToLongBits(got[i]), Arrays.toString(shape) + " over " + Arrays.toString(axes) + " at " + i);
            }
        }
    }

    private static int[] append(int[] a, int v) {
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }
}
