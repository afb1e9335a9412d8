package dev.dualgrad.internal.ops.linalg;

import dev.dualgrad.internal.engine.Pattern;
import dev.dualgrad.internal.engine.Shape;

/**
 * The leading (batch) axes of matrix operands: which matrix of an operand each matrix of the broadcast
 * batch uses. An operand [b..., r, c] holds Shape.size(b) matrices of r·c entries, one after another.
 */
final class Batch {
    private Batch() {}

    /** The batch axes of a shape of rank ≥ 2. */
    static int[] of(int[] shape) {
        return Shape.prefix(shape, shape.length - 2);
    }

    /** For each matrix of {@code batch} (row-major order), the index of the matrix of an operand with batch axes {@code b}. */
    static int[] indices(int[] b, int[] batch) {
        int count = Shape.size(batch);
        int[] strides = Shape.broadcastStrides(b, batch), idx = new int[batch.length], out = new int[count];
        int at = 0;
        for (int i = 0; i < count; i++) {
            out[i] = at;
            for (int d = batch.length - 1; d >= 0; d--) {
                at += strides[d];
                if (++idx[d] < batch[d]) break;
                at -= strides[d] * batch[d];
                idx[d] = 0;
            }
        }
        return out;
    }

    /** Which entries (r, c) of an n×n matrix an op reads. */
    enum Entries { ALL, LOWER, UPPER, STRICTLY_LOWER, STRICTLY_UPPER;

        boolean has(int r, int c) {
            switch (this) {
                case LOWER: return c <= r;
                case UPPER: return c >= r;
                case STRICTLY_LOWER: return c < r;
                case STRICTLY_UPPER: return c > r;
                default: return true;
            }
        }
    }

    /**
     * For each matrix of an operand [b..., rows, cols] with pattern p, the union of the patterns of the
     * entries it reads: what every output of a dense matrix function of that matrix may depend on.
     */
    static int[][] unions(Pattern p, int[] shape, Entries read) {
        int rows = shape[shape.length - 2], cols = shape[shape.length - 1], count = Shape.size(of(shape));
        Pattern.Union u = new Pattern.Union(p.universe());
        int[][] r = new int[count][];
        for (int q = 0; q < count; q++) {
            u.clear();
            for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) if (read.has(i, j)) u.add(p.row((q * rows + i) * cols + j));
            r[q] = u.result();
        }
        return r;
    }

    /**
     * The pattern of a matrix function applied to each matrix of its one operand, {@code per} outputs per
     * matrix: output element o of batch entry o / per depends on the entries of that matrix read (entries
     * for which {@code zero} holds, by their index within the batch entry, are constant zeros).
     */
    static Pattern blocks(Pattern p, int[] shape, Entries read, int outSize, int per, java.util.function.IntPredicate zero) {
        int[][] u = unions(p, shape, read);
        int[][] out = new int[outSize][];
        for (int o = 0; o < outSize; o++) out[o] = zero != null && zero.test(o % per) ? Pattern.NONE : u[o / per];
        return Pattern.of(p.universe(), out);
    }
}
