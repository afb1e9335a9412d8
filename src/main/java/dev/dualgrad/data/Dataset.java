package dev.dualgrad.data;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;
import org.apache.commons.math3.random.Well19937c;

/**
 * Inputs [N, ...] with one integer class label per row. Labels are an {@code int[]}: data, never
 * differentiated.
 */
public record Dataset(Tensor x, int[] labels) {
    public Dataset {
        if (x.rank() == 0 || x.dim(0) != labels.length) {
            throw new IllegalArgumentException("Dataset: " + labels.length + " labels for inputs of shape " + Arrays.toString(x.shape())
                    + "; give one label per row");
        }
    }

    public int size() {
        return labels.length;
    }

    /** The rows at the given indices, in that order. */
    public Dataset rows(int[] index) {
        int[] s = x.shape();
        int row = x.size() / Math.max(1, s[0]);
        double[] src = Tensors.buffer(x);
        double[] d = new double[index.length * row];
        int[] l = new int[index.length];
        for (int i = 0; i < index.length; i++) {
            System.arraycopy(src, index[i] * row, d, i * row, row);
            l[i] = labels[index[i]];
        }
        s[0] = index.length;
        return new Dataset(Tensors.adopt(d, s), l);
    }

    /** A seeded permutation of 0..n−1 (Fisher–Yates with Well19937c). */
    public static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        Well19937c rng = new Well19937c(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** A seeded split: the first part holds {@code fraction} of the rows, the second the rest. */
    public Dataset[] split(double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) throw new IllegalArgumentException("split: fraction must lie in (0, 1), got " + fraction);
        int[] p = permutation(size(), seed);
        int k = (int) Math.round(fraction * size());
        return new Dataset[] {rows(Arrays.copyOfRange(p, 0, k)), rows(Arrays.copyOfRange(p, k, p.length))};
    }
}
