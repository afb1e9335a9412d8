package dev.dualgrad.testing;

import dev.dualgrad.internal.engine.Tensors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.Loss;
import dev.dualgrad.ops.CustomOp;
import dev.dualgrad.ops.VjpReads;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import org.junit.jupiter.api.Test;

class GradCheckTest {
    /** x³ with correct rules, written in tensor ops (so second order works). */
    static final CustomOp CUBE = CustomOp.builder("cube").arity(1).primal(x -> x[0].pow(3.0))
            .jvp((x, y, dx) -> dx[0].mul(x[0].square().mul(3)))
            .vjp((x, y, gy) -> new Tensor[] {gy.mul(x[0].square().mul(3))})
            .vjpReads(VjpReads.allInputs())
            .build();

    /** A JVP rule off by a factor 1.01: finite differences must catch it. */
    static final CustomOp WRONG_JVP = CustomOp.builder("cubeWrongJvp").arity(1).primal(x -> x[0].pow(3.0))
            .jvp((x, y, dx) -> dx[0].mul(x[0].square().mul(3.03)))
            .vjp((x, y, gy) -> new Tensor[] {gy.mul(x[0].square().mul(3))})
            .build();

    /** A VJP rule that forgot the factor 3: the dot-product test and finite differences must catch it. */
    static final CustomOp WRONG_VJP = CustomOp.builder("cubeWrongVjp").arity(1).primal(x -> x[0].pow(3.0))
            .jvp((x, y, dx) -> dx[0].mul(x[0].square().mul(3)))
            .vjp((x, y, gy) -> new Tensor[] {gy.mul(x[0].square())})
            .build();

    /**
     * Correct first derivatives, but the rule reads raw values (detached: a plain toArray() of a value
     * differentiated at second order throws): its own derivative is lost.
     */
    static final CustomOp OPAQUE_RULE = CustomOp.builder("cubeOpaqueRule").arity(1).primal(x -> x[0].pow(3.0))
            .jvp((x, y, dx) -> dx[0].mul(Tensor.of(x[0].square().mul(3).detach().toArray(), x[0].shape())))
            .vjp((x, y, gy) -> new Tensor[] {gy.mul(Tensor.of(x[0].square().mul(3).detach().toArray(), x[0].shape()))})
            .build();

    @Test
    void correctFunctionsPass() {
        Tensor x = TensorRandom.seed(1).normal(3, 4), w = TensorRandom.seed(2).normal(4, 2);
        GradCheckResult r = GradCheck.of(z -> z.matmul(w).tanh().logSoftmax(1), x).run();
        assertTrue(r.passed(), r.toString());
        assertEquals(6, r.checks().size(), r.toString()); // jvp, vjp, dot, full reverse vs FD, fwd = rev, second order
        GradCheck.of(xs -> Loss.crossEntropy(xs[0], xs[1].softmax(1)), TensorRandom.seed(3).normal(2, 5), TensorRandom.seed(4).normal(2, 5)).assertPasses();
        GradCheck.of(CUBE::apply, TensorRandom.seed(5).normal(2, 3)).stencil(GradCheck.Stencil.FOURTH_ORDER).directions(3).assertPasses();
    }

    @Test
    void aWrongJvpRuleIsCaught() {
        GradCheckResult r = GradCheck.of(WRONG_JVP::apply, TensorRandom.seed(6).normal(4)).run();
        assertFalse(r.passed());
        assertTrue(r.firstFailure().name().startsWith("JVP"), r.toString());
        AssertionError e = assertThrows(AssertionError.class, () -> GradCheck.of(WRONG_JVP::apply, TensorRandom.seed(6).normal(4)).assertPasses());
        assertTrue(e.getMessage().contains("FAIL") && e.getMessage().contains("analytic") && e.getMessage().contains("tolerance"), e.getMessage());
    }

    /** The full-Jacobian comparison holds both modes against finite differences, as Diff.check does, and names the same element. */
    @Test
    void theFullJacobianCheckIsDiffChecksAndCatchesAWrongForwardRuleToo() {
        Tensor x = TensorRandom.seed(6).normal(4);
        GradCheckResult r = GradCheck.of(WRONG_JVP::apply, x).run();
        GradCheckResult.Check full = r.checks().stream().filter(c -> c.name().startsWith("forward and reverse Jacobians")).findFirst().orElseThrow();
        assertFalse(full.passed(), r.toString());
        dev.dualgrad.transforms.CheckReport c = Diff.check(WRONG_JVP::apply, x);
        assertFalse(c.passed(), c.toString());
        String element = "Jacobian element " + java.util.Arrays.toString(full.worst().index()) + ": forward";
        assertTrue(c.toString().contains("off by") && c.toString().contains(element), c + "\n" + r);
        // the element: diagonal, where x² (and so the 1% error of 3.03x² against 3x²) is largest
        int k = full.worst().index()[0];
        for (int i = 0; i < 4; i++) assertTrue(Math.abs(x.get(i)) <= Math.abs(x.get(k)), r.toString());
        assertEquals(k, full.worst().index()[1]);
        assertEquals(3.03 * x.get(k) * x.get(k), full.worst().analytic(), 1e-12);
    }

