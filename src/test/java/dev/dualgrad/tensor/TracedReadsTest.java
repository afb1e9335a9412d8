package dev.dualgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.TensorFunction;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Reading a differentiated tensor's value as a double inside a transform (item, get, toArray) throws
 * instead of silently dropping the derivative; at(...) is the differentiable read and detach() the
 * deliberate one.
 */
class TracedReadsTest {
    private static final Tensor T = Tensor.vector(0, 1, 2, 3);
    private static final Tensor P = Tensor.vector(2, 0.5);
    private static final JacobianOptions[] MODES = {
        JacobianOptions.defaults().mode(JacobianMode.FORWARD), JacobianOptions.defaults().mode(JacobianMode.REVERSE)};

    private static void assertHelpful(IllegalStateException e, String read) {
        String m = e.getMessage();
        assertTrue(m.startsWith(read), m);
        assertTrue(m.contains("at(index...)") && m.contains("select(axis, i)") && m.contains("detach()." + read), m);
        assertTrue(m.contains("still running"), m);
    }

    /** The issue's reproduction (a Commons Math port): p ↦ p₀·exp(−p₁·t) with the parameters read as doubles. */
    @Test
    void readingAParameterAsADoubleThrowsInsteadOfAZeroJacobian() {
        TensorFunction ported = p -> T.mul(-p.get(1)).exp().mul(p.get(0));
        for (JacobianOptions o : MODES) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Diff.jacobian(ported, P, o), o.mode().toString());
            assertHelpful(e, "get(1)");
        }
        assertHelpful(assertThrows(IllegalStateException.class, () -> Diff.grad(p -> Tensor.scalar(p.sum().item()), P)), "item()");
        assertHelpful(assertThrows(IllegalStateException.class,
                () -> Diff.jvp(p -> Tensor.vector(p.toArray()), P, P)), "toArray()");
    }

    @Test
    void detachReadsTheValueOnPurpose() {
        for (JacobianOptions o : MODES) {
            // the read is a constant now: only the p₀ factor is differentiated
            Tensor j = Diff.jacobian(p -> T.mul(-p.detach().get(1)).exp().mul(p.at(0)), P, o);
            for (int i = 0; i < 4; i++) {
                assertEquals(Math.exp(-0.5 * i), j.get(i, 0), 1e-15);
                assertEquals(0.0, j.get(i, 1), 0);
            }
        }
        double[] seen = new double[3];
        Diff.grad(p -> {
            seen[0] = p.detach().item();
            seen[1] = p.detach().toArray()[0];
            seen[2] = p.mul(2).detach().get();
            return p.square();
        }, Tensor.scalar(1.5));
        assertArrayEquals(new double[] {1.5, 1.5, 3.0}, seen, 0);
    }

    /** J of p₀·exp(−p₁·t) by hand: ∂/∂p₀ = e^(−p₁t), ∂/∂p₁ = −p₀·t·e^(−p₁t). */
    @Test
    void jacobianWithAtIsTheHandWorkedOne() {
        double[][] expected = new double[4][2];
        for (int i = 0; i < 4; i++) {
            expected[i][0] = Math.exp(-0.5 * i);
            expected[i][1] = -2 * i * Math.exp(-0.5 * i);
        }
        for (JacobianOptions o : MODES) {
            Tensor j = Diff.jacobian(p -> T.mul(p.at(1).neg()).exp().mul(p.at(0)), P, o);
            assertArrayEquals(new int[] {4, 2}, j.shape());
            for (int i = 0; i < 4; i++) {
                assertEquals(expected[i][0], j.get(i, 0), 1e-15, o.mode() + " [" + i + ", 0]");
                assertEquals(expected[i][1], j.get(i, 1), 1e-15, o.mode() + " [" + i + ", 1]");
            }
        }
        // a matrix element: ∂(W₁₂²)/∂W = 2·W₁₂ at [1, 2], 0 elsewhere
        Tensor w = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor g = Diff.grad(x -> x.at(1, 2).square(), w);
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 12}, g.toArray(), 0);
    }

    @Test
    void atReadsLikeGet() {
        Tensor w = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertEquals(0, w.at(1, 0).rank());
        assertEquals(4.0, w.at(1, 0).item(), 0);
        Tensor s = Tensor.scalar(7);
        assertSame(s, s.at());
        assertEquals("at: 1 indices for a tensor of rank 2 (shape [2, 3])",
                assertThrows(IllegalArgumentException.class, () -> w.at(1)).getMessage());
        assertEquals("at: index 3 on axis 1 of shape [2, 3]",
                assertThrows(IndexOutOfBoundsException.class, () -> w.at(0, 3)).getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> w.at(-1, 0)); // as get: no negative positions
        assertEquals("get: index 3 on axis 1 of shape [2, 3]",
                assertThrows(IndexOutOfBoundsException.class, () -> w.get(0, 3)).getMessage());
    }

    @Test
    void resultsOfTransformsAndEscapedTensorsAreConcrete() {
        Tensor g = Diff.grad(p -> p.square().sum(), P);
        assertEquals(4.0, g.get(0), 0);
        assertEquals(1.0, Diff.jacobian(p -> p.exp(), Tensor.vector(0)).item(), 0);
        assertEquals(4.25, Diff.vjp(p -> p.square().sum(), P).value().item(), 0);
        assertArrayEquals(new double[] {4, 1}, Diff.jvp(p -> p.square(), P, Tensor.vector(1, 1)).tangent().toArray(), 0);
        // a tensor that escaped its transform: once the transform has returned it reads as a constant
        AtomicReference<Tensor> escaped = new AtomicReference<>();
        Diff.grad(p -> {
            escaped.set(p.mul(3));
            return p.sum();
        }, P);
        assertTrue(!escaped.get().isConstant());
        assertArrayEquals(new double[] {6, 1.5}, escaped.get().toArray(), 0);
    }

    /** A jvp nested in a grad returns a tangent traced by the outer tape: reading it would drop ∂/∂x of the outer grad. */
    @Test
    void aNestedResultIsStillTracedByTheOuterTransform() {
        Tensor x = Tensor.vector(1.0, 2.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Diff.grad(
                z -> Tensor.scalar(Diff.jvp(y -> y.square().sum(), z, Tensor.vector(1, 0)).tangent().item()), x));
        assertHelpful(e, "item()");
        assertTrue(e.getMessage().contains("tape node of vjp#"), e.getMessage());
        // kept as a tensor, the outer gradient is right: ∂/∂z (2 z₀) = [2, 0]
        assertArrayEquals(new double[] {2, 0}, Diff.grad(z -> Diff.jvp(y -> y.square().sum(), z, Tensor.vector(1, 0)).tangent(), x).toArray(), 0);
    }

    @Test
    void toStringAndComparisonsStillWork() {
        Diff.grad(p -> {
            assertTrue(p.toString().contains("traced by vjp#"), p.toString());
            assertArrayEquals(new double[] {1, 0}, p.gt(1).toArray(), 0); // a constant mask reads fine
            assertArrayEquals(new int[] {0}, p.unsqueeze(0).argmax());
            return p.sum();
        }, P);
        Diff.jvp(p -> {
            assertTrue(p.toString().contains("tangent of jvp#"), p.toString());
            assertTrue(p.isConstant() == false && p.detach().isConstant());
            return p;
        }, P, P);
    }

    @Test
    void aNestedDirectionalDerivativeSaysToKeepTheTensor() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Diff.grad(z -> Tensor.scalar(Diff.directionalDerivative(y -> y.square().sum(), z, Tensor.vector(1, 0))), Tensor.vector(1, 2)));
        assertTrue(e.getMessage().startsWith("directionalDerivative:") && e.getMessage().contains("Diff.jvp"), e.getMessage());
        // outside any transform it is a plain double: ∇(Σy²)·v = 2·1·1 at y = [1, 2], v = [1, 0]
        org.junit.jupiter.api.Assertions.assertEquals(2.0, Diff.directionalDerivative(y -> y.square().sum(), Tensor.vector(1, 2), Tensor.vector(1, 0)), 0);
    }
}
