package dev.dualgrad.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.MultiTensorFunction;
import dev.dualgrad.transforms.TensorFunction;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, item 8: a null direction is an error, not a zero tangent, and a null argument fails at the
 * boundary naming its parameter (the reflective sweep over every public member is
 * {@link PublicApiBoundaryTest}; these are the cases the issue names, with their exact messages).
 */
class NullArgumentsTest {
    private static final TensorFunction TWICE = x -> x.mul(2.0);

    @Test
    void aNullDirectionIsRefusedNotTakenAsZero() {
        Tensor x = Tensor.vector(1, 2, 3);
        assertEquals("jvp: v is null", assertThrows(NullPointerException.class, () -> Diff.jvp(TWICE, x, null)).getMessage());
        assertEquals("directionalDerivative: v is null",
                assertThrows(NullPointerException.class, () -> Diff.directionalDerivative(z -> z.sum(), x, null)).getMessage());
        assertEquals("jvpBatched: v is null", assertThrows(NullPointerException.class, () -> Diff.jvpBatched(TWICE, x, null)).getMessage());
        MultiTensorFunction add = xs -> xs[0].add(xs[1]);
        // the array of tangents must be there; a null entry in it holds that argument fixed (documented, tested elsewhere)
        assertEquals("jvp: vs is null", assertThrows(NullPointerException.class, () -> Diff.jvp(add, new Tensor[] {x, x}, null)).getMessage());
        assertEquals("hvp: v is null", assertThrows(NullPointerException.class, () -> Diff.hvp(z -> z.square().sum(), x, null)).getMessage());
    }

    @Test
    void nullArgumentsNameTheirParameter() {
        Tensor x = Tensor.vector(1, 2, 3);
        assertEquals("grad: x is null", assertThrows(NullPointerException.class, () -> Diff.grad(z -> z.sum(), (Tensor) null)).getMessage());
        assertEquals("jvp: f is null", assertThrows(NullPointerException.class, () -> Diff.jvp((TensorFunction) null, x, x)).getMessage());
        assertEquals("add: o is null", assertThrows(NullPointerException.class, () -> x.add((Tensor) null)).getMessage());
        assertEquals("concat: parts[1] is null", assertThrows(NullPointerException.class, () -> Tensor.concat(0, x, null)).getMessage());
        assertEquals("Tensor.zeros: shape is null", assertThrows(NullPointerException.class, () -> Tensor.zeros((int[]) null)).getMessage());
    }
}
