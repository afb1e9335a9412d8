package dev.dualgrad.commons;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.internal.transforms.RepeatedJacobian;
import dev.dualgrad.internal.transforms.TapePullback;
import dev.dualgrad.tensor.Parallelism;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresProblem;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * curveFit's Jacobian block by block over independent samples ({@link RowBlocks}): the MLP's J against its
 * closed form (a per-sample loop written here), the route taken only when it is cheaper and safe (a model
 * that mixes samples, reads the batch size or has few parameters keeps the whole problem's Jacobian), and
 * the fallback's J equal to forward mode's.
 */
class LeastSquaresRowBlocksTest {
    static final int H = 16, N = 3 * H + 1, POINTS = 2000;
    /** y = W2·tanh(W1 x + b1) + b2, p = [W1 (h), b1 (h), W2 (h), b2]. */
    static final ParametricModel MLP = (p, in) -> in.matmul(p.slice(0, 0, H).reshape(1, H)).add(p.slice(0, H, 2 * H)).tanh()
            .matmul(p.slice(0, 2 * H, 3 * H).reshape(H, 1)).reshape(-1).add(p.at(3 * H));

    static double[] xs() {
        double[] x = new double[POINTS];
        for (int i = 0; i < POINTS; i++) x[i] = -1 + 2.0 * i / (POINTS - 1);
        return x;
    }

    /** Row i of J: ∂y/∂W1ₖ = W2ₖ(1 − aₖ²)xᵢ, ∂y/∂b1ₖ = W2ₖ(1 − aₖ²), ∂y/∂W2ₖ = aₖ, ∂y/∂b2 = 1, aₖ = tanh(W1ₖxᵢ + b1ₖ). */
    static double[] closedFormRow(double[] p, double x) {
        double[] row = new double[N];
        for (int k = 0; k < H; k++) {
            double a = Math.tanh(p[k] * x + p[H + k]), da = p[2 * H + k] * (1 - a * a);
            row[k] = da * x;
            row[H + k] = da;
            row[2 * H + k] = a;
        }
        row[3 * H] = 1;
        return row;
    }

    static void assertRowsEqual(double[] expected, double[] actual, String what) {
        for (int j = 0; j < expected.length; j++) {
            double tol = 1e-12 * Math.max(Math.abs(expected[j]), 1e-3);
            assertTrue(Math.abs(expected[j] - actual[j]) <= tol, what + " column " + j + ": " + actual[j] + " vs " + expected[j]);
        }
    }

    @Test
    void theMlpsJacobianFromBlocksIsItsClosedForm() {
        double[] x = xs(), p0 = TensorRandom.seed(9).normal(N).mul(0.5).toArray();
        Tensor xt = Tensor.of(x, POINTS, 1), y = Tensor.vector(new double[POINTS]);
        LeastSquaresProblem problem = LeastSquares.curveFit(MLP, xt, y, Tensor.vector(p0)).build();
        double[] p1 = p0.clone();
        p1[3] += 0.25;
        p1[20] -= 0.5;
        for (double[] p : new double[][] {p0, p1}) { // the kept start evaluation, then a fresh one
            RealMatrix j = problem.evaluate(new org.apache.commons.math3.linear.ArrayRealVector(p)).getJacobian();
            assertEquals(POINTS, j.getRowDimension());
            for (int i = 0; i < POINTS; i++) assertRowsEqual(closedFormRow(p, x[i]), j.getRow(i), "row " + i);
        }
    }

    @Test
    void blocksAreTakenForManyParametersAndIndependentSamplesOnly() {
        Tensor xt = Tensor.of(xs(), POINTS, 1), p0 = TensorRandom.seed(9).normal(N).mul(0.5);
        RowBlocks.Started blocked = tryAt(MLP, xt, p0, JacobianOptions.defaults());
        assertNotNull(blocked, "49 parameters, independent samples");
        assertEquals(JacobianMode.REVERSE, blocked.first().plan().mode());
        assertTrue(blocked.first().plan().chunk() < N, blocked.first().plan().toString());
        assertTrue(blocked.first().plan().reason().contains("independent"), blocked.first().plan().toString());

        assertNull(tryAt(MLP, xt, p0, JacobianOptions.defaults().mode(JacobianMode.FORWARD)), "a requested mode is kept");
        assertNull(tryAt(MLP, xt, p0, JacobianOptions.defaults().chunkSize(7)), "a requested chunk is kept");
        ParametricModel mixes = (p, in) -> MLP.predict(p, in.sub(in.mean())); // centred by the batch mean: samples mix
        assertNull(tryAt(mixes, xt, p0, JacobianOptions.defaults()));
        Tensor perSample = TensorRandom.seed(3).normal(POINTS); // captured data of the whole batch: a block cannot take it
        assertNull(tryAt((p, in) -> MLP.predict(p, in).add(perSample), xt, p0, JacobianOptions.defaults()));
        ParametricModel bySize = (p, in) -> MLP.predict(p, in).mul(1.0 / in.dim(0)); // reads the batch size: values differ
        assertNull(tryAt(bySize, xt, p0, JacobianOptions.defaults()));
        // dependences hidden at the start by a zero parameter (c = p₄₈ = 0): c·mean(x) mixes samples, c·B reads the batch size
        double[] zeroLast = p0.toArray();
        zeroLast[3 * H] = 0;
        Tensor pz = Tensor.vector(zeroLast);
        assertNotNull(tryAt(MLP, xt, pz, JacobianOptions.defaults()));
        assertNull(tryAt((p, in) -> MLP.predict(p, in).add(p.at(3 * H).mul(in.mean())), xt, pz, JacobianOptions.defaults()));
        assertNull(tryAt((p, in) -> MLP.predict(p, in).add(p.at(3 * H).mul(in.dim(0))), xt, pz, JacobianOptions.defaults()));
        ParametricModel decay = (p, t) -> p.at(0).mul(t.mul(p.at(1)).neg().exp()).add(p.at(2));
        assertNull(tryAt(decay, Tensor.vector(xs()), Tensor.vector(1, 1, 0), JacobianOptions.defaults()), "3 parameters: forward mode on the whole");
    }

    /** The blocks cut among threads (a pool of 3, more than the cores here) give bitwise the one-thread value and J. */
    @Test
    void blocksOnSeveralThreadsGiveTheOneThreadBits() {
        Tensor xt = Tensor.of(xs(), POINTS, 1), p0 = TensorRandom.seed(9).normal(N).mul(0.5);
        RowBlocks.Started blocked = tryAt(MLP, xt, p0, JacobianOptions.defaults());
        assertNotNull(blocked, "the MLP's samples are taken block by block");
        double[] p1 = p0.toArray();
        p1[5] += 0.3;
        Tensor at = Tensor.vector(p1);
        RepeatedJacobian.Evaluation one = Parallelism.singleThreaded(() -> blocked.evaluator().evaluate(at));
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(3);
        try {
            RepeatedJacobian.Evaluation three = Parallelism.with(pool, () -> blocked.evaluator().evaluate(at));
            assertEquals(POINTS, three.jacobian().length);
            for (int i = 0; i < POINTS; i++) assertArrayEquals(one.jacobian()[i], three.jacobian()[i], "row " + i);
            assertArrayEquals(one.value().toArray(), three.value().toArray());
        } finally {
            pool.shutdown();
        }
    }

    /** A model that mixes samples still gets its exact Jacobian, the whole problem's in forward mode. */
    @Test
    void aModelThatMixesSamplesGetsTheWholeProblemsJacobian() {
        Tensor xt = Tensor.of(xs(), POINTS, 1), p0 = TensorRandom.seed(9).normal(N).mul(0.5);
        ParametricModel mixes = (p, in) -> MLP.predict(p, in.sub(in.mean()));
        LeastSquaresProblem problem = LeastSquares.curveFit(mixes, xt, Tensor.vector(new double[POINTS]), p0).build();
        RealMatrix j = problem.evaluate(problem.getStart()).getJacobian();
        double[] centred = Tensor.of(xs(), POINTS, 1).sub(xt.mean()).toArray();
        for (int i = 0; i < POINTS; i += 97) assertRowsEqual(closedFormRow(p0.toArray(), centred[i]), j.getRow(i), "row " + i);
    }

    static RowBlocks.Started tryAt(ParametricModel model, Tensor x, Tensor p0, JacobianOptions o) {
        TapePullback whole = new RepeatedJacobian("test", p -> model.predict(p, x), o).planAt(p0);
        return RowBlocks.tryAt(model, x, p0, whole, o);
    }
}
