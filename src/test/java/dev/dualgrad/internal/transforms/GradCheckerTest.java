package dev.dualgrad.internal.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.internal.engine.Dispatch;
import dev.dualgrad.internal.engine.Primitive;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.testing.GradCheck;
import dev.dualgrad.testing.GradCheckResult;
import dev.dualgrad.transforms.CheckReport;
import dev.dualgrad.transforms.TensorFunction;
import org.junit.jupiter.api.Test;

/**
 * The one checker: Diff.check and GradCheck judge forward against reverse by the same tolerance (their
 * verdicts agree on both sides of its boundary, worked by hand from the documented formula), the
 * comparison's edge cases, the finite-difference stencils against their algebra, and the dot-product
 * routine's numbers.
 */
class GradCheckerTest {
    /** x ↦ c ⊙ x, c = (1, 2, 4): forward rule right, reverse rule off by a factor (1 + δ) at element 0 only. */
    static TensorFunction scaled(double delta) {
        Tensor c = Tensor.vector(1, 2, 4), cRev = Tensor.vector(1 + delta, 2, 4);
        Primitive p = new Primitive() {
            public String name() { return "scaledOff"; }
            public Tensor eval(Tensor[] x) { return x[0].mul(c); }
            public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) { return dx[0] == null ? null : dx[0].mul(c); }
            public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) { return new Tensor[] {gy.mul(cRev)}; }
            public Reads vjpReads() { return Reads.NOTHING; } // the rule reads only captured constants
        };
        return z -> Dispatch.apply(p, z);
    }

    @Test
    void diffCheckAndGradCheckShareTheForwardReverseToleranceOnBothSidesOfItsBoundary() {
        // J = diag(1, 2, 4): max|J| = 4, so forward and reverse may differ by 1e-10·4 + 1e-12 = 4.01e-10 (documented formula)
        double tol = 1e-10 * 4 + 1e-12;
        Tensor x = Tensor.vector(0.3, -0.5, 0.7);
        for (double fraction : new double[] {0.9, 1.1}) {
            TensorFunction f = scaled(fraction * tol); // J_rev[0, 0] − J_fwd[0, 0] = δ
            CheckReport report = Diff.check(f, x);
            GradCheckResult.Check modes = GradCheck.of(f, x).run().checks().stream()
                    .filter(c -> c.name().startsWith("forward Jacobian = reverse")).findFirst().orElseThrow();
            boolean inside = fraction < 1;
            assertEquals(inside, report.passed(), report.toString());
            assertEquals(inside, modes.passed(), modes.toString());
            assertEquals(fraction, modes.worst().excess(), 1e-5, modes.toString());
            assertArrayEquals(new int[] {0, 0}, modes.worst().index());
            assertEquals(inside, report.toString().contains("forward = reverse to rounding"), report.toString());
            if (!inside) assertTrue(report.toString().contains("forward ≠ reverse, worst at argument 0, Jacobian element [0, 0]"), report.toString());
        }
    }

    @Test
    void excessAtTheEdges() {
        assertEquals(0, Tolerances.excess(Double.NaN, Double.NaN, 1e-9));
        assertEquals(Double.POSITIVE_INFINITY, Tolerances.excess(Double.NaN, 1, 1e-9));
        assertEquals(Double.POSITIVE_INFINITY, Tolerances.excess(1, Double.NaN, 1e-9));
        assertEquals(0, Tolerances.excess(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 1e-9));
        // unequal infinities, or a finite value against an infinite reference (tolerance atol + rtol·∞ = ∞): a failure, not NaN
        assertEquals(Double.POSITIVE_INFINITY, Tolerances.excess(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 1e-9));
        assertEquals(Double.POSITIVE_INFINITY, Tolerances.excess(5, Double.POSITIVE_INFINITY, Tolerances.finiteDifference(1e-5, 1e-3, Double.POSITIVE_INFINITY)));
        assertEquals(Double.POSITIVE_INFINITY, Tolerances.excess(1, 2, 0));
        assertEquals(0.5, Tolerances.excess(1, 1.5, 1), 0);
        assertEquals(1e-5 + 1e-3 * 4, Tolerances.finiteDifference(1e-5, 1e-3, -4), 0);
        assertEquals(1e-10 * 4 + 1e-12, Tolerances.forwardReverse(4), 0);
        assertEquals(1e-10 * 6 + 1e-12, Tolerances.dotProduct(6), 0);
    }

    private static Tensor[] one(double... v) {
        return new Tensor[] {Tensor.of(v, 2, 2)};
    }

    @Test
    void anInfiniteElementDoesNotWidenTheForwardReverseTolerance() {
        // the scale is the largest finite |element| (here 3), not ∞: a 1e-6 disagreement elsewhere still fails
        Tensor[] fwd = one(1, Double.POSITIVE_INFINITY, 3, 0), rev = one(1 + 1e-6, Double.POSITIVE_INFINITY, 3, 0);
        GradChecker.JacobianFindings f = GradChecker.compareJacobians(new GradChecker.FullJacobians(fwd, rev, fwd), 1, 1, "fd");
        assertFalse(f.modes().passed());
        assertEquals(1e-6 / (3e-10 + 1e-12), f.modes().worst().excess(), 1e-3 * f.modes().worst().excess());
        assertArrayEquals(new int[] {0, 0}, f.modes().worst().index());
        // the worse mode against finite differences is named; on a tie the forward one
        GradChecker.JacobianFindings g = GradChecker.compareJacobians(new GradChecker.FullJacobians(one(1, 2, 3, 4), one(1, 2, 3.5, 4),
                one(1, 2, 3, 4)), 1e-5, 1e-3, "fd");
        assertEquals("reverse", g.numeric().worst().source());
        assertArrayEquals(new int[] {1, 0}, g.numeric().worst().index());
        g = GradChecker.compareJacobians(new GradChecker.FullJacobians(one(1, 2, 3.5, 4), one(1, 2, 3.5, 4), one(1, 2, 3, 4)), 1e-5, 1e-3, "fd");
        assertEquals("forward", g.numeric().worst().source());
        assertTrue(g.modes().passed());
    }

    @Test
    void stencilsMatchTheirAlgebraOnACubic() {
        // f = x³ at x = 0.7 with a large step h = 0.01: central gives ((x+h)³ − (x−h)³)/2h = 3x² + h²; fourth order 3x² exactly
        double x = 0.7, h = 0.01;
        Tensor[] at = {Tensor.scalar(x)};
        Tensor[] e = {Tensor.scalar(1)};
        dev.dualgrad.transforms.MultiTensorFunction cube = xs -> xs[0].pow(3.0);
        assertEquals(3 * x * x + h * h, FiniteDifferences.directional(cube, at, e, h).item(), 1e-12);
        assertEquals(3 * x * x, FiniteDifferences.directional(cube, at, e, h, true).item(), 1e-12);
        assertEquals(3 * x * x + h * h, FiniteDifferences.jacobian(cube, at, h)[0].item(), 1e-12);
        assertEquals(3 * x * x, FiniteDifferences.jacobian(cube, at, h, true)[0].item(), 1e-12);
        // the Jacobian moves one element of one argument at a time: f(a, b) = a·b² has ∂/∂a = b², ∂/∂b = 2ab (diagonal)
        Tensor a = Tensor.vector(0.5, -1.5), b = Tensor.vector(2, 0.25);
        Tensor[] j = FiniteDifferences.jacobian(xs -> xs[0].mul(xs[1].square()), new Tensor[] {a, b}, 1e-3, true);
        assertArrayEquals(new double[] {4, 0, 0, 0.0625}, Tensors.buffer(j[0]), 1e-10);
        assertArrayEquals(new double[] {2, 0, 0, -0.75}, Tensors.buffer(j[1]), 1e-10);
    }

    @Test
    void theDotProductRoutineAddsUpBothInnerProductsAndTheirTerms() {
        // f(x) = c ⊙ x with the reverse rule off by (1 + δ) at element 0; u = (1, −1, 2), v = (3, 1, −1)
        double delta = 0.01;
        TensorFunction f = scaled(delta);
        Tensor u = Tensor.vector(1, -1, 2);
        Tensor[] v = {Tensor.vector(3, 1, -1)};
        DotProductCheck.Dot d = DotProductCheck.of("test", xs -> f.apply(xs[0]), new Tensor[] {Tensor.vector(0.3, -0.5, 0.7)}, u, v);
        // J·v = (3, 2, −4): ⟨u, Jv⟩ = 3 − 2 − 8 = −7; uᵀJ_rev = (1 + δ, −2, 8): ⟨uᵀJ, v⟩ = 3(1 + δ) − 2 − 8
        assertArrayEquals(new double[] {3, 2, -4}, Tensors.buffer(d.jv()), 0);
        assertArrayEquals(new double[] {1 + delta, -2, 8}, Tensors.buffer(d.ujt()[0]), 1e-15);
        assertEquals(-7, d.forward(), 1e-14);
        assertEquals(3 * (1 + delta) - 10, d.reverse(), 1e-14);
        assertEquals((3 + 2 + 8) + (3 * (1 + delta) + 2 + 8), d.scale(), 1e-14); // Σ|u_k (Jv)_k| + Σ|(uᵀJ)_k v_k|
    }
}
