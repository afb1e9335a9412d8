package dev.dualgrad.commons;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.ops.CustomOp;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.testing.GradCheck;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.apache.commons.math3.analysis.differentiation.MultivariateDifferentiableFunction;
import org.apache.commons.math3.analysis.differentiation.UnivariateDifferentiableFunction;
import org.apache.commons.math3.analysis.function.Sinc;
import org.apache.commons.math3.analysis.solvers.NewtonRaphsonSolver;
import org.junit.jupiter.api.Test;

/**
 * DerivativeStructure orders 1, 2 (and 3) of dualgrad functions against closed forms, also through a
 * structure that is itself a function of other parameters (the chain rule); and a Commons Math function
 * used as a dualgrad op, its first and second derivatives against closed forms and GradCheck.
 */
class DifferentiableTest {
    /** f(x) = sin(x)·exp(x): f′ = eˣ(sin x + cos x), f″ = 2eˣ cos x, f‴ = 2eˣ(cos x − sin x). */
    static final UnivariateDifferentiableFunction F = Differentiable.univariate(x -> x.sin().mul(x.exp()));

    @Test
    void univariateOrdersOneTwoAndThreeAreTheClosedForms() {
        for (double x : new double[] {-1.3, 0, 0.4, 2.2}) {
            double e = Math.exp(x), s = Math.sin(x), c = Math.cos(x);
            assertEquals(s * e, F.value(x), 1e-15);
            DerivativeStructure d1 = F.value(new DerivativeStructure(1, 1, 0, x));
            assertEquals(s * e, d1.getValue(), 1e-15);
            assertEquals(e * (s + c), d1.getPartialDerivative(1), 1e-14);
            DerivativeStructure d3 = F.value(new DerivativeStructure(1, 3, 0, x));
            assertEquals(e * (s + c), d3.getPartialDerivative(1), 1e-14);
            assertEquals(2 * e * c, d3.getPartialDerivative(2), 1e-13);
            assertEquals(2 * e * (c - s), d3.getPartialDerivative(3), 1e-13);
            assertEquals(s * e, F.value(new DerivativeStructure(1, 0, 0, x)).getValue(), 1e-15);
        }
    }

    /** t = u·v with u, v the free parameters: ∂²f(uv)/∂u∂v = f′(uv) + uv·f″(uv), ∂²/∂u² = v²f″(uv). */
    @Test
    void aStructureOfSeveralParametersGetsTheChainRule() {
        double u = 0.7, v = -1.1, x = u * v;
        DerivativeStructure du = new DerivativeStructure(2, 2, 0, u), dv = new DerivativeStructure(2, 2, 1, v);
        DerivativeStructure r = F.value(du.multiply(dv));
        double e = Math.exp(x), f1 = e * (Math.sin(x) + Math.cos(x)), f2 = 2 * e * Math.cos(x);
        assertEquals(v * f1, r.getPartialDerivative(1, 0), 1e-14);
        assertEquals(u * f1, r.getPartialDerivative(0, 1), 1e-14);
        assertEquals(f1 + x * f2, r.getPartialDerivative(1, 1), 1e-13);
        assertEquals(v * v * f2, r.getPartialDerivative(2, 0), 1e-13);
    }

    /** g(x, y) = x²y + sin(y): ∇g = (2xy, x² + cos y), H = [[2y, 2x], [2x, −sin y]], ∂³g/∂x²∂y = 2. */
    @Test
    void multivariateOrdersOneTwoAndThreeAreTheClosedForms() {
        MultivariateDifferentiableFunction g = Differentiable.multivariate(p -> p.at(0).square().mul(p.at(1)).add(p.at(1).sin()));
        double x = 1.3, y = -0.4;
        assertEquals(x * x * y + Math.sin(y), g.value(new double[] {x, y}), 1e-15);
        for (int order = 1; order <= 3; order++) {
            DerivativeStructure r = g.value(new DerivativeStructure[] {new DerivativeStructure(2, order, 0, x), new DerivativeStructure(2, order, 1, y)});
            assertEquals(x * x * y + Math.sin(y), r.getValue(), 1e-15);
            assertEquals(2 * x * y, r.getPartialDerivative(1, 0), 1e-14);
            assertEquals(x * x + Math.cos(y), r.getPartialDerivative(0, 1), 1e-14);
            if (order >= 2) {
                assertEquals(2 * y, r.getPartialDerivative(2, 0), 1e-13);
                assertEquals(2 * x, r.getPartialDerivative(1, 1), 1e-13);
                assertEquals(-Math.sin(y), r.getPartialDerivative(0, 2), 1e-13);
            }
            if (order == 3) {
                assertEquals(2, r.getPartialDerivative(2, 1), 1e-12);
                assertEquals(0, r.getPartialDerivative(3, 0), 1e-12);
                assertEquals(-Math.cos(y), r.getPartialDerivative(0, 3), 1e-12);
            }
        }
        // the variables as functions of one parameter s: x = s, y = s² at s = 0.5; d/ds g = 2xy + (x² + cos y)·2s
        double s = 0.5;
        DerivativeStructure ds = new DerivativeStructure(1, 1, 0, s);
        DerivativeStructure r = g.value(new DerivativeStructure[] {ds, ds.multiply(ds)});
        assertEquals(2 * s * s * s + (s * s + Math.cos(s * s)) * 2 * s, r.getPartialDerivative(1), 1e-14);
    }