    @Test
    void aWrongVjpRuleIsCaught() {
        GradCheckResult r = GradCheck.of(WRONG_VJP::apply, TensorRandom.seed(7).normal(4)).run();
        assertFalse(r.passed());
        assertTrue(r.checks().stream().anyMatch(c -> c.name().startsWith("dot-product") && !c.passed()), r.toString());
        assertTrue(r.checks().stream().anyMatch(c -> c.name().startsWith("VJP") && !c.passed()), r.toString());
        assertTrue(r.checks().stream().filter(c -> c.name().startsWith("JVP")).allMatch(GradCheckResult.Check::passed), r.toString());
    }

    @Test
    void aRuleThatIsNotDifferentiableAgainFailsOnlyTheSecondOrderCheck() {
        GradCheckResult r = GradCheck.of(OPAQUE_RULE::apply, TensorRandom.seed(8).normal(4)).run();
        assertFalse(r.passed(), r.toString());
        assertTrue(r.firstFailure().name().startsWith("second order"), r.toString());
        assertTrue(GradCheck.of(OPAQUE_RULE::apply, TensorRandom.seed(8).normal(4)).secondOrder(false).run().passed());
    }

    @Test
    void toleranceAndStepAreConfigurable() {
        // A deliberately too-tight tolerance fails, and the report names it.
        GradCheckResult tight = GradCheck.of(Tensor::exp, TensorRandom.seed(9).normal(3)).atol(0).rtol(1e-14).run();
        assertFalse(tight.passed());
        assertThrows(IllegalArgumentException.class, () -> GradCheck.of(Tensor::exp, Tensor.zeros(2)).eps(0));
    }

    @Test
    void customOpsWorkInBothModesBatchedAndAtSecondOrder() {
        Tensor x = TensorRandom.seed(10).normal(2, 3);
        Tensor j = Diff.jacobian(CUBE::apply, x);                               // forward, batched tangents
        Tensor jr = Diff.jacobian(CUBE::apply, x, dev.dualgrad.transforms.JacobianOptions.defaults()
                .mode(dev.dualgrad.transforms.JacobianMode.REVERSE));               // reverse, batched cotangents
        for (int i = 0; i < j.size(); i++) assertEquals(Tensors.buffer(j)[i], Tensors.buffer(jr)[i], 1e-14);
        assertEquals(3 * 0.25, Diff.grad(z -> CUBE.apply(z).sum(), Tensor.vector(0.5)).item(), 1e-15);
        assertEquals(6 * 0.5, Diff.hessian(z -> CUBE.apply(z).sum(), Tensor.vector(0.5)).item(), 1e-15);
    }

    @Test
    void aLinearCustomOpNeedsOnlyItsAdjoint() {
        // y = a·2 − b reversed: linear in (a, b); its adjoint maps ȳ to (2·reverse(ȳ), −reverse(ȳ)).
        int n = 4;
        int[] rev = {3, 2, 1, 0};
        CustomOp op = CustomOp.linear("twiceMinusReversed").arity(2)
                .primal(x -> Tensor.stack(0, x[0].select(0, 3), x[0].select(0, 2), x[0].select(0, 1), x[0].select(0, 0)).mul(2).sub(x[1]))
                .adjoint((gy, shapes) -> new Tensor[] {Tensor.stack(0, gy.select(0, 3), gy.select(0, 2), gy.select(0, 1), gy.select(0, 0)).mul(2), gy.neg()})
                .build();
        GradCheck.of(xs -> op.apply(xs[0], xs[1]).tanh(), TensorRandom.seed(11).normal(n), TensorRandom.seed(12).normal(n)).assertPasses();
        assertEquals(4, rev.length);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CustomOp.builder("x").arity(1).primal(x -> x[0]).vjp((x, y, g) -> new Tensor[] {g}).build());
        assertTrue(e.getMessage().contains("missing jvp(rule)"), e.getMessage());
        IllegalStateException bad = assertThrows(IllegalStateException.class, () -> Diff.grad(z -> CustomOp.builder("badShape").arity(1)
                .primal(x -> x[0].sum()).jvp((x, y, dx) -> dx[0].sum()).vjp((x, y, gy) -> new Tensor[] {gy}).build().apply(z), Tensor.zeros(3)));
        assertTrue(bad.getMessage().contains("badShape") && bad.getMessage().contains("[3]"), bad.getMessage());
    }
}
