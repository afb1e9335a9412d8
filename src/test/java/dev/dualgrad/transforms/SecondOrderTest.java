package dev.dualgrad.transforms;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.internal.transforms.SecondOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.Loss;
import dev.dualgrad.nn.JacobianPenalty;
import dev.dualgrad.nn.Mlp;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import org.junit.jupiter.api.Test;

class SecondOrderTest {
    /** Σ 100(z[i+1] − z[i]²)² + (1 − z[i])². */
    static Tensor rosenbrock(Tensor z) {
        int n = z.size();
        Tensor head = z.slice(0, 0, n - 1), tail = z.slice(0, 1, n);
        return tail.sub(head.square()).square().mul(100).add(Tensor.scalar(1).sub(head).square()).sum();
    }

    @Test
    void rosenbrockHessianIsExactlyItsTridiagonalFormula() {
        int n = 100;
        Tensor z = TensorRandom.seed(1).normal(n);
        HessianResult r = Diff.hessianWithCheck(SecondOrderTest::rosenbrock, z, JacobianOptions.defaults());
        Tensor h = r.hessian();
        assertEquals(0.0, r.asymmetry(), 0, r.toString());
        for (int i = 0; i < n; i++) {
            double zi = z.get(i);
            for (int j = 0; j < n; j++) {
                double expected = 0;
                if (i == j) {
                    if (i < n - 1) expected += 2 + 1200 * zi * zi - 400 * z.get(i + 1);
                    if (i > 0) expected += 200;
                } else if (j == i + 1) {
                    expected = -400 * zi;
                } else if (j == i - 1) {
                    expected = -400 * z.get(j);
                }
                assertEquals(expected, h.get(i, j), 1e-12 * Math.max(1, Math.abs(expected)), "H[" + i + "," + j + "]");
            }
        }
        // the same with a small chunk: more passes, the same numbers
        Tensor h7 = Diff.hessianWithCheck(SecondOrderTest::rosenbrock, z, JacobianOptions.defaults().chunkSize(7)).hessian();
        org.junit.jupiter.api.Assertions.assertArrayEquals(Tensors.buffer(h), Tensors.buffer(h7), 0);
    }

    @Test
    void hvpAgreesWithTheHessianAndBothRoutes() {
        Tensor z = TensorRandom.seed(2).normal(30), v = TensorRandom.seed(3).normal(30);
        Tensor hv = Diff.hvp(SecondOrderTest::rosenbrock, z, v);
        Tensor viaH = Diff.hessian(SecondOrderTest::rosenbrock, z).matmul(v);
        Tensor rof = SecondOrder.hvpReverseOverForward(SecondOrderTest::rosenbrock, z, v);
        for (int i = 0; i < 30; i++) {
            assertEquals(viaH.get(i), hv.get(i), 1e-10 * Math.max(1, Math.abs(viaH.get(i))));
            assertEquals(rof.get(i), hv.get(i), 1e-10 * Math.max(1, Math.abs(rof.get(i))));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Diff.hvp(Tensor::exp, z, v));
        assertTrue(e.getMessage().contains("grad") && e.getMessage().contains("scalar"), e.getMessage());
    }

    @Test
    void hvpOfACrossEntropyLossWorksInEveryNesting() {
        // PyTorch 1.13's forward-over-reverse fails here (no forward AD for nll_loss_backward).
        Mlp net = Mlp.of(6, 8, 3).seed(1).build();
        Tensor x = TensorRandom.seed(4).normal(5, 6), v = TensorRandom.seed(5).normal(5, 6);
        int[] t = {0, 2, 1, 1, 0};
        TensorFunction loss = z -> Loss.crossEntropy(net.forward(z), t);
        Tensor a = Diff.hvp(loss, x, v), b = SecondOrder.hvpReverseOverForward(loss, x, v);
        Tensor fd = Diff.grad(loss, x.add(v.mul(1e-6))).sub(Diff.grad(loss, x.sub(v.mul(1e-6)))).div(2e-6);
        for (int i = 0; i < a.size(); i++) {
            assertEquals(Tensors.buffer(b)[i], Tensors.buffer(a)[i], 1e-13);
            assertEquals(Tensors.buffer(fd)[i], Tensors.buffer(a)[i], 1e-5 + 1e-3 * Math.abs(Tensors.buffer(fd)[i]));
        }
    }

    @Test
    void forwardDiffPerturbationConfusionTests() {
        Tensor one = Tensor.scalar(1);
        // D(x -> x * D(y -> x + y, 1), 1) == 1, with every pairing of the two modes
        assertEquals(1.0, Diff.jvp(x -> x.mul(Diff.jvp(y -> x.add(y), one, one).tangent()), one, one).tangent().item(), 0);
        assertEquals(1.0, Diff.jvp(x -> x.mul(Diff.grad(y -> x.add(y), one)), one, one).tangent().item(), 0);
        assertEquals(1.0, Diff.grad(x -> x.mul(Diff.jvp(y -> x.add(y), one, one).tangent()), one).item(), 0);
        assertEquals(1.0, Diff.grad(x -> x.mul(Diff.grad(y -> x.add(y), one)), one).item(), 0);
        // D(x -> x * D(y -> y^2, 1), 1) == 2
        assertEquals(2.0, Diff.jvp(x -> x.mul(Diff.jvp(y -> y.square(), one, one).tangent()), one, one).tangent().item(), 0);
        assertEquals(2.0, Diff.grad(x -> x.mul(Diff.grad(y -> y.square(), one)), one).item(), 0);
        // gradient(v -> sum(v) * D(y -> y * norm(v), 1), [1]) == gradient(v -> sum(v) * norm(v), [1]) == [2]
        Tensor v1 = Tensor.vector(1);
        Tensor g = Diff.grad(v -> v.sum().mul(Diff.jvp(y -> y.mul(v.square().sum().sqrt()), one, one).tangent()), v1);
        Tensor ref = Diff.grad(v -> v.sum().mul(v.square().sum().sqrt()), v1);
        assertEquals(ref.item(), g.item(), 0);
        assertEquals(2.0, g.item(), 0);
        assertEquals(2.0, Diff.jvp(v -> v.sum().mul(Diff.grad(y -> y.mul(v.square().sum().sqrt()), one)), v1, v1).tangent().item(), 0);
    }

