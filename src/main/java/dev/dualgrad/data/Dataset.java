package dev.dualgrad.data;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;
import org.apache.commons.math3.random.Well19937c;

/**
 * A classification data set: inputs x of shape [N, ...] (row n is sample n) with one integer class label
 * per row. Labels are an {@code int[]}: data, never differentiated, which is what
 * {@link dev.dualgrad.Loss#crossEntropy(Tensor, int[])} takes.
 *
 * <p>Selections ({@link #rows}, {@link #split}) copy the selected rows into new tensors. Shuffles and
 * splits are seeded, so they are the same on every run and every machine.</p>
 *
 * @param x the inputs, [N, ...]; the tensor is immutable
 * @param labels the class label of each row, N of them; copied in, and {@link #labels()} returns a copy
 */
public record Dataset(Tensor x, int[] labels) {
    /**
     * Checks that there is one label per row.
     *
     * @param x the inputs, [N, ...]
     * @param labels the class label of each row, N of them
     * @throws IllegalArgumentException if x is a scalar or its first dimension is not {@code labels.length}
     * @throws NullPointerException if x or labels is null
     */
    public Dataset {
        Args.nonNull(x, "Dataset", "x");
        Args.nonNull(labels, "Dataset", "labels");
        if (x.rank() == 0 || x.dim(0) != labels.length) {
            throw new IllegalArgumentException("Dataset: " + labels.length + " labels for inputs of shape " + Arrays.toString(x.shape())
                    + "; give one label per row");
        }
        labels = labels.clone(); // a record would otherwise share the caller's array, and hand out its own
    }

    /**
     * The class labels.
     *
     * @return a new array: the label of each row, N of them
     */
    @Override
    public int[] labels() {
        return labels.clone();
    }

    /**
     * The number of rows.
     *
     * @return N
     */
    public int size() {
        return labels.length;
    }

    /**
     * The rows at the given indices, in that order (repeats allowed): x'[i] = x[index[i]] and
     * labels'[i] = labels[index[i]].
     *
     * @param index row indices, each in [0, N)
     * @return a new data set of {@code index.length} rows
     * @throws IndexOutOfBoundsException naming the first index that lies outside [0, N)
     */
    public Dataset rows(int[] index) {
        Args.nonNull(index, "Dataset.rows", "index");
        int[] s = x.shape();
        int row = x.size() / Math.max(1, s[0]);
        double[] src = Tensors.buffer(x);
        double[] d = new double[index.length * row];
        int[] l = new int[index.length];
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= labels.length) {
                throw new IndexOutOfBoundsException("Dataset.rows: index[" + i + "] = " + index[i] + " is not a row of this data set of "
                        + labels.length + " rows; indices must lie in [0, " + labels.length + ")");
            }
        }
        for (int i = 0; i < index.length; i++) {
            System.arraycopy(src, index[i] * row, d, i * row, row);
            l[i] = labels[index[i]];
        }
        s[0] = index.length;
        return new Dataset(Tensors.adopt(d, s), l);
    }

    /**
     * A seeded uniform random permutation of 0..n−1: the Fisher–Yates shuffle driven by commons-math's
     * Well19937c generator seeded with {@code seed}. The same seed gives the same permutation everywhere.
     *
     * @param n the number of elements, ≥ 0
     * @param seed the generator's seed
     * @return the permutation, a new array of n distinct indices
     * @throws NegativeArraySizeException if n &lt; 0
     */
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

    /**
     * A seeded random split into two parts. With p = {@link #permutation(int, long) permutation(N, seed)}
     * and k = round(fraction·N), the first part holds the rows p[0..k) and the second the rows p[k..N), each
     * in permutation order.
     *
     * @param fraction the share of the rows in the first part, in (0, 1)
     * @param seed the seed of the permutation
     * @return the two parts, {first, second}; either can be empty for a tiny data set
     * @throws IllegalArgumentException if fraction is not strictly between 0 and 1
     */
    public Dataset[] split(double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) throw new IllegalArgumentException("split: fraction must lie in (0, 1), got " + fraction);
        int[] p = permutation(size(), seed);
        int k = (int) Math.round(fraction * size());
        return new Dataset[] {rows(Arrays.copyOfRange(p, 0, k)), rows(Arrays.copyOfRange(p, k, p.length))};
    }
}
