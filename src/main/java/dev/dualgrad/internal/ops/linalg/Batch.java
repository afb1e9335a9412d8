package dev.dualgrad.internal.ops.linalg;

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
}
