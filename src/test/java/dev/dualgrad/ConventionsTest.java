package dev.dualgrad;

import dev.dualgrad.internal.engine.Tensors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.losses.ClassLossOptions;
import dev.dualgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The conventions of DESIGN.md at kinks, infinities and NaN, in both modes. */
class ConventionsTest {
    private static double fwd(dev.dualgrad.transforms.TensorFunction f, double x) {
        return Diff.jvp(f, Tensor.scalar(x), Tensor.scalar(1)).tangent().item();
    }

    private static double rev(dev.dualgrad.transforms.TensorFunction f, double x) {
        return Diff.grad(f, Tensor.scalar(x)).item();
    }

    @Test
    void kinks() {
        assertEquals(0.0, fwd(Tensor::relu, 0), 0);
        assertEquals(0.0, rev(Tensor::relu, 0), 0);
        assertEquals(0.0, fwd(Tensor::abs, 0), 0);
        assertEquals(0.0, rev(Tensor::abs, 0), 0);
        assertEquals(1.0, rev(x -> x.clamp(0, 1), 0), 0);   // closed interval, as PyTorch
        assertEquals(1.0, rev(x -> x.clamp(0, 1), 1), 0);
        assertEquals(0.0, rev(x -> x.clamp(0, 1), 1.5), 0);
    }

    @Test
    void tiesSplitTheGradientEqually() {
        Tensor g = Diff.grad(x -> x.max(), Tensor.vector(1, 3, 3, 2));
        assertEquals("[0.0, 0.5, 0.5, 0.0]", java.util.Arrays.toString(Tensors.buffer(g)));
        Tensor[] gs = Diff.grad(xs -> xs[0].maximum(xs[1]), Tensor.scalar(2), Tensor.scalar(2)).toArray();
        assertEquals(0.5, gs[0].item(), 0);
        assertEquals(0.5, gs[1].item(), 0);
        gs = Diff.grad(xs -> xs[0].minimum(xs[1]), Tensor.scalar(-1), Tensor.scalar(-1)).toArray();
        assertEquals(0.5, gs[0].item(), 0);
        assertEquals(1.0, Diff.jvp(xs -> xs[0].maximum(xs[1]), new Tensor[] {Tensor.scalar(2), Tensor.scalar(2)},
                new Tensor[] {Tensor.scalar(1), Tensor.scalar(1)}).tangent().item(), 0);
    }

    @Test
    void infiniteDerivativeAndZeroTangent() {
        assertEquals(Double.POSITIVE_INFINITY, fwd(Tensor::sqrt, 0), 0);
        assertEquals(Double.POSITIVE_INFINITY, rev(Tensor::sqrt, 0), 0);
        // A zero tangent times an infinite derivative is 0, not NaN: only the first input is perturbed.
        Tensor t = Diff.jvp(Tensor::sqrt, Tensor.vector(4, 0), Tensor.vector(1, 0)).tangent();
        assertEquals(0.25, t.get(0), 0);
        assertEquals(0.0, t.get(1), 0);
        Tensor g = Diff.vjp(Tensor::sqrt, Tensor.vector(4, 0)).apply(Tensor.vector(1, 0));
        assertEquals(0.0, g.get(1), 0);
        // log at 0: derivative +∞ for a seeded direction, 0 for an unseeded one.
        Tensor j = Diff.jacobian(Tensor::log, Tensor.vector(0, 1));
        assertEquals(Double.POSITIVE_INFINITY, j.get(0, 0), 0);
        assertEquals(0.0, j.get(0, 1), 0);
        assertEquals(0.0, j.get(1, 0), 0);
    }

    @Test
    void powConventions() {
        // ∂/∂base is 0 where the exponent is 0, even at base 0.
        Tensor[] g = Diff.grad(xs -> xs[0].pow(xs[1]), Tensor.scalar(0), Tensor.scalar(0)).toArray();
        assertEquals(0.0, g[0].item(), 0);
        assertEquals(0.0, g[1].item(), 0); // ∂/∂exponent is 0 at base 0, exponent ≥ 0
        assertEquals(0.0, rev(x -> x.pow(0.0), 0), 0);
        assertEquals(0.0, rev(x -> x.pow(2.0), 0), 0);
        assertEquals(12.0, rev(x -> x.pow(3.0), 2), 1e-12);
    }

    @Test
    void nanInNanOutNeverAnException() {
        double nan = Double.NaN;
        for (dev.dualgrad.transforms.TensorFunction f : new dev.dualgrad.transforms.TensorFunction[] {
            Tensor::exp, Tensor::log, Tensor::sqrt, Tensor::tanh, Tensor::relu, Tensor::abs, Tensor::sigmoid, Tensor::softplus,
            x -> x.clamp(-1, 1), x -> x.max(), x -> x.logsumexp(0), x -> x.softmax(0).sum(), x -> x.maximum(Tensor.scalar(0))}) {
            Tensor x = Tensor.vector(nan, 1);
            ValueCheck.nanIn(f, x);
            ValueCheck.nanInReverse(f, x);
        }
    }

