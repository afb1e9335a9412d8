package dev.dualgrad.commons;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.TensorFunction;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.math3.fitting.leastsquares.GaussNewtonOptimizer;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresOptimizer.Optimum;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresProblem;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.DiagonalMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.optim.SimpleVectorValueChecker;
import org.apache.commons.math3.util.Pair;
import org.junit.jupiter.api.Test;

/**
 * The least-squares adapters with Commons Math's optimizers and builder options, against closed forms:
 * the Jacobian of a·exp(−b·t) + c, the weighted linear fit from its normal equations (plain loops), a
 * validator's effect, lazy evaluation; the mode chosen as Diff.jacobian would; and the errors.
 */
class LeastSquaresTest {
    static final double[] T = {0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5};
    static final ParametricModel DECAY = (p, t) -> p.at(0).mul(t.mul(p.at(1)).neg().exp()).add(p.at(2));

    @Test
    void theJacobianOfTheDecayModelIsItsClosedForm() {
        Tensor t = Tensor.vector(T);
        for (JacobianMode mode : JacobianMode.values()) {
            LeastSquaresModel m = LeastSquares.model(p -> DECAY.predict(p, t), JacobianOptions.defaults().mode(mode));
            double a = 2, b = 0.7, c = -0.3;
            Pair<org.apache.commons.math3.linear.RealVector, RealMatrix> r = m.value(new ArrayRealVector(new double[] {a, b, c}));
            for (int i = 0; i < T.length; i++) {
                double e = Math.exp(-b * T[i]);
                assertEquals(a * e + c, r.getFirst().getEntry(i), 1e-15);
                assertArrayEquals(new double[] {e, -a * T[i] * e, 1}, r.getSecond().getRow(i), 1e-15, mode + " row " + i);
            }
            assertEquals(mode == JacobianMode.REVERSE ? JacobianMode.REVERSE : JacobianMode.FORWARD, m.plan().mode(), m.plan().toString());
        }
    }

    @Test
    void autoTakesForwardForFewParametersAndReverseForFewValues() {
        Tensor w = TensorRandom.seed(1).normal(40, 3);
        LeastSquaresModel tall = LeastSquares.model(p -> w.matmul(p.slice(0, 0, 3)).tanh().mul(p.at(3))); // 4 parameters, 40 values
        LeastSquaresModel wide = LeastSquares.model(p -> w.transpose().matmul(p).sin());                      // 40 parameters, 3 values
        tall.computeJacobian(new double[] {0.1, 0.2, 0.3, 2});
        wide.computeJacobian(TensorRandom.seed(2).normal(40).toArray());
        assertEquals(JacobianMode.FORWARD, tall.plan().mode());
        assertEquals(1, tall.plan().passes(), "the 4 tangents fit one pass: f and J from one evaluation");
        assertEquals(JacobianMode.REVERSE, wide.plan().mode());
        assertThrows(IllegalStateException.class, () -> LeastSquares.model(p -> p).plan(), "no plan before a Jacobian");
    }

    @Test
    void levenbergMarquardtAndGaussNewtonRecoverExactData() {
        Tensor t = Tensor.vector(T);
        Tensor y = t.mul(-1.3).exp().mul(2.5).add(0.5);
        for (boolean lazy : new boolean[] {false, true}) {
            LeastSquaresProblem problem = LeastSquares.curveFit(DECAY, t, y, Tensor.vector(1, 1, 0)).lazyEvaluation(lazy).build();
            for (Optimum o : new Optimum[] {new LevenbergMarquardtOptimizer().optimize(problem),
                    new GaussNewtonOptimizer().optimize(LeastSquares.curveFit(DECAY, t, y, Tensor.vector(2, 1, 0.3)).lazyEvaluation(lazy)
                            .checkerPair(new SimpleVectorValueChecker(1e-14, 1e-14)).build())}) {
                assertArrayEquals(new double[] {2.5, 1.3, 0.5}, o.getPoint().toArray(), 1e-9, "lazy " + lazy);
            }
        }
    }

