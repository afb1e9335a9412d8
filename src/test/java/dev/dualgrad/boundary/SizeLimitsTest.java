package dev.dualgrad.boundary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.JacobianPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Issue 11, item 7: element counts are computed exactly. A shape holding more than 2³¹ − 1 elements is
 * refused with an IllegalArgumentException naming the limit, never accepted with a wrapped size (65536⁴ =
 * 2⁶⁴ wraps a long to 0) nor left to a NegativeArraySize or ArrayIndexOutOfBounds deep inside.
 * The shapes here are chosen so that a correct implementation refuses them before allocating anything:
 * none of these tests needs memory.
 */
class SizeLimitsTest {
    private static final int[] HUGE4 = {65536, 65536, 65536, 65536}; // 2⁶⁴ elements: a long product wraps to 0

    /** The refusal every overflow must give: an IAE whose message names the limit. */
    private static void refusedAtTheLimit(Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains("2³¹ − 1"), x.getMessage());
    }

    @Test
    void aBroadcastOfTwoToTheSixtyFourElementsIsRefusedNotSummedToZero() {
        refusedAtTheLimit(() -> Tensor.scalar(1).broadcastTo(HUGE4).sum());
        refusedAtTheLimit(() -> Tensor.scalar(1).broadcastTo(65536, 65536));
    }

    @Test
    void factoriesRefuseShapesWhoseProductWraps() {
        refusedAtTheLimit(() -> Tensor.zeros(HUGE4));
        refusedAtTheLimit(() -> Tensor.ones(HUGE4));
        refusedAtTheLimit(() -> Tensor.full(2, HUGE4));
        refusedAtTheLimit(() -> Tensor.of(new double[0], HUGE4));
        refusedAtTheLimit(() -> TensorRandom.seed(1).normal(HUGE4));
        refusedAtTheLimit(() -> TensorRandom.seed(1).uniform(0, 1, HUGE4));
        refusedAtTheLimit(() -> Tensor.eye(46341)); // 46341² = 2147488281 > 2³¹ − 1
    }

    @Test
    void anEmptyAxisMakesAnyShapeEmpty() {
        // NumPy: np.zeros((65536,)*4 + (0,)) has size 0; the product of the other axes is never the size
        Tensor z = Tensor.zeros(65536, 65536, 65536, 65536, 0);
        assertEquals(0, z.size());
        assertEquals(0.0, z.sum().item());
        // reshape's inferred axis: the known product saturates instead of wrapping to 0
        assertArrayEquals(new int[] {65536, 65536, 65536, 65536, 0}, Tensor.zeros(0).reshape(65536, 65536, 65536, 65536, -1).shape());
    }

    @Test
    void padWithHugeWidthsIsRefused() {
        refusedAtTheLimit(() -> Tensor.ones(3).pad(0, Integer.MAX_VALUE, 5)); // the axis would be 2³¹ + 7
        refusedAtTheLimit(() -> Tensor.zeros(0, 3).pad(1, Integer.MAX_VALUE, 5)); // empty, but the axis itself overflows
        refusedAtTheLimit(() -> Tensor.ones(2, 2).pad(0, 1 << 30, 0)); // (2³⁰ + 2)·2 elements
    }

    @Test
    void anOuterProductOfFiftyThousandByFiftyThousandIsRefused() {
        Tensor col = Tensor.ones(50000, 1), row = Tensor.ones(1, 50000); // 2.5·10⁹ elements
        refusedAtTheLimit(() -> col.matmul(row));
        refusedAtTheLimit(() -> col.mul(row));
        refusedAtTheLimit(() -> Tensor.ones(50000).unsqueeze(0).matmul(row, true, false));
        refusedAtTheLimit(() -> Tensor.ones(50000).scatter(new int[50000], 50000));
    }

    @Test
    void concatenatedAxesThatOverflowAreRefused() {
        Tensor a = Tensor.zeros(0, 1 << 30); // empty, but its axis 1 has 2³⁰
        refusedAtTheLimit(() -> Tensor.concat(1, a, a)); // 2³¹ along axis 1 does not fit an int
        assertArrayEquals(new int[] {2, 0, 1 << 30}, Tensor.stack(0, a, a).shape()); // 0 elements: fine
    }

    @Test
    void aChunkSizeOfIntegerMaxValueIsOnePass() {
        JacobianOptions o = JacobianOptions.defaults().chunkSize(Integer.MAX_VALUE);
        for (JacobianMode mode : new JacobianMode[] {JacobianMode.REVERSE, JacobianMode.FORWARD}) {
            JacobianPlan p = Diff.jacobianWithPlan(x -> x.mul(2), Tensor.ones(3), o.mode(mode)).plan();
            assertEquals(1, p.passes(), mode + ": " + p);
        }
        assertArrayEquals(new double[] {2, 0, 0, 0, 2, 0, 0, 0, 2},
                Diff.jacobian(x -> x.mul(2), Tensor.ones(3), o.mode(JacobianMode.REVERSE)).toArray(), 0);
        assertArrayEquals(new double[] {2, 0, 0, 0, 2, 0, 0, 0, 2}, Diff.hessian(x -> x.square().sum(), Tensor.ones(3), o).toArray(), 0);
    }
}
