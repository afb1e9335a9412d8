package dev.dualgrad.testsupport;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import java.util.HashMap;
import java.util.Map;

/** Helpers shared by the random-program tests. */
public final class ReductionGaps {
    private ReductionGaps() {}

    /**
     * The smallest gap between the largest and the second largest entry of a group reduced over the
     * axes marked in {@code red} (∞ if no group has two): a max reduction is differentiable, and its
     * finite differences safe, only where this gap is well above the step.
     */
    public static double topGap(Tensor x, boolean[] red) {
        int[] s = x.shape();
        Map<Integer, double[]> top = new HashMap<>(); // group → {largest, second}
        double[] d = Tensors.buffer(x);
        int[] idx = new int[s.length];
        for (int flat = 0; flat < d.length; flat++) {
            int rem = flat, key = 0;
            for (int i = s.length - 1; i >= 0; i--) {
                idx[i] = rem % s[i];
                rem /= s[i];
            }
            for (int i = 0; i < s.length; i++) key = key * (s[i] + 1) + (red[i] ? s[i] : idx[i]);
            double[] t = top.computeIfAbsent(key, k -> new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY});
            if (d[flat] > t[0]) {
                t[1] = t[0];
                t[0] = d[flat];
            } else if (d[flat] > t[1]) {
                t[1] = d[flat];
            }
        }
        double gap = Double.POSITIVE_INFINITY;
        for (double[] t : top.values()) if (t[1] != Double.NEGATIVE_INFINITY) gap = Math.min(gap, t[0] - t[1]);
        return gap;
    }
}
