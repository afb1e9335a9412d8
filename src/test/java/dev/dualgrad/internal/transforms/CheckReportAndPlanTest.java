package dev.dualgrad.internal.transforms;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.transforms.*;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import org.junit.jupiter.api.Test;

/**
 * The verdicts of {@link CheckReport} and the planning of {@link Jacobians#choose}, at their boundaries
 * (what the mutation run of dev.dualgrad.transforms showed untested).
 */
class CheckReportAndPlanTest {
    private static Tensor[] one(double... v) {
        return new Tensor[] {Tensor.of(v, 2, 3)};
    }

    private static CheckReport report(double[] f, double[] r, double[] n) {
        return new CheckReport(one(f), one(r), one(n), 1e-5, 1e-3);
    }

    private static final double[] J = {1, -2, 3, 0, 5, 0.25};

    @Test
    void agreementPassesAndSaysSo() {
        CheckReport c = report(J, J.clone(), J.clone());
        assertTrue(c.passed());
        assertSame(c, c.assertPassed());
        String s = c.toString();
        assertTrue(s.startsWith("check passed"), s);
        assertTrue(s.contains("forward = reverse to rounding") && s.contains("within tolerance (worst 0.00 of it)"), s);
        assertArrayEquals(J, Tensors.buffer(c.forwardJacobians().get(0)), 0);
        assertArrayEquals(J, Tensors.buffer(c.reverseJacobians().get(0)), 0);
        assertArrayEquals(J, Tensors.buffer(c.numericJacobians().get(0)), 0);
    }

    @Test
    void forwardAndReverseMustAgreeToRoundingAndTheWorstElementIsNamed() {
        double[] r = J.clone();
        r[5] = 0.25 * (1 + 1e-13); // rounding: passes
        assertTrue(report(J, r, J).passed());
        r[5] = 0.25 * (1 + 1e-6);  // a real disagreement at element [1, 2]
        CheckReport c = report(J, r, J);
        assertFalse(c.passed());
        String s = c.toString();
        assertTrue(s.startsWith("check FAILED"), s);
        assertTrue(s.contains("forward ≠ reverse, worst at argument 0, Jacobian element [1, 2]: forward 0.25"), s);
        AssertionError e = assertThrows(AssertionError.class, c::assertPassed);
        assertEquals(s, e.getMessage());
        double[] nan = J.clone();
        nan[1] = Double.NaN; // NaN against a number is a disagreement; NaN against NaN is not
        assertFalse(report(J, nan, J).passed());
        assertTrue(report(nan, nan.clone(), nan.clone()).passed());
    }

    @Test
    void finiteDifferencesWithinAtolPlusRtolPassAndBeyondFail() {
        double[] n = J.clone();
        n[4] = 5 + 0.9 * (1e-5 + 1e-3 * 5); // 0.9 of the tolerance
        CheckReport inside = report(J, J, n);
        assertTrue(inside.passed(), inside.toString());
        assertTrue(inside.toString().contains("worst 0.899 of it"), inside.toString());
        n[4] = 5 + 1.1 * (1e-5 + 1e-3 * 5); // 1.1 of it
        CheckReport outside = report(J, J, n);
        assertFalse(outside.passed());
        assertTrue(outside.toString().contains("off by 1.1"), outside.toString());
        assertTrue(outside.toString().contains("element [1, 1]: forward 5.000000000 vs finite differences"), outside.toString());
        // the worse of the two modes is named
        double[] r = J.clone();
        r[0] = 1 + 1e-9; // forward and reverse agree to rounding there
        double[] n2 = J.clone();
        n2[0] = 1 - 0.05;
        assertTrue(report(J, r, n2).toString().contains("element [0, 0]: reverse"), report(J, r, n2).toString());
        double[] nanN = J.clone();
        nanN[2] = Double.NaN;
        assertFalse(report(J, J, nanN).passed());
    }

