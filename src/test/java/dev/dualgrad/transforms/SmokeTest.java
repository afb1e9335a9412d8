package dev.dualgrad.transforms;

import static org.junit.jupiter.api.Assertions.*;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void tanhJvpAndGrad() {
        Tensor x = Tensor.vector(0.3, -1.2, 2.0);
        Tensor v = Tensor.vector(1, 2, 3);
        ValueAndTangent r = Diff.jvp(Tensor::tanh, x, v);
        for (int i = 0; i < 3; i++) {
            double t = Math.tanh(x.get(i));
            assertEquals((1 - t * t) * v.get(i), r.tangent().get(i), 1e-15);
        }
        Tensor g = Diff.grad(z -> z.tanh().sum(), x);
        for (int i = 0; i < 3; i++) {
            double t = Math.tanh(x.get(i));
            assertEquals(1 - t * t, g.get(i), 1e-15);
        }
    }

    @Test
    void checkComposite() {
        Tensor w = Tensor.randn(1, 4, 3);
        Tensor x = Tensor.randn(2, 5, 4);
        CheckReport rep = Diff.check(z -> z.matmul(w).tanh().logSoftmax(1).mul(z.sum(1, true)), x);
        System.out.println(rep);
        rep.assertPassed();
    }

    @Test
    void reverseOverForward() {
        // s(x) = <w, J(x) v> for f = sin(x)*x ; grad of that is H_{w·f} v
        Tensor x = Tensor.vector(0.5, 1.5);
        Tensor v = Tensor.vector(1, -2);
        Tensor g = Diff.grad(z -> Diff.jvp(q -> q.sin().mul(q), z, v).tangent().sum(), x);
        for (int i = 0; i < 2; i++) {
            double xi = x.get(i);
            double f2 = -Math.sin(xi) * xi + 2 * Math.cos(xi);
            assertEquals(f2 * v.get(i), g.get(i), 1e-12);
        }
    }

    @Test
    void perturbationConfusion() {
        // d/dx [x · d/dy (x + y)] at 1 = 1, both levels forward
        Tensor one = Tensor.scalar(1);
        double d = Diff.directionalDerivative(x -> x.mul(Tensor.scalar(Diff.directionalDerivative(y -> x.add(y), one, one))), one, one);
        // the inner derivative is a plain double here; now with the inner tangent kept as a tensor:
        double d2 = Diff.jvp(x -> x.mul(Diff.jvp(y -> x.add(y), one, one).tangent()), one, one).tangent().item();
        assertEquals(1.0, d, 0);
        assertEquals(1.0, d2, 0);
        // and reverse over forward
        double d3 = Diff.grad(x -> x.mul(Diff.jvp(y -> x.add(y), one, one).tangent()), one).item();
        assertEquals(1.0, d3, 0);
        double d4 = Diff.grad(x -> x.mul(Diff.grad(y -> x.add(y), one)), one).item();
        assertEquals(1.0, d4, 0);
    }

    @Test
    void jacobianAuto() {
        Tensor w1 = Tensor.randn(3, 10, 256).mul(0.1), w2 = Tensor.randn(4, 256, 1000).mul(0.1);
        Tensor z = Tensor.randn(5, 10);
        JacobianResult r = Diff.jacobianWithPlan(q -> q.matmul(w1).tanh().matmul(w2).tanh(), z, JacobianOptions.defaults().verify(true));
        System.out.println(r.plan());
        assertEquals(JacobianMode.FORWARD, r.plan().mode());
        Tensor jr = Diff.jacobian(q -> q.matmul(w1).tanh().matmul(w2).tanh(), z, JacobianOptions.defaults().mode(JacobianMode.REVERSE).chunkSize(128));
        double[] a = r.jacobian().buffer(), b = jr.buffer();
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-12 * Math.max(1, Math.abs(a[i])));
    }
}
