package dev.dualgrad.boundary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dualgrad.Diff;
import dev.dualgrad.nn.Linear;
import dev.dualgrad.ops.CustomOp;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.TensorFunction;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, item 6: size-0 tensors wherever NumPy's rules give an answer. The shapes are NumPy's: a
 * Jacobian is out.shape + in.shape, k directions add a leading k, an empty batch stays empty.
 */
class EmptyInputsTest {
    private static final CustomOp TWICE = CustomOp.builder("twice").arity(1).primal(xs -> xs[0].mul(2.0))
            .jvp((xs, y, dx) -> dx[0].mul(2.0)).vjp((xs, y, gy) -> new Tensor[] {gy.mul(2.0)}).build();
    private static final CustomOp TWICE_LINEAR = CustomOp.linear("twiceLinear").arity(1).primal(xs -> xs[0].mul(2.0))
            .adjoint((gy, shapes) -> new Tensor[] {gy.mul(2.0)}).build();

    @Test
    void zeroDirectionsThroughACustomOp() {
        // was IllegalArgumentException "stack: needs at least one tensor"
        Tensor x = Tensor.vector(1, 2, 3);
        for (CustomOp op : new CustomOp[] {TWICE, TWICE_LINEAR}) {
            TensorFunction f = z -> op.apply(z);
            assertArrayEquals(new int[] {0, 3}, Diff.jvpBatched(f, x, Tensor.zeros(0, 3)).tangent().shape(), op.name());
            assertArrayEquals(new int[] {0, 3}, Diff.vjp(f, x).applyBatched(Tensor.zeros(0, 3)).shape(), op.name());
            // and one direction still works, with the value 2·v
            assertArrayEquals(new double[] {2, 4, 6}, Diff.jvpBatched(f, x, Tensor.vector(1, 2, 3).unsqueeze(0)).tangent().toArray(), 0);
        }
    }

    @Test
    void emptyInputsThroughTheTransforms() {
        Tensor empty = Tensor.zeros(0);
        assertArrayEquals(new int[] {0, 4}, new Linear(3, 4, 0).forward(Tensor.zeros(0, 3)).shape());
        for (JacobianMode m : JacobianMode.values()) {
            JacobianOptions o = JacobianOptions.defaults().mode(m);
            assertArrayEquals(new int[] {0, 0}, Diff.jacobian(z -> z.mul(2.0), empty, o).shape(), m.toString());
            assertArrayEquals(new int[] {0, 3}, Diff.jacobian(z -> z.slice(0, 0, 0), Tensor.ones(3), o).shape(), m.toString());
            assertArrayEquals(new int[] {0, 3, 3}, Diff.batchJacobian(z -> z.square(), Tensor.zeros(0, 3), o).shape(), m.toString());
            assertArrayEquals(new int[] {2, 0, 0}, Diff.batchJacobian(z -> z.square(), Tensor.zeros(2, 0), o).shape(), m.toString());
        }
        assertArrayEquals(new int[] {0, 0}, Diff.hessian(z -> z.sum(), empty).shape());
        assertArrayEquals(new int[] {2, 0, 2, 0}, Diff.hessian(z -> z.square().sum(), Tensor.zeros(2, 0)).shape());
        assertEquals(0, Diff.vjp(z -> z.square(), Tensor.ones(3)).applyBatched(Tensor.zeros(0, 3)).size());
    }
}
