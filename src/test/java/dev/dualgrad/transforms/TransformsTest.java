package dev.dualgrad.transforms;

import dev.dualgrad.internal.engine.Tensors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.internal.engine.Dispatch;
import dev.dualgrad.internal.engine.Primitive;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TransformsTest {
    static final Tensor W1 = TensorRandom.seed(3).normal(10, 256).mul(0.1), W2 = TensorRandom.seed(4).normal(256, 1000).mul(0.06);

    static void assertRelativelyEqual(Tensor a, Tensor b, double rel) {
        assertArrayEquals(a.shape(), b.shape());
        double max = 0;
        for (double v : Tensors.buffer(a)) max = Math.max(max, Math.abs(v));
        for (int i = 0; i < a.size(); i++) assertEquals(Tensors.buffer(a)[i], Tensors.buffer(b)[i], rel * max, "element " + i);
    }

    @Test
    void autoPicksForwardForWideAndReverseForTall() {
        TensorFunction wide = z -> z.matmul(W1).tanh().matmul(W2).tanh();            // R^10 → R^1000
        TensorFunction tall = z -> z.matmul(W2.transpose()).tanh().matmul(W1.transpose()).tanh(); // R^1000 → R^10
        Tensor z10 = TensorRandom.seed(5).normal(10), z1000 = TensorRandom.seed(6).normal(1000);
        JacobianResult w = Diff.jacobianWithPlan(wide, z10, JacobianOptions.defaults());
        JacobianResult t = Diff.jacobianWithPlan(tall, z1000, JacobianOptions.defaults());
        assertEquals(JacobianMode.FORWARD, w.plan().mode());
        assertEquals(JacobianMode.REVERSE, t.plan().mode());
        assertArrayEquals(new int[] {1000, 10}, w.jacobian().shape());
        assertArrayEquals(new int[] {10, 1000}, t.jacobian().shape());
        assertTrue(w.plan().toString().contains("forward"), w.plan().toString());
        assertRelativelyEqual(w.jacobian(), Diff.jacobian(wide, z10, JacobianOptions.defaults().mode(JacobianMode.REVERSE)), 1e-12);
        assertRelativelyEqual(t.jacobian(), Diff.jacobian(tall, z1000, JacobianOptions.defaults().mode(JacobianMode.FORWARD)), 1e-12);
        // verify passes on correct rules
        Diff.jacobian(tall, z1000, JacobianOptions.defaults().verify(true));
    }

    @Test
    void memoryBudgetBoundsTheChunk() {
        TensorFunction wide = z -> z.matmul(W1).tanh().matmul(W2).tanh();
        JacobianResult r = Diff.jacobianWithPlan(wide, TensorRandom.seed(5).normal(10), JacobianOptions.defaults().memoryBudget(40_000));
        assertTrue(r.plan().chunk() < 10 && r.plan().passes() > 1, r.plan().toString());
        assertTrue(r.plan().bytesPerPass() <= 40_000, r.plan().toString());
        assertRelativelyEqual(r.jacobian(), Diff.jacobian(wide, TensorRandom.seed(5).normal(10)), 0);
    }

    /** x ↦ 3x with a reverse rule that is off by a factor: only the modes' disagreement can reveal it. */
    static final Primitive WRONG = new Primitive() {
        public String name() { return "wrongTriple"; }
        public Tensor eval(Tensor[] x) { return x[0].mul(3); }
        public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) { return dx[0] == null ? null : dx[0].mul(3); }
        public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) { return new Tensor[] {gy.mul(3.01)}; }
        public Reads vjpReads() { return Reads.NOTHING; }
    };

    @Test
    void verifyCatchesARuleThatDisagreesBetweenModes() {
        TensorFunction f = z -> Dispatch.apply(WRONG, z.tanh()).sum(0);
        Tensor x = TensorRandom.seed(9).normal(4, 3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Diff.jacobian(f, x, JacobianOptions.defaults().verify(true)));
        assertTrue(e.getMessage().contains("verify failed"), e.getMessage());
        CheckReport report = Diff.check(f, x);
        assertTrue(!report.passed() && report.toString().contains("forward ≠ reverse"), report.toString());
        assertThrows(AssertionError.class, report::assertPassed);
        assertTrue(Diff.check(z -> z.tanh().sum(0), x).passed());
    }

    @Test
    void aChainOf100000OpsDoesNotOverflowTheStack() {
        TensorFunction chain = x -> {
            Tensor y = x;
            for (int i = 0; i < 100_000; i++) y = y.mul(1.00001);
            return y.sum();
        };
        Tensor g = Diff.grad(chain, Tensor.vector(1, 2));
        assertEquals(Math.pow(1.00001, 100_000), g.get(0), 1e-9);
        assertEquals(Math.pow(1.00001, 100_000), Diff.jvp(chain, Tensor.vector(1, 2), Tensor.vector(1, 0)).tangent().item(), 1e-9);
    }

    @Test
    void aPullbackCanBeCalledAgainAndBatchesAgreeWithSingles() {
        Tensor x = TensorRandom.seed(1).normal(3, 4);
        Pullback p = Diff.vjp(z -> z.tanh().matmul(W1.slice(0, 0, 4)).logSoftmax(1), x);
        Tensor u = TensorRandom.seed(2).normal(3, 256), u2 = TensorRandom.seed(3).normal(3, 256);
        Tensor a = p.apply(u), b = p.apply(u);
        assertArrayEquals(Tensors.buffer(a), Tensors.buffer(b), 0);
        Tensor batched = p.applyBatched(Tensor.stack(0, u, u2));
        assertArrayEquals(Tensors.buffer(a), Tensors.buffer(batched.select(0, 0)), 0);
        assertArrayEquals(Tensors.buffer(p.apply(u2)), Tensors.buffer(batched.select(0, 1)), 0);
        Tensor zeros = p.apply(Tensor.zeros(3, 256));
        for (double d : Tensors.buffer(zeros)) assertEquals(0.0, d, 0);
        // batched JVP agrees with single JVPs
        TensorFunction f = z -> z.tanh().matmul(W1.slice(0, 0, 4)).logSoftmax(1);
        Tensor v1 = TensorRandom.seed(5).normal(3, 4), v2 = TensorRandom.seed(6).normal(3, 4);
        Tensor tb = Diff.jvpBatched(f, x, Tensor.stack(0, v1, v2)).tangent();
        assertArrayEquals(Tensors.buffer(Diff.jvp(f, x, v1).tangent()), Tensors.buffer(tb.select(0, 0)), 0);
        assertArrayEquals(Tensors.buffer(Diff.jvp(f, x, v2).tangent()), Tensors.buffer(tb.select(0, 1)), 0);
    }

    @Test
    void severalArgumentsGetOneResultEach() {
        Tensor a = TensorRandom.seed(7).normal(2, 3), b = TensorRandom.seed(8).normal(3);
        MultiTensorFunction f = xs -> xs[0].mul(xs[1]).sin().sum(1);
        Tensor[] g = Diff.grad(xs -> f.apply(xs).sum(), a, b).toArray();
        assertArrayEquals(a.shape(), g[0].shape());
        assertArrayEquals(b.shape(), g[1].shape());
        JacobianResult j = Diff.jacobianWithPlan(f, new Tensor[] {a, b}, JacobianOptions.defaults());
        assertArrayEquals(new int[] {2, 2, 3}, j.get(0).shape());
        assertArrayEquals(new int[] {2, 3}, j.get(1).shape());
        Diff.check(f, a, b).assertPassed();
        // d/db of Σ sin(a·b) = Σ_rows cos(a·b)·a
        for (int k = 0; k < 3; k++) {
            double s = 0;
            for (int i = 0; i < 2; i++) s += Math.cos(a.get(i, k) * b.get(k)) * a.get(i, k);
            assertEquals(s, g[1].get(k), 1e-14);
        }
        // a function that ignores an argument gives zeros for it
        Tensor[] g2 = Diff.grad(xs -> xs[0].sum(), a, b).toArray();
        assertArrayEquals(new double[3], Tensors.buffer(g2[1]), 0);
        // a tangent given for a only: f = Σ b does not move along it; f = Σ a·b moves by Σ v·b
        assertEquals(0.0, Diff.jvp(xs -> xs[1].sum(), new Tensor[] {a, b}, new Tensor[] {a, null}).tangent().item(), 0);
        Tensor v = TensorRandom.seed(9).normal(2, 3);
        assertEquals(v.mul(b).sum().item(), Diff.jvp(xs -> xs[0].mul(xs[1]).sum(), new Tensor[] {a, b}, new Tensor[] {v, null}).tangent().item(), 1e-14);
    }

    @Test
    void constantsGetNoTangent() {
        Tensor w = TensorRandom.seed(2).normal(3, 3);
        Diff.jvp(x -> {
            Tensor c = w.tanh().matmul(w);     // constant in, constant out: no tangent allocated
            assertTrue(c.isConstant());
            assertNull(Tensors.tangentPart(c));
            Tensor y = x.matmul(c);
            assertTrue(!y.isConstant() && Tensors.tangentPart(y) != null);
            return y;
        }, TensorRandom.seed(3).normal(3), TensorRandom.seed(4).normal(3));
    }

    @Test
    void threadsDifferentiateIndependently() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<double[]>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                final double s = 1 + t;
                results.add(pool.submit(() -> {
                    Tensor x = Tensor.vector(s, 2 * s);
                    Tensor g = Diff.grad(z -> z.mul(Diff.jvp(q -> q.square().sum(), z, Tensor.ones(2)).tangent()).sum(), x);
                    return g.toArray();
                }));
            }
            for (int t = 0; t < 16; t++) {
                double s = 1 + t;
                // f(z) = Σz · 2Σz  ⇒ ∇ = 4Σz in each component
                double[] g = results.get(t).get();
                assertEquals(4 * 3 * s, g[0], 1e-12);
                assertEquals(4 * 3 * s, g[1], 1e-12);
            }
        } finally {
            pool.shutdown();
        }
    }
}
