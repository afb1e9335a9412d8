package dev.dualgrad.internal.sparsity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.TensorFunction;
import org.junit.jupiter.api.Test;

/** Detected patterns of functions whose structure is known by hand. */
class DetectionTest {
    static Tensor rosenbrock(Tensor z) {
        int n = z.size();
        Tensor a = z.slice(0, 1, n), b = z.slice(0, 0, n - 1);
        return a.sub(b.square()).square().mul(100).add(Tensor.scalar(1).sub(b).square()).sum();
    }

    static Tensor ramp(int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = 0.3 + 0.1 * i;
        return Tensor.vector(d);
    }

    @Test
    void rosenbrockHessianIsTridiagonal() {
        int n = 7;
        int[][] rows = Detection.hessianRows("test", DetectionTest::rosenbrock, ramp(n));
        for (int i = 0; i < n; i++) {
            int lo = Math.max(0, i - 1), hi = Math.min(n - 1, i + 1);
            int[] want = new int[hi - lo + 1];
            for (int j = lo; j <= hi; j++) want[j - lo] = j;
            assertArrayEquals(want, rows[i], "row " + i);
        }
    }

    @Test
    void elementwiseJacobianIsDiagonalAndShiftsAreBands() {
        int n = 5;
        int[][] diag = Detection.jacobianRows("test", z -> z.tanh().mul(z), ramp(n));
        for (int i = 0; i < n; i++) assertArrayEquals(new int[] {i}, diag[i]);
        TensorFunction diff = z -> z.slice(0, 1, n).sub(z.slice(0, 0, n - 1));
        int[][] band = Detection.jacobianRows("test", diff, ramp(n));
        assertEquals(n - 1, band.length);
        for (int i = 0; i < n - 1; i++) assertArrayEquals(new int[] {i, i + 1}, band[i]);
    }

    @Test
    void aConstantOutputHasAnEmptyPattern() {
        int[][] rows = Detection.jacobianRows("test", z -> Tensor.ones(3), Tensor.ones(2));
        for (int[] r : rows) assertEquals(0, r.length);
    }

    @Test
    void nonScalarHessianIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Detection.hessianRows("test", z -> z, Tensor.ones(2)));
    }
}
