package dev.dualgrad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.dualgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Size-0 axes broadcast as NumPy does: 0 against 1 (or a missing axis) is 0, never 1. Found by the
 * random-composition tests: the old rule took the larger size and read past an empty array.
 */
class EmptyTensorsTest {
    @Test
    void anEmptyAxisBroadcastsAgainstASizeOneAxisToEmpty() {
        assertArrayEquals(new int[] {0}, Tensor.zeros(0).add(1.0).shape());
        assertArrayEquals(new int[] {0}, Tensor.ones(1).add(Tensor.zeros(0)).shape());
        assertArrayEquals(new int[] {0, 3}, Tensor.zeros(0, 3).mul(Tensor.ones(1, 3)).shape());
        assertArrayEquals(new int[] {2, 0}, Tensor.ones(2, 1).sub(Tensor.zeros(0)).shape());
    }

    @Test
    void derivativesThroughEmptyTensorsHaveTheRightShapes() {
        Tensor g = Diff.grad(z -> z.mul(2.0).sum(), Tensor.zeros(0));
        assertArrayEquals(new int[] {0}, g.shape());
        assertArrayEquals(new int[] {0, 0}, Diff.jacobian(z -> z.mul(2.0), Tensor.zeros(0)).shape());
        // the size-1 operand's gradient sums over the empty axis: zeros of its own shape
        Tensor gb = Diff.grad(b -> Tensor.zeros(0, 3).mul(b).sum(), Tensor.ones(1, 3));
        assertArrayEquals(new int[] {1, 3}, gb.shape());
        assertArrayEquals(new double[3], gb.toArray(), 0);
    }

    @Test
    void zeroTangentDirections() {
        assertArrayEquals(new int[] {0}, Diff.jvpBatched(z -> z.neg(), Tensor.scalar(1), Tensor.zeros(0)).tangent().shape());
        assertArrayEquals(new int[] {0, 3}, Diff.jvpBatched(z -> z.pow(0.0), Tensor.vector(1, 2, 3), Tensor.zeros(0, 3)).tangent().shape());
    }
}