    @Test
    void newtonRaphsonSolvesWithTheExactDerivative() {
        UnivariateDifferentiableFunction cubic = Differentiable.univariate(x -> x.pow(3.0).sub(2));
        assertEquals(Math.cbrt(2), new NewtonRaphsonSolver(1e-15).solve(50, cubic, 0.5, 3, 1), 1e-15);
    }

    @Test
    void errorsNameTheFunctionAndTheProblem() {
        UnivariateDifferentiableFunction vectorValued = Differentiable.univariate(x -> Tensor.concat(0, x.unsqueeze(0), x.unsqueeze(0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vectorValued.value(1.0));
        assertTrue(e.getMessage().contains("f must return one element, returned shape [2]"), e.getMessage());
        MultivariateDifferentiableFunction g = Differentiable.multivariate(p -> p.sum());
        e = assertThrows(IllegalArgumentException.class, () -> g.value(new DerivativeStructure[] {
            new DerivativeStructure(1, 1, 0, 1.0), new DerivativeStructure(2, 1, 1, 1.0)}));
        assertTrue(e.getMessage().contains("point[1] has 2 parameters and order 1 but point[0] has 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> g.value(new DerivativeStructure[0]));
        assertThrows(NullPointerException.class, () -> g.value(new DerivativeStructure[] {null}));
        IllegalStateException s = assertThrows(IllegalStateException.class,
                () -> Differentiable.univariate(x -> Tensor.scalar(x.item())).value(new DerivativeStructure(1, 1, 0, 1.0)));
        assertTrue(s.getMessage().startsWith("item()"), s.getMessage());
    }

    // ------------------------------------------------------------------ Commons Math functions as ops

    /** sinc(x) = sin x / x: sinc′ = (x cos x − sin x)/x², sinc″ = −sinc − 2 sinc′/x. */
    @Test
    void aCommonsFunctionIsAnOpWithExactFirstAndSecondDerivatives() {
        CustomOp sinc = Differentiable.elementwise("sinc", new Sinc());
        Tensor x = Tensor.vector(-2.1, -0.7, 0.9, 1.6, 3.3);
        Tensor g = Diff.grad(z -> sinc.apply(z).sum(), x);
        Tensor h = Diff.grad(z -> Diff.grad(w -> sinc.apply(w).sum(), z).sum(), x); // diagonal of the Hessian, reverse over reverse
        Tensor hf = Diff.jvp(z -> Diff.grad(w -> sinc.apply(w).sum(), z), x, Tensor.ones(5)).tangent(); // forward over reverse
        for (int i = 0; i < 5; i++) {
            double v = x.get(i), sn = Math.sin(v) / v, d1 = (v * Math.cos(v) - Math.sin(v)) / (v * v), d2 = -sn - 2 * d1 / v;
            assertEquals(sn, sinc.apply(x).get(i), 1e-15);
            assertEquals(d1, g.get(i), 1e-14);
            assertEquals(d2, h.get(i), 1e-13);
            assertEquals(d2, hf.get(i), 1e-13);
        }
        GradCheck.of(z -> sinc.apply(z.mul(z)), x).assertPasses(); // forward, reverse, second order against differences
        assertEquals("sinc", sinc.name());
        assertTrue(Diff.jacobian(z -> sinc.apply(z), Tensor.zeros(0)).size() == 0);
    }

    @Test
    void aZeroTangentGivesZeroWhereTheDerivativeIsInfinite() {
        CustomOp sqrt = Differentiable.elementwise("sqrt", new org.apache.commons.math3.analysis.function.Sqrt());
        Tensor j = Diff.jacobian(z -> sqrt.apply(z), Tensor.vector(0, 4));
        assertEquals(Double.POSITIVE_INFINITY, j.get(0, 0));
        assertEquals(0.0, j.get(0, 1), 0); // ∂√x₀/∂x₁: a zero tangent times ∞ is 0, not NaN
        assertEquals(0.25, j.get(1, 1), 1e-15);
    }
}
