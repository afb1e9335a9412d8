package dev.dualgrad.internal.engine;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.LaplacianResult;
import dev.dualgrad.transforms.TensorFunction;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The finiteness a tensor keeps ({@link Tensors#allFinite}, {@link Tensors#adoptFinite}): the strong-zero products
 * take the IEEE product on its word, so a tensor marked finite that holds an ∞ would turn 0·∞ into NaN.
 */
class FinitenessTest {
    @Test
    void theAnswerIsTheScansAndStaysIt() {
        Tensor finite = Tensor.of(new double[] {1, -2, 1e308, -0.0}, 4);
        Tensor inf = Tensor.of(new double[] {1, Double.NEGATIVE_INFINITY, 3}, 3), nan = Tensor.of(new double[] {Double.NaN}, 1);
        for (int i = 0; i < 2; i++) { // the second answer is the kept one
            assertTrue(Tensors.allFinite(finite));
            assertFalse(Tensors.allFinite(inf));
            assertFalse(Tensors.allFinite(nan));
            assertTrue(Tensors.allFinite(Tensor.zeros(0)));
        }
    }

    /**
     * The fused elementwise Laplacian rule takes the plain products when f′ and Σ_d J_d² are finite, but f′·J_d
     * can still overflow: J = 1e154 (J² finite) against f′ = 1e155, with f″ = 0 so that L stays finite. The
     * stack must not be marked finite then.
     */
    @Test
    void aRuleResultThatOverflowsIsNotMarkedFinite() {
        Tensor s = Tensor.of(new double[] {1e154, 3, 0, 0}, 2, 2); // J = [1e154, 3], L = [0, 0]
        Tensor d1 = Tensor.of(new double[] {1e155, 2}, 2), d2 = Tensor.zeros(2);
        Tensor y = LaplacianRules.elementwise(s, d1, d2);
        assertEquals(Double.POSITIVE_INFINITY, y.get(0, 0), 0.0);
        assertEquals(0.0, y.get(1, 0), 0.0);
        assertFalse(Tensors.allFinite(y), "an ∞ inside, whatever the rule saw");
        Tensor ok = LaplacianRules.elementwise(Tensor.of(new double[] {1e100, 3, 1, 0}, 2, 2), Tensor.of(new double[] {1e100, 2}, 2), d2);
        assertTrue(Tensors.allFinite(ok));
    }

    /**
     * Through the public transform: J = 1e100 against exp′(600) = 3.8e260 overflows in J and in L; the product
     * that follows, against a weight column of zeros, must give the strong zero's 0, not ∞·0 = NaN.
     */
    @Test
    void anOverflowedStackKeepsTheStrongZeroInTheNextProduct() {
        Tensor x = Tensor.of(new double[] {6e-98, 0.5}, 1, 2), scale = Tensor.of(new double[] {1e100, 1}, 1, 2);
        Tensor w = Tensor.of(new double[][] {{0, 1}, {1, 1}}); // output 0 = exp(x1): it does not depend on x0 at all
        TensorFunction f = z -> z.mul(scale).exp().matmul(w);
        LaplacianResult r = Diff.laplacian(f, x);
        Tensor j = r.jacobian(); // [out..., in...] as Diff.jacobian
        assertEquals(0.0, j.get(0, 0, 0, 0), 0.0, "∂out0/∂x0 = ∞·0 in the strong zero: 0, not NaN");
        assertEquals(Math.exp(0.5), j.get(0, 0, 0, 1), 1e-15);
        assertEquals(Math.exp(0.5), r.laplacian().get(0, 0), 1e-15);
        assertEquals(Diff.jacobian(f, x).get(0, 0, 0, 0), j.get(0, 0, 0, 0), 0.0, "as Diff.jacobian");
    }
}