    @Test
    void autoChoosesForwardUpToEqualSizesAndTheBudgetSetsTheChunk() {
        JacobianOptions o = JacobianOptions.defaults();
        assertEquals(JacobianMode.FORWARD, Jacobians.choose(o, 10, 10, 100, "input", "output").mode());
        assertEquals(JacobianMode.FORWARD, Jacobians.choose(o, 9, 10, 100, "input", "output").mode());
        Jacobians.Choice rev = Jacobians.choose(o, 11, 10, 100, "input", "output");
        assertEquals(JacobianMode.REVERSE, rev.mode());
        assertTrue(rev.why().contains("AUTO chose reverse: the output has 10 elements and the input 11"), rev.why());
        assertTrue(Jacobians.choose(o, 1, 5, 100, "input", "output").why().contains("the input has 1 element and"));
        // 1 MiB for directions of 1,000 doubles: 131 directions per pass of 500
        Jacobians.Choice c = Jacobians.choose(o.memoryBudget(1 << 20), 500, 1000, 1000, "input", "output");
        assertEquals(131, c.chunk());
        assertTrue(c.why().contains("The memory budget (1 MiB) holds 131 directions per pass."), c.why());
        Jacobians.Choice all = Jacobians.choose(o.memoryBudget(1 << 20), 100, 1000, 1000, "input", "output");
        assertEquals(100, all.chunk());
        assertTrue(all.why().contains("All directions fit"), all.why());
        Jacobians.Choice asked = Jacobians.choose(o.chunkSize(7).mode(JacobianMode.REVERSE), 100, 50, 1000, "input", "output");
        assertEquals(7, asked.chunk());
        assertTrue(asked.why().contains("REVERSE mode was requested. Chunk size 7 was requested."), asked.why());
        assertEquals(1, Jacobians.choose(o.memoryBudget(1), 100, 1000, 1000, "input", "output").chunk()); // at least one
    }

    @Test
    void planTextsGiveSizesInReadableUnits() {
        JacobianPlan p = new JacobianPlan(JacobianMode.FORWARD, 10, 1000, 1, 1, 512, "why");
        assertEquals("jacobian plan: FORWARD mode, J is 1000×10, 1 direction per pass, 1 pass, ~512 B per pass. why", p.toString());
        String q = new JacobianPlan(JacobianMode.REVERSE, 10, 1000, 4, 3, 2048, "w").toString();
        assertTrue(q.contains("4 directions per pass, 3 passes, ~2.0 KiB per pass"), q);
        assertTrue(new JacobianPlan(JacobianMode.REVERSE, 1, 1, 2, 2, 3L << 20, "").toString().contains("~3.0 MiB per pass"));
        assertTrue(new JacobianPlan(JacobianMode.REVERSE, 1, 1, 2, 2, 1023, "").toString().contains("~1023 B"));
        assertTrue(new JacobianPlan(JacobianMode.REVERSE, 1, 1, 2, 2, 1024, "").toString().contains("~1.0 KiB"));
    }