    @Test
    void theGradientOfAJacobianIsItsDerivative() {
        // d/dx ‖J(x)‖²_F for f(x) = tanh(W x), against finite differences.
        Tensor w = TensorRandom.seed(6).normal(3, 4);
        TensorFunction f = z -> w.matmul(z).tanh();
        TensorFunction norm2 = z -> Diff.jacobian(f, z).square().sum();
        Tensor x = TensorRandom.seed(7).normal(4);
        Diff.check(norm2, x).assertPassed();
        TensorFunction norm2Rev = z -> Diff.jacobian(f, z, JacobianOptions.defaults().mode(JacobianMode.REVERSE)).square().sum();
        Tensor a = Diff.grad(norm2, x), b = Diff.grad(norm2Rev, x);
        for (int i = 0; i < 4; i++) assertEquals(a.get(i), b.get(i), 1e-13);
    }

    @Test
    void exactPenaltyAndItsParameterGradient() {
        Mlp net = Mlp.of(5, 7, 3).seed(2).build();
        Tensor x = TensorRandom.seed(8).normal(4, 5);
        // the penalty equals the mean squared norm of batchJacobian's per-sample Jacobians, in both modes
        double ref = Diff.batchJacobian(net::forward, x).square().sum().item() / 4;
        assertEquals(ref, JacobianPenalty.exact(net::forward, x, JacobianOptions.defaults().mode(JacobianMode.FORWARD)).item(), 1e-12 * ref);
        assertEquals(ref, JacobianPenalty.exact(net::forward, x, JacobianOptions.defaults().mode(JacobianMode.REVERSE)).item(), 1e-12 * ref);
        // its gradient w.r.t. every parameter against finite differences, both modes inside
        for (JacobianMode mode : new JacobianMode[] {JacobianMode.FORWARD, JacobianMode.REVERSE}) {
            CheckReport r = Diff.check(ps -> JacobianPenalty.exact(z -> net.forward(ps, z), x, JacobianOptions.defaults().mode(mode)), net.parameterArray());
            assertTrue(r.passed(), mode + ": " + r);
        }
        // and of the training loss CE + λ·penalty
        int[] t = {0, 2, 1, 2};
        Diff.check(ps -> Loss.crossEntropy(net.forward(ps, x), t).add(JacobianPenalty.exact(z -> net.forward(ps, z), x).mul(0.01)),
                net.parameterArray()).assertPassed();
    }

    static JacobianPenalty.ProjectionOptions projections(int n, long seed, JacobianPenalty.Projection variant) {
        return JacobianPenalty.ProjectionOptions.defaults().projections(n).seed(seed).variant(variant);
    }

    @Test
    void theProjectionEstimatorIsUnbiased() {
        Mlp net = Mlp.of(6, 9, 4).seed(3).build();
        Tensor x = TensorRandom.seed(9).normal(5, 6);
        double exact = JacobianPenalty.exact(net::forward, x).item();
        for (JacobianPenalty.Projection kind : JacobianPenalty.Projection.values()) {
            int runs = 400;
            double sum = 0, sumSq = 0;
            for (int s = 0; s < runs; s++) {
                JacobianPenalty.Estimate e = JacobianPenalty.projected(net::forward, x, projections(2, 1000L * s + 17, kind));
                double v = e.value().item();
                sum += v;
                sumSq += v * v;
                assertTrue(e.variance() >= 0 && e.standardError() >= 0);
            }
            double mean = sum / runs, sd = Math.sqrt((sumSq / runs - mean * mean) / runs);
            assertTrue(Math.abs(mean - exact) < 4 * sd, kind + ": mean " + mean + " vs exact " + exact + " (se " + sd + ")");
            // the same seed gives the same estimate; more projections shrink the error
            assertEquals(JacobianPenalty.projected(net::forward, x, projections(3, 5, kind)).value().item(),
                    JacobianPenalty.projected(net::forward, x, projections(3, 5, kind)).value().item(), 0);
            JacobianPenalty.Estimate many = JacobianPenalty.projected(net::forward, x, projections(400, 6, kind));
            assertTrue(Math.abs(many.value().item() - exact) < 5 * many.standardError(), kind + " " + many + " vs " + exact);
        }
        // its gradient w.r.t. parameters is the gradient of the estimate (same seed, so a smooth function)
        Diff.check(ps -> JacobianPenalty.projected(z -> net.forward(ps, z), x, projections(3, 11, JacobianPenalty.Projection.VJP)).value(),
                net.parameterArray()).assertPassed();
    }
}