    /** y ≈ p₀ + p₁·x with weights w: the minimiser solves the 2×2 normal equations (XᵀWX) p = XᵀWy, here by hand. */
    @Test
    void weightsGiveTheWeightedLeastSquaresSolution() {
        double[] x = {0, 1, 2, 3, 4, 5}, y = {1.1, 2.9, 5.2, 6.8, 9.3, 10.7}, w = {1, 4, 0.5, 2, 1, 3};
        double s = 0, sx = 0, sxx = 0, sy = 0, sxy = 0;
        for (int i = 0; i < x.length; i++) {
            s += w[i];
            sx += w[i] * x[i];
            sxx += w[i] * x[i] * x[i];
            sy += w[i] * y[i];
            sxy += w[i] * x[i] * y[i];
        }
        double det = s * sxx - sx * sx, p0 = (sxx * sy - sx * sxy) / det, p1 = (s * sxy - sx * sy) / det;
        LeastSquaresProblem problem = LeastSquares.curveFit((p, in) -> in.mul(p.at(1)).add(p.at(0)), Tensor.vector(x), Tensor.vector(y),
                Tensor.vector(0, 0)).weight(new DiagonalMatrix(w)).build();
        Optimum o = new LevenbergMarquardtOptimizer().optimize(problem);
        assertArrayEquals(new double[] {p0, p1}, o.getPoint().toArray(), 1e-10);
        // the unweighted fit is a different line: the weights were used
        Optimum plain = new LevenbergMarquardtOptimizer().optimize(LeastSquares.curveFit((p, in) -> in.mul(p.at(1)).add(p.at(0)),
                Tensor.vector(x), Tensor.vector(y), Tensor.vector(0, 0)).build());
        assertTrue(Math.abs(plain.getPoint().getEntry(0) - p0) > 1e-3, plain.getPoint().toString());
    }

    /** A validator that keeps b ≥ 0.5 stops the fit of data whose best b is 0.2 at the bound; the model only sees valid points. */
    @Test
    void aParameterValidatorIsAppliedBeforeTheModelSeesThePoint() {
        Tensor t = Tensor.vector(T);
        Tensor y = t.mul(-0.2).exp().mul(2.5).add(0.5);
        AtomicInteger belowBound = new AtomicInteger();
        ParametricModel watched = (p, in) -> {
            if (p.detach().get(1) < 0.5) belowBound.incrementAndGet();
            return DECAY.predict(p, in);
        };
        LeastSquaresProblem problem = LeastSquares.curveFit(watched, t, y, Tensor.vector(1, 1, 0)).parameterValidator(v -> {
            ArrayRealVector c = new ArrayRealVector(v);
            c.setEntry(1, Math.max(0.5, v.getEntry(1)));
            return c;
        }).build();
        Optimum o = new LevenbergMarquardtOptimizer().optimize(problem);
        assertEquals(0.5, o.getPoint().getEntry(1), 1e-12);
        assertEquals(0, belowBound.get());
    }

    @Test
    void maxEvaluationsAndIterationsHaveDefaultsThatCanBeChanged() {
        Tensor t = Tensor.vector(T);
        LeastSquaresBuilder b = LeastSquares.curveFit(DECAY, t, t.mul(-1.3).exp(), Tensor.vector(1, 1, 0));
        assertEquals(LeastSquares.DEFAULT_MAX_EVALUATIONS, b.build().getEvaluationCounter().getMaximalCount());
        assertThrows(org.apache.commons.math3.exception.TooManyEvaluationsException.class,
                () -> new LevenbergMarquardtOptimizer().optimize(b.maxEvaluations(2).build()));
    }

    /** curveFit evaluates once (a probe recording and the chosen forward pass); the optimizer's first evaluation at the start reuses it. */
    @Test
    void theOptimizersFirstEvaluationReusesCurveFitsCheck() {
        Tensor t = Tensor.vector(T);
        AtomicInteger calls = new AtomicInteger();
        ParametricModel counted = (p, in) -> {
            calls.incrementAndGet();
            return DECAY.predict(p, in);
        };
        LeastSquaresProblem problem = LeastSquares.curveFit(counted, t, t.mul(-1.3).exp(), Tensor.vector(1, 1, 0)).build();
        assertEquals(2, calls.get(), "the probe recording and one forward pass");
        RealMatrix first = problem.evaluate(problem.getStart()).getJacobian();
        assertEquals(2, calls.get(), "the check's evaluation was handed over");
        RealMatrix second = problem.evaluate(problem.getStart()).getJacobian();
        assertEquals(3, calls.get(), "only once: then one forward pass per evaluation");
        assertArrayEquals(first.getRow(3), second.getRow(3), 0);
        first.setEntry(3, 0, 42);
        assertEquals(second.getEntry(3, 1), problem.evaluate(problem.getStart()).getJacobian().getEntry(3, 1), 0);
    }

