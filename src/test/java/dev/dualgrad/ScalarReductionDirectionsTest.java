package dev.dualgrad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: reducing a 0-d tensor while k ≥ 2 tangent directions are carried must not reduce over the
 * directions. Each expected value below is worked out by hand from the function's formula.
 */
class ScalarReductionDirectionsTest {
    private static final Tensor X = Tensor.vector(1, 2, 3);
    private static final Tensor V = Tensor.of(new double[] {1, 0, 0, 0, 1, 0}, 2, 3);

    @Test
    void jvpBatchedOfSumOfSumGivesOneJvpPerDirection() {
        // f = Σx, so each JVP is Σv: rows of V sum to 1 and 1.
        Tensor t = Diff.jvpBatched(z -> z.sum().sum(), X, V).tangent();
        assertArrayEquals(new int[] {2}, t.shape());
        assertArrayEquals(new double[] {1, 1}, t.toArray(), 0);
    }

    @Test
    void jvpBatchedOfMeanAndMaxOfAScalar() {
        // mean and max of a 0-d value are that value: f = 2·Σx, JVPs 2·Σv = [2, 2]; g = max x, JVP v_argmax.
        assertArrayEquals(new double[] {2, 2}, Diff.jvpBatched(z -> z.sum().mul(2).mean(), X, V).tangent().toArray(), 0);
        assertArrayEquals(new double[] {0, 0}, Diff.jvpBatched(z -> z.max().max(), X, V).tangent().toArray(), 0);
        Tensor w = Tensor.of(new double[] {0, 0, 1, 1, 0, 0}, 2, 3);
        assertArrayEquals(new double[] {1, 0}, Diff.jvpBatched(z -> z.max().max().mean().sum(), X, w).tangent().toArray(), 0);
    }

    @Test
    void forwardJacobianOfXMinusSumOfSum() {
        // f(z) = z − Σz: J = I − 11ᵀ.
        double[] expected = {0, -1, -1, -1, 0, -1, -1, -1, 0};
        for (JacobianMode mode : JacobianMode.values()) {
            for (int chunk : new int[] {0, 1, 2, 3}) {
                Tensor j = Diff.jacobian(z -> z.sub(z.sum().sum()), X, JacobianOptions.defaults().mode(mode).chunkSize(chunk));
                assertArrayEquals(new int[] {3, 3}, j.shape(), mode + " chunk " + chunk);
                assertArrayEquals(expected, j.toArray(), 0, mode + " chunk " + chunk);
            }
        }
    }

    @Test
    void forwardJacobianOfAScalarFunctionOfAScalar() {
        // f(z) = Σz · z = z² at z = 2: J = 2z = 4, shape [] × [] = [].
        for (JacobianMode mode : JacobianMode.values()) {
            Tensor j = Diff.jacobian(z -> z.sum().mul(z), Tensor.scalar(2), JacobianOptions.defaults().mode(mode));
            assertArrayEquals(new int[0], j.shape(), mode.toString());
            assertEquals(4.0, j.item(), 0, mode.toString());
        }
    }

    @Test
    void hessianOfSquaredSum() {
        // f = (Σz)²: H = 2·11ᵀ.
        Tensor h = Diff.hessian(z -> z.sum().sum().square(), X);
        assertArrayEquals(new int[] {3, 3}, h.shape());
        double[] two = new double[9];
        java.util.Arrays.fill(two, 2);
        assertArrayEquals(two, h.toArray(), 0);
    }

    @Test
    void anEmptyAxisListReducesNothing() {
        Tensor a = Tensor.of(new double[] {1, -2, 3, -0.0}, 2, 2);
        assertArrayEquals(a.toArray(), a.sum(new int[0], false).toArray(), 0);
        assertArrayEquals(new int[] {2, 2}, a.mean(new int[0], true).shape());
        assertArrayEquals(a.toArray(), a.max(new int[0], false).toArray(), 0);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(a.sum(new int[0], false).toArray()[3]));
        assertEquals(2.0, a.sum().item(), 0);
    }
}