    /** x0·x1 whose reverse rule doubles the first partial: its forward-over-reverse Hessian is [[0, 2], [1, 0]]. */
    static final dev.dualgrad.internal.engine.Primitive SKEWED = new dev.dualgrad.internal.engine.Primitive() {
        public String name() { return "skewedProduct"; }
        public Tensor eval(Tensor[] x) { return x[0].slice(0, 0, 1).mul(x[0].slice(0, 1, 2)).sum(); }
        public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) { // the true one: ẏ = ẋ0·x1 + x0·ẋ1
            return dx[0] == null ? null : dx[0].mul(Tensor.concat(0, x[0].slice(0, 1, 2), x[0].slice(0, 0, 1))).sum(-1);
        }
        public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
            Tensor x0 = x[0].slice(0, 0, 1), x1 = x[0].slice(0, 1, 2);
            return new Tensor[] {Tensor.concat(0, x1.mul(gy).mul(2), x0.mul(gy))};
        }
        public Reads vjpReads() { return Reads.inputs(0); }
    };

    @Test
    void theHessianReportsItsAsymmetryWithoutHidingIt() {
        HessianResult h = dev.dualgrad.Diff.hessianWithCheck(z -> dev.dualgrad.internal.engine.Dispatch.apply(SKEWED, z), Tensor.of(new double[] {0.3, -0.7}, 2),
                JacobianOptions.defaults());
        assertArrayEquals(new double[] {0, 2, 1, 0}, Tensors.buffer(h.hessian()), 1e-15); // not symmetrised
        assertEquals(Math.sqrt(2), h.asymmetry(), 1e-15);                          // ‖H − Hᵀ‖_F
        assertEquals(Math.sqrt(2.0 / 5), h.relativeAsymmetry(), 1e-15);            // / ‖H‖_F
        HessianResult sym = dev.dualgrad.Diff.hessianWithCheck(z -> z.square().sum(), Tensor.of(new double[] {1, 2}, 2), JacobianOptions.defaults());
        assertEquals(0.0, sym.asymmetry(), 0.0);
        assertEquals(0.0, sym.relativeAsymmetry(), 0.0);
        HessianResult zero = dev.dualgrad.Diff.hessianWithCheck(z -> z.sum(), Tensor.of(new double[] {1, 2}, 2), JacobianOptions.defaults());
        assertEquals(0.0, zero.relativeAsymmetry(), 0.0); // a zero Hessian: no division by its zero norm
    }

    /** The plan's numbers, exactly, in each mode: sizes, chunk, passes, bytes per pass; and the Jacobian they built. */
    @Test
    void planNumbersMatchWhatRan() {
        Tensor w = TensorRandom.seed(3).normal(3, 4);
        MultiTensorFunction f = xs -> xs[0].matmul(w).tanh().sum(0); // [2, 3] → [4]: n = 6, m = 4
        Tensor[] x = {TensorRandom.seed(4).normal(2, 3)};
        long rec = Reverse.vjp("probe", f, x).recordedElements();
        JacobianResult auto = Jacobians.jacobian(f, JacobianOptions.defaults(), x); // n > m: reverse, all 4 rows in one sweep
        assertEquals(new JacobianPlan(JacobianMode.REVERSE, 6, 4, 4, 1, 8 * rec * 4, auto.plan().reason()), auto.plan());
        JacobianResult fwd = Jacobians.jacobian(f, JacobianOptions.defaults().mode(JacobianMode.FORWARD).chunkSize(4), x);
        assertEquals(new JacobianPlan(JacobianMode.FORWARD, 6, 4, 4, 2, -1, fwd.plan().reason()), fwd.plan()); // m learnt from the passes
        JacobianResult rev = Jacobians.jacobian(f, JacobianOptions.defaults().mode(JacobianMode.REVERSE).chunkSize(3), x);
        assertEquals(new JacobianPlan(JacobianMode.REVERSE, 6, 4, 3, 2, 8 * rec * 3, rev.plan().reason()), rev.plan());
        JacobianResult fwdAuto = Jacobians.jacobian(f, JacobianOptions.defaults().mode(JacobianMode.FORWARD), x);
        assertEquals(new JacobianPlan(JacobianMode.FORWARD, 6, 4, 6, 1, 8 * rec * 6, fwdAuto.plan().reason()), fwdAuto.plan());
        // every mode and chunk gives the same Jacobian, and it is the right one (vs central differences)
        assertArrayEquals(Tensors.buffer(auto.get(0)), Tensors.buffer(fwd.get(0)), 1e-14);
        assertArrayEquals(Tensors.buffer(auto.get(0)), Tensors.buffer(rev.get(0)), 1e-14);
        assertArrayEquals(Tensors.buffer(auto.get(0)), Tensors.buffer(fwdAuto.get(0)), 1e-14);
        assertArrayEquals(new int[] {4, 2, 3}, auto.get(0).shape());
        assertTrue(dev.dualgrad.Diff.check(z -> f.apply(new Tensor[] {z}), x[0]).passed());
    }
}
