package dev.dualgrad.commons;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.analysis.MultivariateVectorFunction;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleValueChecker;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.gradient.NonLinearConjugateGradientOptimizer;
import org.junit.jupiter.api.Test;

/** The objective and its gradient against closed forms, the shared recording, and a conjugate-gradient run. */
class ObjectiveTest {
    /** f(p) = Σ exp(pᵢ)·i + p₀p₁: ∇f = (e^{p₀}·0 + p₁, e^{p₁}·1 + p₀, e^{p₂}·2). */
    static final Objective F = Objective.of(p -> p.exp().mul(dev.dualgrad.tensor.Tensor.vector(0, 1, 2)).sum().add(p.at(0).mul(p.at(1))));

    @Test
    void theGradientIsTheClosedFormAndItsValueIsShared() {
        Objective f = Objective.of(p -> p.exp().mul(dev.dualgrad.tensor.Tensor.vector(0, 1, 2)).sum().add(p.at(0).mul(p.at(1))));
        MultivariateFunction value = f.valueFunction();
        MultivariateVectorFunction grad = f.gradientFunction();
        double[] p = {0.3, -0.2, 0.5};
        double expected = Math.exp(-0.2) + 2 * Math.exp(0.5) + 0.3 * -0.2;
        assertEquals(expected, value.value(p), 1e-15);
        assertEquals(1, f.plainEvaluations());
        assertArrayEquals(new double[] {-0.2, Math.exp(-0.2) + 0.3, 2 * Math.exp(0.5)}, grad.value(p), 1e-15);
        p[0] = 0.3; // same values, the caller's array (optimizers reuse theirs)
        assertEquals(expected, value.value(p.clone()), 1e-15);
        assertEquals(1, f.sharedValues(), "the value at the gradient's point came from its recording");
        assertEquals(1, f.gradientRecordings());
        p[0] = 0.31;
        value.value(p);
        assertEquals(2, f.plainEvaluations(), "another point is a plain evaluation");
        assertEquals(1, f.sharedValues());
    }

    @Test
    void conjugateGradientFindsTheMinimumOfAQuadratic() {
        Objective q = Objective.of(p -> p.sub(dev.dualgrad.tensor.Tensor.vector(1, -2, 3)).square().mul(dev.dualgrad.tensor.Tensor.vector(1, 10, 100)).sum());
        PointValuePair r = new NonLinearConjugateGradientOptimizer(NonLinearConjugateGradientOptimizer.Formula.FLETCHER_REEVES,
                new SimpleValueChecker(1e-15, 1e-15)).optimize(new MaxEval(10_000), q.function(), q.gradient(), GoalType.MINIMIZE,
                new InitialGuess(new double[] {0, 0, 0}));
        assertArrayEquals(new double[] {1, -2, 3}, r.getPoint(), 1e-6);
        assertTrue(q.sharedValues() > 0, "the optimizer asked a value at a gradient's point");
    }

    @Test
    void aNonScalarFunctionOrAnEmptyPointIsRefused() {
        Objective v = Objective.of(p -> p.mul(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.gradientFunction().value(new double[] {1, 2}));
        assertTrue(e.getMessage().contains("f must return one element, returned shape [2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> v.valueFunction().value(new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> F.valueFunction().value(new double[0]));
        assertThrows(NullPointerException.class, () -> F.gradientFunction().value(null));
        assertThrows(IllegalStateException.class, () -> Objective.of(p -> dev.dualgrad.tensor.Tensor.scalar(p.get(0))).gradientFunction().value(new double[] {1}));
    }
}
