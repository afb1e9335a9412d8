package dev.dualgrad.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Sums over any set of axes against their definition, bitwise: each output element is the sum of its inputs taken
 * in row-major order, starting from +0.0, whatever the vector lanes do with rows of the last axis. Shapes whose
 * last axis is below, at and above a vector's width; values of mixed magnitude, so another order would round
 * differently.
 */
class AxisSumTest {
    @Test
    void everyAxisSetSumsInRowMajorOrder() {
        SplittableRandom r = new SplittableRandom(17);
        for (int trial = 0; trial < 400; trial++) {
            int rank = 1 + r.nextInt(4);
            int[] shape = new int[rank];
            for (int d = 0; d < rank; d++) shape[d] = 1 + r.nextInt(d == rank - 1 ? 40 : 5);
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
            double[] want = new double[Arrays.stream(kept).reduce(1, (u, v) -> u * v)];
            int[] idx = new int[rank];
            for (int o = 0; o < n; o++) { // row-major over x, each element added to its output in turn
                int p = 0;
                for (int d = 0; d < rank; d++) p = p * kept[d] + (reduced[d] ? 0 : idx[d]);
                want[p] += x[o];
                for (int d = rank - 1; d >= 0 && ++idx[d] == shape[d]; d--) idx[d] = 0;
            }
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