    static final class ValueCheck {
        static void nanIn(dev.dualgrad.transforms.TensorFunction f, Tensor x) {
            Tensor y = f.apply(x);
            assertTrue(Double.isNaN(Tensors.buffer(y)[0]), "NaN in, NaN out: " + y);
            Tensor t = Diff.jvp(f, x, Tensor.vector(1, 0)).tangent();
            assertTrue(Double.isNaN(Tensors.buffer(t)[0]), "NaN tangent where the NaN input is seeded: " + t + " for " + y);
        }

        static void nanInReverse(dev.dualgrad.transforms.TensorFunction f, Tensor x) {
            Tensor y = f.apply(x);
            Tensor g = Diff.vjp(f, x).apply(Tensor.ones(y.shape()));
            assertTrue(Double.isNaN(Tensors.buffer(g)[0]), "NaN gradient at the NaN input: " + g + " for " + y);
        }
    }

    @Test
    void hugeLogitsGiveFiniteLossesAndDerivatives() {
        Tensor logits = Tensor.of(new double[][] {{1e4, -1e4, 0}, {-1e4, -1e4, 1e4}});
        int[] t = {1, 2};
        Tensor v = Tensor.ones(2, 3);
        double loss = Loss.crossEntropy(logits, t).item();
        assertEquals(1e4, loss, 1e-9); // row 0: −log_softmax = 2e4; row 1: 0; mean 1e4
        Tensor g = Diff.grad(z -> Loss.crossEntropy(z, t), logits);
        for (double d : Tensors.buffer(g)) assertTrue(Double.isFinite(d));
        assertEquals(0.5, g.get(0, 0), 1e-12);   // (softmax − onehot)/N
        assertEquals(-0.5, g.get(0, 1), 1e-12);
        double jvp = Diff.jvp(z -> Loss.crossEntropy(z, t), logits, v).tangent().item();
        assertTrue(Double.isFinite(jvp));
        assertEquals(0.0, jvp, 1e-12); // v = ones: log-softmax is shift invariant
        Tensor soft = Tensor.of(new double[][] {{0.2, 0.3, 0.5}, {0, 0, 1}});
        Tensor[] gs = Diff.grad(xs -> Loss.crossEntropy(xs[0], xs[1], ClassLossOptions.defaults().labelSmoothing(0.1)), logits, soft).toArray();
        for (Tensor gi : gs) for (double d : Tensors.buffer(gi)) assertTrue(Double.isFinite(d));
        Tensor z = Tensor.vector(1e4, -1e4, 0);
        Tensor y = Tensor.vector(0, 1, 1);
        assertTrue(Double.isFinite(Loss.bceWithLogits(z, y).item()));
        for (double d : Tensors.buffer(Diff.grad(q -> Loss.bceWithLogits(q, y), z))) assertTrue(Double.isFinite(d));
    }

    @Test
    void bceWithLogitsDerivativeAtZeroIsSigmoidMinusTarget() {
        // The kinks of max(z,0) and |z| in the stable formula cancel; the derivative must not see them.
        Tensor y = Tensor.vector(0.25);
        assertEquals(0.25, Diff.grad(z -> Loss.bceWithLogits(z, y), Tensor.vector(0)).item(), 1e-15);
        assertEquals(0.25, Diff.jvp(z -> Loss.bceWithLogits(z, y), Tensor.vector(0), Tensor.vector(1)).tangent().item(), 1e-15);
    }

    @Test
    void bceClampsTheLogAtMinus100() {
        Tensor y = Tensor.vector(1, 0);
        double l = Loss.bce(Tensor.vector(0, 1), y, dev.dualgrad.losses.Reduction.SUM).item();
        assertEquals(200.0, l, 0);
        for (double d : Tensors.buffer(Diff.grad(p -> Loss.bce(p, y), Tensor.vector(0, 1)))) assertEquals(0.0, d, 0);
    }

    @Test
    void comparisonsAreConstants() {
        Tensor x = Tensor.vector(1, -2, 3);
        Tensor t = Diff.jvp(q -> q.gt(0).mul(Tensor.vector(5, 5, 5)), x, Tensor.ones(3)).tangent();
        assertEquals("[0.0, 0.0, 0.0]", java.util.Arrays.toString(Tensors.buffer(t)));
        Tensor g = Diff.grad(q -> q.mul(q.sign()).sum().add(q.detach().sum()), x);
        assertEquals("[1.0, -1.0, 1.0]", java.util.Arrays.toString(Tensors.buffer(g)));
        Diff.jvp(q -> {
            assertTrue(q.ge(0).isConstant() && q.lt(0).isConstant() && q.le(0).isConstant() && q.eq(1).isConstant() && q.sign().isConstant());
            return q;
        }, x, x);
    }
}
