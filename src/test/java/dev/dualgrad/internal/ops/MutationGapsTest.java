package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.ops.CustomOp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Behaviour that mutation testing (PIT) showed the registry-driven suite did not pin down: the
 * strong-zero matrix product with non-finite entries, the op names in error messages, edge shapes,
 * comparisons between full tensors, and argmax.
 */
class MutationGapsTest {
    /** Reference: c[b, i, j] = Σ_p (a = 0 or b = 0 ? 0 : a·b), with batch broadcasting by index. */
    static double strongRef(Tensor a, Tensor b, int[] ia, int[] ib, int i, int j) {
        int k = a.dim(-1);
        double s = 0;
        for (int p = 0; p < k; p++) {
            double x = a.get(idx(ia, i, p)), y = b.get(idx(ib, p, j));
            if (x != 0 && y != 0) s += x * y;
        }
        return s;
    }

    static int[] idx(int[] batch, int r, int c) {
        int[] f = java.util.Arrays.copyOf(batch, batch.length + 2);
        f[batch.length] = r;
        f[batch.length + 1] = c;
        return f;
    }

    @Test
    void theStrongZeroProductWithNonFiniteEntries() {
        double inf = Double.POSITIVE_INFINITY, nan = Double.NaN;
        Tensor a = Tensor.of(new double[] {1, inf, 0, 2, 0, -3, nan, 1, 4, 0, 1, -inf}, 2, 2, 3);   // batch 2
        Tensor b = Tensor.of(new double[] {0, 1, 2, 0, -1, 3, 0.5, 0, 1, 2, 0, 0, 3, 1, 0, 2, 1, 1}, 3, 3, 2); // batch 3
        Tensor c = MatMul.strongZero(a.unsqueeze(1), b.unsqueeze(0));                              // [2, 3, 2, 2]
        assertArrayEquals(new int[] {2, 3, 2, 2}, c.shape());
        for (int p = 0; p < 2; p++) for (int q = 0; q < 3; q++) for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) {
            double e = strongRef(a, b, new int[] {p}, new int[] {q}, i, j);
            double got = c.get(p, q, i, j);
            assertTrue(e == got || (Double.isNaN(e) && Double.isNaN(got)), "c[" + p + "," + q + "," + i + "," + j + "] = " + got + ", expected " + e);
        }
        // finite operands: the strong product is bitwise the IEEE product
        Tensor x = TensorRandom.seed(1).normal(3, 4), y = TensorRandom.seed(2).normal(4, 5);
        assertArrayEquals(Tensors.buffer(x.matmul(y)), Tensors.buffer(MatMul.strongZero(x, y)), 0);
    }

    @Test
    void aJvpThroughMatmulWithAnInfiniteWeightIsExactOnTheOtherEntries() {
        // x·W with W[0,0] = ∞: the tangent along x's second coordinate meets W's finite row only.
        Tensor w = Tensor.of(new double[][] {{Double.POSITIVE_INFINITY, 1}, {2, 3}});
        Tensor t = Diff.jvp(z -> z.matmul(w), Tensor.vector(1, 1), Tensor.vector(0, 1)).tangent();
        assertArrayEquals(new double[] {2, 3}, Tensors.buffer(t), 0);
        Tensor g = Diff.vjp(z -> z.matmul(w), Tensor.vector(1, 1)).apply(Tensor.vector(0, 1));
        assertArrayEquals(new double[] {1, 3}, Tensors.buffer(g), 0);
    }

    @Test
    void edgeShapes() {
        assertArrayEquals(new double[6], Tensors.buffer(Tensor.zeros(2, 0).matmul(Tensor.zeros(0, 3))), 0);
        assertArrayEquals(new int[] {2, 3}, Tensor.zeros(2, 0).matmul(Tensor.zeros(0, 3)).shape());
        assertArrayEquals(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}, Tensors.buffer(Tensor.zeros(2, 0).logsumexp(1)), 0);
        Tensor x = TensorRandom.seed(3).normal(2, 3);
        assertSame(x, x.pad(1, 0, 0));
        assertSame(x, x.slice(1, 0, 3));
        assertArrayEquals(Tensors.buffer(x.select(1, 0)), Tensors.buffer(x.select(1, -3)), 0);
        assertThrows(IndexOutOfBoundsException.class, () -> x.select(1, -4));
        assertThrows(IndexOutOfBoundsException.class, () -> x.select(1, 3));
        assertArrayEquals(new int[] {1, 2, 3}, x.unsqueeze(-3).shape());
        assertArrayEquals(new int[] {2, 3, 1}, x.unsqueeze(-1).shape());
        assertThrows(IllegalArgumentException.class, () -> x.unsqueeze(-4));
        // negative positions count from the end (axis 1 has size 3): [-1, 3) is the last column, [-1, 2) is empty
        assertArrayEquals(Tensors.buffer(x.select(1, 2)), Tensors.buffer(x.slice(1, -1, 3).squeeze(1)), 0);
        assertArrayEquals(Tensors.buffer(x.slice(1, 1, 3)), Tensors.buffer(x.slice(1, -2)), 0);
        assertArrayEquals(new int[] {2, 0}, x.slice(1, -1, 2).shape());
        assertArrayEquals(Tensors.buffer(x.slice(1, 0, 2)), Tensors.buffer(x.slice(1, -3, -1)), 0);
        assertThrows(IllegalArgumentException.class, () -> x.slice(1, -4, 2));
        assertThrows(IllegalArgumentException.class, () -> x.slice(1, 0, -4));
        assertThrows(IllegalArgumentException.class, () -> x.slice(1, -1, 1));
        assertArrayEquals(x.slice(1, 3, 3).shape(), new int[] {2, 0});
        assertArrayEquals(new double[] {0.5, 0.5}, Tensors.buffer(Tensor.vector(-1, 2).clamp(0.5, 0.5)), 0);
        assertArrayEquals(new int[] {0, 3}, Tensor.zeros(0, 3).reshape(0, -1 + 4).shape());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).reshape(-2, 3));
        assertThrows(IllegalArgumentException.class, () -> Tensor.concat(0, Tensor.zeros(2, 3), Tensor.zeros(2)));
        assertThrows(IllegalArgumentException.class, () -> Tensor.concat(0, Tensor.zeros(2, 3), Tensor.zeros(1, 4)));
        assertArrayEquals(new int[] {4, 3}, Tensor.concat(-2, Tensor.zeros(2, 3), Tensor.ones(2, 3)).shape());
        assertThrows(IndexOutOfBoundsException.class, () -> Tensor.zeros(2).scatter(new int[] {0, 3}, 3));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2).scatter(new int[] {0}, 3));
    }

    @Test
    void theSoftmaxFamilyShiftsByTheMaximumAlongAnInnerAxis() {
        // Along axis 0 of a [2, 2] tensor (stride 2): without the right maximum, exp(1000) overflows.
        Tensor x = Tensor.of(new double[][] {{1000, -1000}, {1000, 5}});
        assertArrayEquals(new double[] {1000 + Math.log(2), 5 + Math.log1p(Math.exp(-1005))}, Tensors.buffer(x.logsumexp(0)), 1e-12);
        assertArrayEquals(new double[] {0.5, 0, 0.5, 1}, Tensors.buffer(x.softmax(0)), 1e-12);
        assertArrayEquals(new double[] {-Math.log(2), -1005, -Math.log(2), 0}, Tensors.buffer(x.logSoftmax(0)), 1e-12);
    }

    @Test
    void rulesWithOnlySomeArgumentsTraced() {
        Tensor x = TensorRandom.seed(4).normal(2, 3), c = TensorRandom.seed(5).normal(2, 3);
        Tensor mask = Tensor.of(new double[] {1, 0, 1, 0, 0, 1}, 2, 3);
        Tensor t1 = Diff.jvp(z -> Tensor.where(mask, z, c), x, Tensor.ones(2, 3)).tangent();
        assertArrayEquals(Tensors.buffer(mask), Tensors.buffer(t1), 0);
        Tensor t2 = Diff.jvp(z -> Tensor.where(mask, c, z), x, Tensor.ones(2, 3)).tangent();
        assertArrayEquals(Tensors.buffer(Tensor.scalar(1).sub(mask)), Tensors.buffer(t2), 0);
        Tensor t3 = Diff.jvp(z -> Tensor.concat(1, c, z, c), x, Tensor.ones(2, 3)).tangent();
        assertArrayEquals(new double[] {0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0}, Tensors.buffer(t3), 0);
        Tensor t4 = Diff.jvpBatched(z -> z.permute(1, 0), x, Tensor.stack(0, x, x.neg())).tangent();
        assertArrayEquals(new int[] {2, 3, 2}, t4.shape());
        assertEquals(x.get(1, 2), t4.get(0, 2, 1), 0);
        assertEquals(-x.get(1, 2), t4.get(1, 2, 1), 0);
    }

    @Test
    void escapedTensorsAreReportedByTheOpTheyMeet() {
        AtomicReference<Tensor> leaked = new AtomicReference<>(), leakedRows = new AtomicReference<>();
        Diff.jvp(z -> {
            leaked.set(z);
            leakedRows.set(z.sum(1));
            return z;
        }, TensorRandom.seed(6).normal(2, 3), Tensor.ones(2, 3));
        Tensor e = leaked.get();
        Function<String, java.util.function.Consumer<org.junit.jupiter.api.function.Executable>> startsWith = name -> call -> {
            IllegalStateException ex = assertThrows(IllegalStateException.class, call);
            assertTrue(ex.getMessage().startsWith(name + ":"), ex.getMessage());
        };
        startsWith.apply("neg").accept(e::neg);
        startsWith.apply("exp").accept(e::exp);
        startsWith.apply("add").accept(() -> e.add(1));
        startsWith.apply("sum").accept(e::sum);
        startsWith.apply("max").accept(e::max);
        startsWith.apply("logsumexp").accept(() -> e.logsumexp(1));
        startsWith.apply("softmax").accept(() -> e.softmax(1));
        startsWith.apply("logSoftmax").accept(() -> e.logSoftmax(1));
        startsWith.apply("matmul").accept(() -> e.matmul(Tensor.ones(3, 2)));
        startsWith.apply("reshape").accept(() -> e.reshape(3, 2));
        startsWith.apply("permute").accept(() -> e.permute(1, 0));
        startsWith.apply("broadcastTo").accept(() -> e.broadcastTo(4, 2, 3));
        startsWith.apply("slice").accept(() -> e.slice(1, 0, 2));
        startsWith.apply("pad").accept(() -> e.pad(1, 1, 0));
        startsWith.apply("concat").accept(() -> Tensor.concat(0, e, e));
        startsWith.apply("where").accept(() -> Tensor.where(Tensor.ones(2, 3), e, e));
        startsWith.apply("pick").accept(() -> e.pick(new int[] {0, 1}));
        startsWith.apply("scatter").accept(() -> leakedRows.get().scatter(new int[] {0, 1}, 2));
        startsWith.apply("gt").accept(() -> e.gt(0));
        CustomOp id = CustomOp.linear("myIdentity").arity(1).primal(x -> x[0]).adjoint((g, shapes) -> new Tensor[] {g}).build();
        assertEquals("myIdentity", id.name());
        startsWith.apply("myIdentity").accept(() -> id.apply(e));
    }

    @Test
    void aCustomVjpReturningTheWrongNumberOfCotangentsIsRefused() {
        CustomOp bad = CustomOp.builder("twoArgs").arity(2).primal(x -> x[0].mul(x[1])).jvp((x, y, dx) -> dx[0].mul(x[1]).add(x[0].mul(dx[1])))
                .vjp((x, y, g) -> new Tensor[] {g.mul(x[1])}).build();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Diff.grad(xs -> bad.apply(xs[0], xs[1]).sum(), Tensor.ones(2), Tensor.ones(2)));
        assertTrue(e.getMessage().contains("twoArgs") && e.getMessage().contains("one cotangent per argument (2), got 1"), e.getMessage());
        CustomOp nul = CustomOp.builder("nullVjp").arity(1).primal(x -> x[0]).jvp((x, y, dx) -> dx[0]).vjp((x, y, g) -> null).build();
        assertThrows(IllegalStateException.class, () -> Diff.grad(z -> nul.apply(z).sum(), Tensor.ones(2)));
    }

    @Test
    void comparisonsBetweenFullTensorsAndArgmax() {
        Tensor a = Tensor.vector(1, 2, 3, Double.NaN), b = Tensor.vector(3, 2, 1, 0);
        assertArrayEquals(new double[] {0, 0, 1, 0}, Tensors.buffer(a.gt(b)), 0);
        assertArrayEquals(new double[] {0, 1, 1, 0}, Tensors.buffer(a.ge(b)), 0);
        assertArrayEquals(new double[] {1, 0, 0, 0}, Tensors.buffer(a.lt(b)), 0);
        assertArrayEquals(new double[] {1, 1, 0, 0}, Tensors.buffer(a.le(b)), 0);
        assertArrayEquals(new double[] {0, 1, 0, 0}, Tensors.buffer(a.eq(b)), 0);
        // broadcasting a full matrix against a row, both operands varying along the row
        Tensor m = Tensor.of(new double[][] {{1, 2, 3}, {0, 5, 2}});
        assertArrayEquals(new double[] {1, 1, 1, 0, 1, 0}, Tensors.buffer(m.ge(Tensor.vector(1, 2, 3))), 0);
        assertArrayEquals(new double[] {1, 1, 0, 1, 1, 1}, Tensors.buffer(m.le(Tensor.vector(1, 5, 2))), 0);
        // rows: the largest; the first at a tie; a NaN wins; negatives
        assertArrayEquals(new int[] {2, 0, 1, 3},
                Tensor.of(new double[][] {{1, 2, 5, 3}, {7, 7, 1, 0}, {0, Double.NaN, 9, 9}, {-1, -2, -3, 4}}).argmax());
        assertArrayEquals(new int[] {1}, Tensor.vector(3, 8, 8).argmax());
        assertArrayEquals(new int[] {0}, Tensor.vector(Double.NaN, 8).argmax());
        assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(1).argmax());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 0).argmax());
    }

    @Test
    void transposedMatmulNamesAndMessages() {
        assertEquals("matmul", MatMul.of(false, false, false).name());
        assertEquals("matmul(A, Bᵀ)", MatMul.of(false, false, true).name());
        assertEquals("matmul(Aᵀ, B)", MatMul.of(false, true, false).name());
        assertEquals("matmulStrongZero(Aᵀ, Bᵀ)", MatMul.of(true, true, true).name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4, 3), true, false));
        assertTrue(e.getMessage().contains("transpose of [2, 3] @ [4, 3] (2 vs 4)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4, 5), false, true));
        assertTrue(e.getMessage().contains("[2, 3] @ transpose of [4, 5] (3 vs 5)"), e.getMessage());
        Tensor a = TensorRandom.seed(1).normal(3, 4), b = TensorRandom.seed(2).normal(4, 2);
        assertArrayEquals(Tensors.buffer(a.matmul(b)), Tensors.buffer(a.matmul(b, false, false)), 0.0);
    }
}