    // ------------------------------------------------------------------ errors

    @Test
    void aModelThatReadsAParameterAsADoubleGetsTheLibrarysErrorBeforeTheOptimizer() {
        Tensor t = Tensor.vector(T);
        ParametricModel reads = (p, in) -> in.mul(-p.get(1)).exp().mul(p.get(0));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LeastSquares.curveFit(reads, t, t, Tensor.vector(1, 1)));
        assertTrue(e.getMessage().startsWith("get(") && e.getMessage().contains("p.at(1) instead of p.get(1)"), e.getMessage());
        for (JacobianMode mode : JacobianMode.values()) {
            LeastSquaresModel m = LeastSquares.model(p -> reads.predict(p, t), JacobianOptions.defaults().mode(mode));
            assertThrows(IllegalStateException.class, () -> m.computeJacobian(new double[] {1, 1}), mode.toString());
        }
    }

    @Test
    void sizesThatDoNotMatchTheObservationsAreReportedByCurveFit() {
        Tensor t = Tensor.vector(T), y = Tensor.vector(T);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LeastSquares.curveFit((p, in) -> DECAY.predict(p, in).unsqueeze(1), t, y, Tensor.vector(1, 1, 0)));
        assertTrue(e.getMessage().contains("shape [8, 1] but observed has shape [8]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LeastSquares.curveFit(DECAY, t, y.slice(0, 0, 5), Tensor.vector(1, 1, 0)));
        assertTrue(e.getMessage().contains("shape [8] but observed has shape [5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LeastSquares.curveFit(DECAY, t, y, Tensor.of(new double[] {1, 1, 0}, 1, 3)));
        assertTrue(e.getMessage().contains("start must be a non-empty vector"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LeastSquares.curveFit(DECAY, t, y.div(y), Tensor.vector(1, 1, 0)));
        assertTrue(e.getMessage().contains("observed element 0 is NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LeastSquares.curveFit(DECAY, t, Tensor.zeros(0), Tensor.vector(1, 1, 0)));
        assertTrue(e.getMessage().contains("observed is empty"), e.getMessage());
    }

    @Test
    void aPointOrValueOfAnotherSizeIsRefusedWithItsSizes() {
        TensorFunction f = p -> p.square();
        LeastSquaresModel m = LeastSquares.model(f);
        m.computeJacobian(new double[] {1, 2, 3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.computeValue(new double[] {1, 2}));
        assertTrue(e.getMessage().contains("2 parameters but this model takes 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.value(new ArrayRealVector(4)));
        assertThrows(IllegalArgumentException.class, () -> m.computeJacobian(new double[0]));
        LeastSquaresModel varying = LeastSquares.model(p -> p.sum().gt(0).item() > 0 ? p : p.slice(0, 0, 1));
        varying.computeValue(new double[] {1, 1});
        e = assertThrows(IllegalArgumentException.class, () -> varying.computeValue(new double[] {-1, -1}));
        assertTrue(e.getMessage().contains("f returned 1 values (shape [1]) but 2 are expected"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LeastSquares.model(p -> p.slice(0, 0, 0)).computeValue(new double[] {1}));
        assertTrue(e.getMessage().contains("f returned no values"), e.getMessage());
        // the builder's own target of another size: Commons Math's DimensionMismatchException at the first evaluation
        LeastSquaresProblem p = new LeastSquaresBuilder().model(LeastSquares.model(f)).target(new double[2]).start(new double[3])
                .maxEvaluations(10).maxIterations(10).build();
        assertThrows(org.apache.commons.math3.exception.DimensionMismatchException.class, () -> p.evaluate(p.getStart()));
    }

    @Test
    void theCallersArraysAreNeverKept() {
        LeastSquaresModel m = LeastSquares.model(p -> p.mul(2));
        double[] point = {1, 2};
        RealMatrix j = m.computeJacobian(point);
        point[0] = 100;
        assertArrayEquals(new double[] {2, 4}, m.computeValue(new double[] {1, 2}).toArray(), 0);
        j.setEntry(0, 0, 7); // the caller owns what it got
        assertEquals(2, m.computeJacobian(new double[] {1, 2}).getEntry(0, 0));
    }
}
