package dev.dualgrad.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.Loss;
import dev.dualgrad.nn.Functional;
import dev.dualgrad.tensor.Linalg;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.TensorFunction;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.DMatrixSparseCSC;
import org.ejml.interfaces.linsol.LinearSolverSparse;
import org.ejml.sparse.FillReducing;
import org.ejml.sparse.csc.factory.LinearSolverFactory_DSCC;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * An independent review of the sparse transforms: extremes, shapes, every op family, modes and plans,
 * prepared objects, verification, EJML, the dense route's sparse option and null arguments. References
 * are the dense transforms and matrices derived by hand.
 */
class SparseReviewTest {
    private static final JacobianOptions D = JacobianOptions.defaults();

    /** The dense Jacobian of f at x as an m×n array (x and f(x) row-major). */
    static double[][] dense(TensorFunction f, Tensor x, int m) {
        int n = x.size();
        double[] d = Diff.jacobian(f, x).toArray();
        assertEquals((long) m * n, d.length);
        double[][] r = new double[m][n];
        for (int i = 0; i < m; i++) System.arraycopy(d, i * n, r[i], 0, n);
        return r;
    }

    /** Sparse equals dense entry for entry (NaN equals NaN, ±∞ exactly), and no dense nonzero outside the pattern. */
    static void same(double[][] want, SparseMatrix got, double tol) {
        assertEquals(want.length, got.rows(), "rows");
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i].length, got.columns(), "columns");
            for (int j = 0; j < want[i].length; j++) {
                double w = want[i][j], g = got.get(i, j);
                if (w != 0 && !Double.isNaN(w)) assertTrue(got.pattern().contains(i, j), "(" + i + "," + j + ") = " + w + " not in the pattern");
                if (Double.isNaN(w) || Double.isInfinite(w)) assertEquals(w, g, 0, "(" + i + "," + j + ")");
                else assertEquals(w, g, tol * Math.max(1, Math.abs(w)), "(" + i + "," + j + ")");
            }
        }
    }

    static void jacobianMatchesDense(TensorFunction f, Tensor x, double tol) {
        int m = f.apply(x).size();
        double[][] want = dense(f, x, m);
        for (JacobianMode mode : JacobianMode.values()) {
            SparseJacobian p = SparseJacobian.prepare(f, x, D.mode(mode));
            same(want, p.evaluate(x), tol);
            SparsePlan plan = p.plan();
            assertTrue(plan.colours() >= plan.lowerBound(), plan.toString());
            if (plan.colours() > 0) assertEquals((plan.colours() + plan.chunk() - 1) / plan.chunk(), plan.passes(), plan.toString());
        }
        same(want, Diff.sparseJacobian(f, x), tol);
    }

    static void hessianMatchesDense(TensorFunction f, Tensor x, double tol) {
        int n = x.size();
        double[] d = Diff.hessian(f, x).toArray();
        double[][] want = new double[n][n];
        for (int i = 0; i < n; i++) System.arraycopy(d, i * n, want[i], 0, n);
        SparseHessian p = SparseHessian.prepare(f, x);
        assertTrue(p.pattern().isSymmetric());
        same(want, p.evaluate(x), tol);
    }

    // ------------------------------------------------------------------ extremes

    @Test
    void emptyInput() {
        TensorFunction f = z -> Tensor.vector(1, 2, 3).add(z.sum());
        SparseMatrix j = Diff.sparseJacobian(f, Tensor.zeros(0));
        assertEquals(3, j.rows());
        assertEquals(0, j.columns());
        assertEquals(0, j.nonZeros());
        SparseMatrix h = Diff.sparseHessian(z -> z.square().sum(), Tensor.zeros(0));
        assertEquals(0, h.rows());
        assertEquals(0, h.columns());
    }

    @Test
    void emptyOutput() {
        TensorFunction f = z -> z.slice(0, 0, 0);
        for (JacobianMode mode : JacobianMode.values()) {
            SparseMatrix j = Diff.sparseJacobian(f, Tensor.vector(1, 2, 3, 4), D.mode(mode));
            assertEquals(0, j.rows());
            assertEquals(4, j.columns());
            assertEquals(0, j.nonZeros());
        }
    }

    @Test
    void rankZeroInputAndOutput() {
        Tensor x = Tensor.scalar(0.7);
        TensorFunction f = z -> Tensor.stack(0, z.sin(), z.square(), z.mul(3));
        jacobianMatchesDense(f, x, 1e-15);
        SparseMatrix j = Diff.sparseJacobian(f, x);
        assertEquals(Math.cos(0.7), j.get(0, 0), 1e-15);
        assertEquals(1.4, j.get(1, 0), 1e-15);
        TensorFunction g = z -> z.square().sum(); // rank-0 output
        Tensor v = Tensor.vector(1, -2, 3);
        SparseMatrix gj = Diff.sparseJacobian(g, v);
        assertEquals(1, gj.rows());
        assertArrayEquals(new double[] {2, -4, 6}, gj.toDense().reshape(3).toArray(), 0);
        SparseMatrix h = Diff.sparseHessian(z -> z.pow(3).mul(2), x);
        assertEquals(1, h.rows());
        assertEquals(12 * 0.7, h.get(0, 0), 1e-14);
    }

    @Test
    void nEqualsOne() {
        Tensor x = Tensor.vector(0.3);
        jacobianMatchesDense(z -> z.exp(), x, 0);
        assertEquals(Math.exp(0.3), Diff.sparseHessian(z -> z.exp().sum(), x).get(0, 0), 1e-15);
    }

    /** y = x·(Σx): every entry depends on every input, so every column is a colour of its own. */
    @Test
    void fullyDensePattern() {
        Tensor x = Tensor.vector(1, 2, 3, 4, 5);
        TensorFunction f = z -> z.mul(z.sum());
        SparseJacobian p = SparseJacobian.prepare(f, x);
        assertEquals(25, p.pattern().nonZeros());
        assertEquals(5, p.plan().colours());
        assertEquals(5, p.plan().lowerBound());
        // hand: J_ij = δ_ij·S + x_i, S = 15
        SparseMatrix j = p.evaluate(x);
        for (int i = 0; i < 5; i++) for (int k = 0; k < 5; k++) assertEquals((i == k ? 15 : 0) + x.toArray()[i], j.get(i, k), 0);
        jacobianMatchesDense(f, x, 0);
        hessianMatchesDense(z -> z.sum().square().add(z.square().sum()), x, 1e-14);
    }

    /** A constant output row and an unused input column. */
    @Test
    void emptyRowAndColumn() {
        Tensor x = Tensor.vector(1, 2, 3, 4);
        TensorFunction f = z -> Tensor.concat(0, z.slice(0, 0, 2).square(), Tensor.vector(7), z.slice(0, 1, 2).exp());
        SparseJacobian p = SparseJacobian.prepare(f, x);
        assertEquals(0, p.pattern().row(2).length);
        SparseMatrix j = p.evaluate(x);
        for (int i = 0; i < 4; i++) assertEquals(0, j.get(i, 2));
        for (int i = 0; i < 4; i++) assertEquals(0, j.get(i, 3));
        assertEquals(2, j.get(0, 0), 0);
        assertEquals(4, j.get(1, 1), 0);
        assertEquals(Math.exp(2), j.get(3, 1), 0);
        jacobianMatchesDense(f, x, 0);
        hessianMatchesDense(z -> z.slice(0, 0, 2).pow(3).sum(), x, 0);
    }

    @Test
    void nanAndInfinitiesMatchTheDenseJacobianElementwise() {
        Tensor x = Tensor.vector(Double.NaN, 1, Double.POSITIVE_INFINITY, 2, Double.NEGATIVE_INFINITY, 3, 1e308, -1e308, 0.5);
        jacobianMatchesDense(z -> z.exp().add(z.square()), x, 1e-15);
        jacobianMatchesDense(z -> z.mul(3), x, 0);
    }

    @Test
    void nanAndInfinitiesInAStencil() {
        Tensor x = Tensor.vector(0.5, Double.NaN, 1, Double.POSITIVE_INFINITY, 2, -1e308, 3, 1e308, 0.25, 1);
        int n = 10;
        TensorFunction stencil = u -> u.slice(0, 0, n - 2).add(u.slice(0, 2, n)).sub(u.slice(0, 1, n - 1).mul(2)).add(u.slice(0, 1, n - 1).square());
        jacobianMatchesDense(stencil, x, 1e-15);
    }

    @Test
    void nanAndInfinitiesInAProductStencil() {
        Tensor x = Tensor.vector(0.5, Double.NaN, 1, Double.POSITIVE_INFINITY, 2, 1e308, 3, 0.25);
        jacobianMatchesDense(u -> u.slice(0, 0, 7).mul(u.slice(0, 1, 8)), x, 1e-15);
    }

    @Test
    void hugeValuesInAHessian() {
        Tensor x = Tensor.vector(1e154, -1e154, 1e-300, 2);
        hessianMatchesDense(z -> z.slice(0, 0, 3).mul(z.slice(0, 1, 4)).sum(), x, 0);
    }

    // ------------------------------------------------------------------ shapes and op families

    @Test
    void multiAxisShapes() {
        Tensor w = TensorRandom.seed(3).normal(4, 5);
        Tensor x = TensorRandom.seed(4).normal(3, 4);
        TensorFunction f = z -> z.slice(0, 0, 2).sin().matmul(w).mul(z.slice(0, 1, 3).slice(1, 0, 1)); // [2,5]
        assertArrayEquals(new int[] {2, 5}, f.apply(x).shape());
        jacobianMatchesDense(f, x, 1e-14);
        SparseMatrix j = Diff.sparseJacobian(f, x);
        assertEquals(10, j.rows());
        assertEquals(12, j.columns());
    }

    @Test
    void broadcastHeavy() {
        Tensor x = TensorRandom.seed(5).normal(3, 4);
        Tensor row = Tensor.vector(1, 2, 3, 4);
        TensorFunction f = z -> z.sub(z.mean(1, true)).mul(z.sum(0, true)).add(row).mul(z.slice(1, 0, 1));
        jacobianMatchesDense(f, x, 1e-13);
        TensorFunction g = z -> z.reshape(3, 1, 4).add(z.reshape(1, 3, 4)).square(); // [3,3,4]
        jacobianMatchesDense(g, x, 1e-14);
    }

    @Test
    void softmaxAndLogsumexpAreBlockDiagonal() {
        Tensor x = TensorRandom.seed(6).normal(5, 4);
        SparseJacobian p = SparseJacobian.prepare(z -> z.softmax(1), x);
        assertEquals(5 * 16, p.pattern().nonZeros());
        assertEquals(4, p.plan().colours());
        jacobianMatchesDense(z -> z.softmax(1), x, 1e-14);
        jacobianMatchesDense(z -> z.logSoftmax(0), x, 1e-14);
        jacobianMatchesDense(z -> z.logsumexp(1), x, 1e-14);
        hessianMatchesDense(z -> z.logsumexp(1).sum(), x, 1e-14);
        assertEquals(5 * 16, SparseHessian.prepare(z -> z.logsumexp(1).sum(), x).pattern().nonZeros());
    }

    @Test
    void gatherFamily() {
        Tensor x = TensorRandom.seed(7).normal(3, 4);
        jacobianMatchesDense(z -> z.indexSelect(new int[] {2, 0, 2, 3}, 1).square(), x, 1e-15);
        Tensor idx = Tensor.of(new double[] {0, 3, 1, 1, 2, 2}, 3, 2);
        jacobianMatchesDense(z -> z.takeAlongAxis(idx, 1).exp(), x, 1e-15);
        Tensor sidx = Tensor.of(new double[] {0, 0, 1, 2, 1, 1, 0, 3, 2, 2, 2, 0}, 3, 4);
        jacobianMatchesDense(z -> Tensor.zeros(3, 4).scatterAdd(sidx, z.square(), 1), x, 1e-15);
        jacobianMatchesDense(z -> z.scatterAdd(sidx, z.exp(), 1), x, 1e-15);
        SparseMatrix j = Diff.sparseJacobian(z -> z.indexSelect(new int[] {2, 0, 2, 3}, 1), x);
        assertEquals(12, j.nonZeros()); // one entry per output
        hessianMatchesDense(z -> z.indexSelect(new int[] {2, 0, 2, 3}, 1).pow(3).sum(), x, 1e-14);
    }

    @Test
    void cumsumIsLowerTriangularPerRow() {
        Tensor x = TensorRandom.seed(8).normal(3, 4);
        SparseJacobian p = SparseJacobian.prepare(z -> z.cumsum(1), x);
        assertEquals(3 * 10, p.pattern().nonZeros());
        SparseMatrix j = p.evaluate(x);
        for (int r = 0; r < 3; r++) for (int a = 0; a < 4; a++) for (int b = 0; b < 4; b++) assertEquals(b <= a ? 1 : 0, j.get(r * 4 + a, r * 4 + b), 0);
        jacobianMatchesDense(z -> z.cumsum(1).square(), x, 1e-14);
        jacobianMatchesDense(z -> z.cumsum(0), x, 0);
    }

    @Test
    void einsum() {
        Tensor w = TensorRandom.seed(9).normal(4, 2);
        Tensor x = TensorRandom.seed(10).normal(3, 4);
        jacobianMatchesDense(z -> Tensor.einsum("ij,jk->ik", z, w), x, 1e-14);
        jacobianMatchesDense(z -> Tensor.einsum("ij,ij->i", z, z), x, 1e-14);
        jacobianMatchesDense(z -> Tensor.einsum("ij->ji", z).sin(), x, 1e-15);
        SparseMatrix j = Diff.sparseJacobian(z -> Tensor.einsum("ij,ij->i", z, z), x);
        assertEquals(12, j.nonZeros());
    }

    @Test
    void linearAlgebra() {
        Tensor a = Tensor.of(new double[][] {{4, 1, 0}, {1, 3, 1}, {0, 1, 2}});
        Tensor b = TensorRandom.seed(11).normal(3, 2);
        jacobianMatchesDense(z -> Linalg.solve(a, z), b, 1e-13);
        Tensor batch = TensorRandom.seed(12).normal(2, 3, 3);
        TensorFunction chol = z -> Linalg.cholesky(z.matmul(z, false, true).add(Tensor.eye(3).mul(3)));
        jacobianMatchesDense(chol, batch, 1e-12);
        SparseJacobian p = SparseJacobian.prepare(chol, batch);
        // the two batch entries are independent: no row of entry 0 touches a column of entry 1
        for (int i = 0; i < 9; i++) for (int c : p.pattern().row(i)) assertTrue(c < 9, "row " + i + " reads column " + c);
        jacobianMatchesDense(z -> Linalg.solve(z.matmul(z, false, true).add(Tensor.eye(3).mul(3)), Tensor.ones(2, 3, 1)), batch, 1e-12);
    }

    @Test
    void layerNorm() {
        Tensor x = TensorRandom.seed(13).normal(3, 4);
        jacobianMatchesDense(z -> Functional.layerNorm(z, new int[] {4}), x, 1e-12);
        assertEquals(3 * 16, SparseJacobian.prepare(z -> Functional.layerNorm(z, new int[] {4}), x).pattern().nonZeros());
        hessianMatchesDense(z -> Functional.layerNorm(z, new int[] {4}).sin().sum(), x, 1e-11);
    }

    @Test
    void crossEntropyWithIntTargets() {
        Tensor x = TensorRandom.seed(14).normal(3, 4);
        int[] t = {1, 0, 3};
        TensorFunction f = z -> Loss.crossEntropy(z, t);
        jacobianMatchesDense(f, x, 1e-14);
        hessianMatchesDense(f, x, 1e-14);
        assertEquals(3 * 16, SparseHessian.prepare(f, x).pattern().nonZeros());
    }

    @Test
    void kinks() {
        Tensor x = Tensor.vector(0, -1, 2, 0, 3, 3, -0.0, 1);
        jacobianMatchesDense(z -> z.relu().add(z.abs()), x, 0);
        jacobianMatchesDense(z -> z.maximum(z.slice(0, 0, 1).broadcastTo(8)), x, 0);
        jacobianMatchesDense(z -> z.reshape(4, 2).max(1), x, 0); // ties at rows 0 (0, -1)? and 2 (3, 3)
        jacobianMatchesDense(z -> z.slice(0, 0, 4).maximum(z.slice(0, 4, 8)), x, 0);
    }

    // ------------------------------------------------------------------ modes and plans

    @Test
    void modesChunksAndBudgets() {
        int n = 30;
        Tensor x = TensorRandom.seed(15).normal(n);
        TensorFunction stencil = u -> u.slice(0, 0, n - 2).add(u.slice(0, 2, n)).sub(u.slice(0, 1, n - 1).mul(2)).add(u.slice(0, 1, n - 1).exp());
        double[][] want = dense(stencil, x, n - 2);
        for (JacobianOptions o : new JacobianOptions[] {D.mode(JacobianMode.FORWARD), D.mode(JacobianMode.REVERSE), D.chunkSize(1),
                D.mode(JacobianMode.REVERSE).chunkSize(1), D.memoryBudget(1), D.mode(JacobianMode.REVERSE).memoryBudget(1), D.chunkSize(2)}) {
            SparseJacobian p = SparseJacobian.prepare(stencil, x, o);
            SparsePlan plan = p.plan();
            if (o.mode() != JacobianMode.AUTO) assertEquals(o.mode(), plan.mode(), plan.toString());
            if (o.chunkSize() > 0) assertEquals(o.chunkSize(), plan.chunk(), plan.toString());
            assertTrue(plan.chunk() >= 1);
            assertEquals((plan.colours() + plan.chunk() - 1) / plan.chunk(), plan.passes(), plan.toString());
            assertTrue(plan.colours() >= plan.lowerBound(), plan.toString());
            assertEquals(3, plan.lowerBound(), plan.toString());
            same(want, p.evaluate(x), 1e-14);
        }
        SparseHessian h = SparseHessian.prepare(z -> stencil.apply(z).square().sum(), x, D.chunkSize(1));
        assertEquals(h.plan().colours(), h.plan().passes());
        hessianMatchesDense(z -> stencil.apply(z).square().sum(), x, 1e-12);
        SparseHessian hb = SparseHessian.prepare(z -> stencil.apply(z).square().sum(), x, D.memoryBudget(1));
        assertTrue(hb.plan().chunk() >= 1);
        assertEquals(h.evaluate(x).toDense().toArray().length, hb.evaluate(x).toDense().toArray().length);
        assertArrayEquals(h.evaluate(x).values(), hb.evaluate(x).values(), 1e-12);
    }

    @Test
    void hessianRejectsReverseMode() {
        assertThrows(IllegalArgumentException.class, () -> SparseHessian.prepare(z -> z.square().sum(), Tensor.vector(1, 2), D.mode(JacobianMode.REVERSE)));
    }

    // ------------------------------------------------------------------ prepared objects

    @Test
    void preparedAtManyPoints() {
        int n = 12;
        TensorFunction f = u -> u.slice(0, 1, n).mul(u.slice(0, 0, n - 1)).sin();
        for (JacobianMode mode : JacobianMode.values()) {
            SparseJacobian p = SparseJacobian.prepare(f, TensorRandom.seed(16).normal(n), D.mode(mode));
            for (int s = 0; s < 5; s++) {
                Tensor y = TensorRandom.seed(100 + s).normal(n);
                same(dense(f, y, n - 1), p.evaluate(y), 1e-14);
            }
        }
        SparseHessian h = SparseHessian.prepare(z -> f.apply(z).sum(), TensorRandom.seed(16).normal(n));
        for (int s = 0; s < 5; s++) {
            Tensor y = TensorRandom.seed(200 + s).normal(n);
            double[] d = Diff.hessian(z -> f.apply(z).sum(), y).toArray();
            double[][] want = new double[n][n];
            for (int i = 0; i < n; i++) System.arraycopy(d, i * n, want[i], 0, n);
            same(want, h.evaluate(y), 1e-13);
        }
    }

    /** f's output size depends on x's value: the prepared Jacobian must throw, in either mode. */
    @Test
    void outputSizeChangeThrowsInForwardMode() {
        TensorFunction f = z -> z.detach().toArray()[0] > 0 ? z.slice(0, 0, 3).square() : z.slice(0, 0, 2).square();
        SparseJacobian p = SparseJacobian.prepare(f, Tensor.vector(1, 2, 3, 4), D.mode(JacobianMode.FORWARD));
        assertThrows(IllegalArgumentException.class, () -> p.evaluate(Tensor.vector(-1, 2, 3, 4)));
    }

    @Test
    void outputSizeChangeThrowsInReverseMode() {
        TensorFunction f = z -> z.detach().toArray()[0] > 0 ? z.slice(0, 0, 3).square() : z.slice(0, 0, 2).square();
        SparseJacobian p = SparseJacobian.prepare(f, Tensor.vector(1, 2, 3, 4), D.mode(JacobianMode.REVERSE));
        Exception e = assertThrows(IllegalArgumentException.class, () -> p.evaluate(Tensor.vector(-1, 2, 3, 4)));
        assertTrue(e.getMessage().contains("sparseJacobian"), e.getMessage());
    }

    @Test
    void outputGrowsInReverseMode() {
        TensorFunction f = z -> z.detach().toArray()[0] > 0 ? z.slice(0, 0, 2).square() : z.slice(0, 0, 3).square();
        SparseJacobian p = SparseJacobian.prepare(f, Tensor.vector(1, 2, 3, 4), D.mode(JacobianMode.REVERSE));
        Exception e = assertThrows(IllegalArgumentException.class, () -> p.evaluate(Tensor.vector(-1, 2, 3, 4)));
        assertTrue(e.getMessage().contains("sparseJacobian"), e.getMessage());
    }

    /** Output size changes where the pattern is empty (no colours): must still throw. */
    @Test
    void outputSizeChangeWithAnEmptyPattern() {
        TensorFunction f = z -> z.detach().toArray()[0] > 0 ? Tensor.zeros(3) : Tensor.zeros(2);
        SparseJacobian p = SparseJacobian.prepare(f, Tensor.vector(1, 2));
        assertThrows(IllegalArgumentException.class, () -> p.evaluate(Tensor.vector(-1, 2)));
    }

    /** Hessian: f's output becomes non-scalar at another point. */
    @Test
    void hessianOutputBecomesNonScalar() {
        TensorFunction f = z -> z.detach().toArray()[0] > 0 ? z.square().sum() : z.square();
        SparseHessian p = SparseHessian.prepare(f, Tensor.vector(1, 2));
        assertThrows(IllegalArgumentException.class, () -> p.evaluate(Tensor.vector(-1, 2)));
    }

    @Test
    void wrongShape() {
        SparseJacobian p = SparseJacobian.prepare(z -> z.square(), Tensor.zeros(2, 3));
        Exception e = assertThrows(IllegalArgumentException.class, () -> p.evaluate(Tensor.zeros(6)));
        assertTrue(e.getMessage().contains("[6]") && e.getMessage().contains("[2, 3]"), e.getMessage());
        SparseHessian h = SparseHessian.prepare(z -> z.square().sum(), Tensor.zeros(2, 3));
        assertThrows(IllegalArgumentException.class, () -> h.evaluate(Tensor.zeros(3, 2)));
    }

    @Test
    void tracedInputIsRejectedInsideEnclosingTransforms() {
        Tensor x = Tensor.vector(1, 2, 3);
        TensorFunction sq = z -> z.square();
        SparseJacobian pj = SparseJacobian.prepare(sq, x);
        SparseHessian ph = SparseHessian.prepare(z -> z.pow(3).sum(), x);
        TensorFunction[] users = {
            z -> { Diff.sparseJacobian(sq, z); return z.sum(); },
            z -> { Diff.sparseHessian(w -> w.pow(3).sum(), z); return z.sum(); },
            z -> { pj.evaluate(z); return z.sum(); },
            z -> { ph.evaluate(z); return z.sum(); },
            z -> { SparseJacobian.prepare(sq, z); return z.sum(); },
            z -> { SparseHessian.prepare(w -> w.pow(3).sum(), z); return z.sum(); },
        };
        for (TensorFunction u : users) {
            assertThrows(IllegalArgumentException.class, () -> Diff.grad(u, x));
            assertThrows(IllegalArgumentException.class, () -> Diff.jvp(u, x, Tensor.ones(3)));
            assertThrows(IllegalArgumentException.class, () -> Diff.hessian(u, x));
        }
        // a detached x inside a transform is fine
        assertDoesNotThrow(() -> Diff.grad(z -> { Diff.sparseJacobian(sq, z.detach()); return z.sum(); }, x));
    }

    @Test
    void concurrentUseOfOnePreparedJacobian() throws Exception {
        int n = 40;
        TensorFunction f = u -> u.slice(0, 1, n).mul(u.slice(0, 0, n - 1)).sin().add(u.slice(0, 1, n).exp());
        for (JacobianMode mode : new JacobianMode[] {JacobianMode.FORWARD, JacobianMode.REVERSE}) {
            SparseJacobian p = SparseJacobian.prepare(f, TensorRandom.seed(17).normal(n), D.mode(mode));
            SparseHessian h = SparseHessian.prepare(z -> f.apply(z).sum(), TensorRandom.seed(17).normal(n));
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<?>[] fs = new Future<?>[2];
                for (int t = 0; t < 2; t++) {
                    int seed = 300 + 1000 * t;
                    fs[t] = pool.submit((Callable<Void>) () -> {
                        for (int s = 0; s < 40; s++) {
                            Tensor y = TensorRandom.seed(seed + s).normal(n);
                            assertArrayEquals(Diff.jacobian(f, y).toArray(), p.evaluate(y).toDense().toArray(), 1e-13);
                            assertArrayEquals(Diff.hessian(z -> f.apply(z).sum(), y).toArray(), h.evaluate(y).toDense().toArray(), 1e-12);
                        }
                        return null;
                    });
                }
                for (Future<?> fu : fs) fu.get();
            } finally {
                pool.shutdown();
            }
        }
    }

    // ------------------------------------------------------------------ verification

    static final TensorFunction BRANCHY = z -> z.detach().toArray()[0] > 0 ? z.square() : z.mul(z.slice(0, 0, 1).broadcastTo(z.shape()));

    @Test
    void verifyCatchesAPatternThatChangesWithControlFlow() {
        Tensor here = Tensor.vector(1, 2, 3), there = Tensor.vector(-1, 2, 3);
        for (JacobianMode mode : JacobianMode.values()) {
            SparseJacobian p = SparseJacobian.prepare(BRANCHY, here, D.verify(true).mode(mode));
            assertDoesNotThrow(() -> p.evaluate(here));
            assertThrows(IllegalStateException.class, () -> p.evaluate(there));
        }
        TensorFunction g = z -> BRANCHY.apply(z).sum().mul(z.sum());
        SparseHessian h = SparseHessian.prepare(z -> z.detach().toArray()[0] > 0 ? z.square().sum() : z.prod(), here, D.verify(true));
        assertDoesNotThrow(() -> h.evaluate(here));
        assertThrows(IllegalStateException.class, () -> h.evaluate(there));
        assertTrue(g != null);
    }

    @Test
    void verifyDoesNotFalseAlarmOnLargeAndSmallEntries() {
        Tensor c = Tensor.vector(1e300, 1e-300, -1e300, 1);
        TensorFunction f = z -> z.mul(c).sum(0, true).add(z.slice(0, 0, 1).mul(1e-300));
        Tensor x = Tensor.vector(1, 2, 3, 4);
        for (JacobianMode mode : JacobianMode.values()) {
            SparseMatrix j = Diff.sparseJacobian(f, x, D.verify(true).mode(mode));
            assertEquals(1e300, j.get(0, 0), 1e285);
        }
        // cancellation: y = 1e16·x0 − 1e16·x1 + x2, at any x
        TensorFunction g = z -> z.slice(0, 0, 1).mul(1e16).sub(z.slice(0, 1, 2).mul(1e16)).add(z.slice(0, 2, 3));
        for (JacobianMode mode : JacobianMode.values()) assertDoesNotThrow(() -> Diff.sparseJacobian(g, Tensor.vector(0.1, 0.1 + 1e-17, 3), D.verify(true).mode(mode)));
        assertDoesNotThrow(() -> Diff.sparseHessian(z -> z.square().mul(c).sum(), x, D.verify(true)));
    }

    @Test
    void verifyDoesNotFalseAlarmOnTinyEntries() {
        Tensor c = Tensor.vector(1e-300, 3e-310, 2e-320);
        TensorFunction f = z -> z.mul(c);
        assertDoesNotThrow(() -> Diff.sparseJacobian(f, Tensor.vector(1, 2, 3), D.verify(true)));
        assertDoesNotThrow(() -> Diff.sparseHessian(z -> z.square().mul(c).sum(), Tensor.vector(1, 2, 3), D.verify(true)));
    }

    @Test
    void verifyDoesNotFalseAlarmOnHugeRowsThatOverflowTheProduct() {
        Tensor c = Tensor.vector(1.5e308, 1.5e308);
        TensorFunction f = z -> z.mul(c).sum(0, true); // J = [1.5e308, 1.5e308]: J·v may overflow, as the JVP does
        assertDoesNotThrow(() -> Diff.sparseJacobian(f, Tensor.vector(1, 2), D.verify(true)));
    }

    @Test
    void verifyDoesNotFalseAlarmOnNanOrInfinite() {
        TensorFunction f = z -> z.exp();
        Tensor x = Tensor.vector(Double.NaN, 1, 2);
        assertDoesNotThrow(() -> Diff.sparseJacobian(f, x, D.verify(true)));
        assertDoesNotThrow(() -> Diff.sparseJacobian(f, Tensor.vector(Double.POSITIVE_INFINITY, 1, 2), D.verify(true)));
        assertDoesNotThrow(() -> Diff.sparseHessian(z -> z.exp().sum(), x, D.verify(true)));
    }

    // ------------------------------------------------------------------ Hessians

    @Test
    void hessianOfANonScalarThrows() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> Diff.sparseHessian(z -> z.square(), Tensor.vector(1, 2)));
        assertTrue(e.getMessage().contains("sparseHessian"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Diff.sparseHessian(z -> null, Tensor.vector(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> Diff.sparseJacobian(z -> null, Tensor.vector(1, 2)));
    }

    @Test
    void zeroHessian() {
        Tensor x = Tensor.vector(1, 2, 3);
        SparseHessian p = SparseHessian.prepare(z -> z.mul(Tensor.vector(1, 2, 3)).sum().add(5), x);
        assertEquals(0, p.pattern().nonZeros());
        SparseMatrix h = p.evaluate(x);
        assertEquals(3, h.rows());
        assertArrayEquals(new double[9], h.toDense().toArray(), 0);
        assertEquals(0, Diff.sparseHessian(z -> Tensor.scalar(4), x).nonZeros());
    }

    /** f = ½xᵀAx + bᵀx with A tridiagonal: H = A, by hand, at every x. */
    @Test
    void constantNonzeroHessian() {
        int n = 7;
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = 4 + i;
            if (i + 1 < n) a[i * n + i + 1] = a[(i + 1) * n + i] = -1 - i;
        }
        Tensor am = Tensor.of(a, n, n);
        TensorFunction f = z -> am.matmul(z.reshape(n, 1)).reshape(n).mul(z).sum().mul(0.5).add(z.sum());
        SparseHessian p = SparseHessian.prepare(f, Tensor.zeros(n));
        for (int s = 0; s < 3; s++) {
            SparseMatrix h = p.evaluate(TensorRandom.seed(400 + s).normal(n));
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) assertEquals(a[i * n + j], h.get(i, j), 1e-14, "(" + i + "," + j + ")");
        }
        // the matmul with a constant matrix makes the pattern dense per row; the result is still right
        hessianMatchesDense(f, Tensor.ones(n), 1e-14);
        // written elementwise, the pattern is tridiagonal: 3 colours
        TensorFunction g = z -> z.square().mul(Tensor.of(new double[] {4, 5, 6, 7, 8, 9, 10}, n)).sum().mul(0.5)
                .add(z.slice(0, 0, n - 1).mul(z.slice(0, 1, n)).mul(Tensor.of(new double[] {-1, -2, -3, -4, -5, -6}, n - 1)).sum());
        SparseHessian pg = SparseHessian.prepare(g, Tensor.ones(n));
        assertEquals(3 * n - 2, pg.pattern().nonZeros());
        assertTrue(pg.plan().colours() <= 3, pg.plan().toString());
        SparseMatrix hg = pg.evaluate(TensorRandom.seed(500).normal(n));
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) assertEquals(a[i * n + j], hg.get(i, j), 1e-14, "(" + i + "," + j + ")");
    }

    /** Detaching one factor makes the dense Hessian asymmetric: the sparse one must not silently symmetrize it. */
    @Test
    void hessianThroughDetachAgreesWithDense() {
        Tensor x = Tensor.vector(1.5, -2, 0.5);
        TensorFunction f = z -> z.slice(0, 0, 1).square().mul(z.slice(0, 1, 2).detach()).add(z.slice(0, 1, 2).mul(z.slice(0, 2, 3))).sum();
        hessianMatchesDense(f, x, 1e-14);
    }

    // ------------------------------------------------------------------ EJML

    @Test
    void ejmlCscEqualsTheMatrixAndSolves() {
        int n = 20;
        TensorFunction f = u -> u.slice(0, 0, n - 2).add(u.slice(0, 2, n)).sub(u.slice(0, 1, n - 1).mul(4)).add(u.slice(0, 1, n - 1).exp());
        TensorFunction g = u -> Tensor.concat(0, u.slice(0, 0, 1).mul(3), f.apply(u), u.slice(0, n - 1, n).mul(5)); // square, nonsingular
        Tensor x = TensorRandom.seed(18).normal(n).mul(0.1);
        SparseMatrix j = Diff.sparseJacobian(g, x);
        DMatrixSparseCSC c = EjmlSparse.toCsc(j);
        assertEquals(n, c.numRows);
        assertEquals(n, c.numCols);
        assertEquals(j.nonZeros(), c.nz_length);
        assertTrue(c.indicesSorted);
        for (int r = 0; r < n; r++) for (int k = 0; k < n; k++) assertEquals(j.get(r, k), c.get(r, k), 0, "(" + r + "," + k + ")");
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) xs[i] = Math.sin(i);
        double[] rhs = j.multiply(xs);
        LinearSolverSparse<DMatrixSparseCSC, DMatrixRMaj> lu = LinearSolverFactory_DSCC.lu(FillReducing.NONE);
        assertTrue(lu.setA(c));
        DMatrixRMaj sol = new DMatrixRMaj(n, 1);
        lu.solve(new DMatrixRMaj(n, 1, true, rhs), sol);
        for (int i = 0; i < n; i++) assertEquals(xs[i], sol.get(i, 0), 1e-10);
        // a rectangular one, and the empty one
        SparseMatrix rect = Diff.sparseJacobian(f, x);
        DMatrixSparseCSC rc = EjmlSparse.toCsc(rect);
        for (int r = 0; r < n - 2; r++) for (int k = 0; k < n; k++) assertEquals(rect.get(r, k), rc.get(r, k), 0);
        DMatrixSparseCSC e = EjmlSparse.toCsc(Diff.sparseJacobian(z -> z.slice(0, 0, 0), x));
        assertEquals(0, e.numRows);
        assertEquals(n, e.numCols);
    }

    @Test
    void ejmlCholeskyOnASparseHessian() {
        int n = 15;
        TensorFunction f = z -> z.slice(0, 1, n).sub(z.slice(0, 0, n - 1)).square().sum().add(z.square().sum()).add(z.exp().sum());
        Tensor x = TensorRandom.seed(19).normal(n);
        SparseMatrix h = Diff.sparseHessian(f, x);
        DMatrixSparseCSC c = EjmlSparse.toCsc(h);
        for (int r = 0; r < n; r++) for (int k = 0; k < n; k++) assertEquals(h.get(r, k), c.get(r, k), 0);
        LinearSolverSparse<DMatrixSparseCSC, DMatrixRMaj> chol = LinearSolverFactory_DSCC.cholesky(FillReducing.NONE);
        assertTrue(chol.setA(c));
        double[] b = new double[n];
        java.util.Arrays.fill(b, 1);
        DMatrixRMaj sol = new DMatrixRMaj(n, 1);
        chol.solve(new DMatrixRMaj(n, 1, true, b), sol);
        double[] back = h.multiply(sol.getData());
        for (int i = 0; i < n; i++) assertEquals(1, back[i], 1e-10);
    }

    // ------------------------------------------------------------------ the dense route's sparse option

    @Test
    void sparseWhenItPaysGivesTheDenseResult() {
        int n = 30;
        TensorFunction stencil = u -> u.slice(0, 0, n - 2).add(u.slice(0, 2, n)).sub(u.slice(0, 1, n - 1).mul(2)).add(u.slice(0, 1, n - 1).exp());
        Tensor x = TensorRandom.seed(20).normal(n);
        Tensor want = Diff.jacobian(stencil, x);
        for (JacobianOptions o : new JacobianOptions[] {D.sparseWhenItPays(true), D.proposeSparse(true), D.sparseWhenItPays(true).mode(JacobianMode.REVERSE),
                D.sparseWhenItPays(true).chunkSize(1)}) {
            Tensor got = Diff.jacobian(stencil, x, o);
            assertArrayEquals(want.shape(), got.shape());
            assertArrayEquals(want.toArray(), got.toArray(), 0);
        }
        Tensor xm = TensorRandom.seed(21).normal(3, 4);
        TensorFunction multi = z -> z.sin().slice(1, 0, 2).mul(2);
        Tensor wm = Diff.jacobian(multi, xm);
        Tensor gm = Diff.jacobian(multi, xm, D.sparseWhenItPays(true));
        assertArrayEquals(wm.shape(), gm.shape());
        assertArrayEquals(wm.toArray(), gm.toArray(), 0);
        // rank-0 x and NaN
        Tensor gn = Diff.jacobian(z -> z.exp(), Tensor.vector(Double.NaN, 1, 2, 3, 4, 5, 6, 7), D.sparseWhenItPays(true));
        assertArrayEquals(Diff.jacobian(z -> z.exp(), Tensor.vector(Double.NaN, 1, 2, 3, 4, 5, 6, 7)).toArray(), gn.toArray(), 0);
    }

    @Test
    void sparseWhenItPaysStaysDifferentiableUnderAnEnclosingTransform() {
        int n = 12;
        TensorFunction stencil = u -> u.slice(0, 0, n - 2).mul(u.slice(0, 2, n)).add(u.slice(0, 1, n - 1).sin());
        TensorFunction with = z -> Diff.jacobian(stencil, z, D.sparseWhenItPays(true)).square().sum();
        TensorFunction without = z -> Diff.jacobian(stencil, z).square().sum();
        Tensor x = TensorRandom.seed(22).normal(n);
        double[] gw = Diff.grad(with, x).toArray(), go = Diff.grad(without, x).toArray();
        assertArrayEquals(go, gw, 1e-13);
        // against central differences
        double h = 1e-6;
        double[] xv = x.toArray();
        for (int i = 0; i < n; i++) {
            double[] p = xv.clone(), m = xv.clone();
            p[i] += h;
            m[i] -= h;
            double fd = (without.apply(Tensor.of(p, n)).item() - without.apply(Tensor.of(m, n)).item()) / (2 * h);
            assertEquals(fd, gw[i], 1e-5 * Math.max(1, Math.abs(fd)));
        }
        Tensor v = TensorRandom.seed(23).normal(n);
        assertEquals(Diff.jvp(without, x, v).tangent().item(), Diff.jvp(with, x, v).tangent().item(), 1e-12);
    }

    // ------------------------------------------------------------------ nulls and bad arguments

    static void npeNaming(String parameter, org.junit.jupiter.api.function.Executable e) {
        RuntimeException t = (RuntimeException) assertThrows(RuntimeException.class, e);
        assertTrue(t instanceof NullPointerException || t instanceof IllegalArgumentException, t.toString());
        assertTrue(t.getMessage() != null && t.getMessage().contains(parameter), "message should name " + parameter + ": " + t.getMessage());
    }

    @Test
    void nullArgumentsAreNamed() {
        Tensor x = Tensor.vector(1, 2);
        TensorFunction f = z -> z.square();
        npeNaming("f", () -> Diff.sparseJacobian(null, x));
        npeNaming("x", () -> Diff.sparseJacobian(f, null));
        npeNaming("options", () -> Diff.sparseJacobian(f, x, null));
        npeNaming("f", () -> Diff.sparseHessian(null, x));
        npeNaming("x", () -> Diff.sparseHessian(f, null));
        npeNaming("options", () -> Diff.sparseHessian(f, x, null));
        npeNaming("x", () -> SparseJacobian.prepare(f, x).evaluate(null));
        npeNaming("x", () -> SparseHessian.prepare(z -> z.sum(), x).evaluate(null));
        npeNaming("mode", () -> D.mode(null));
        SparseMatrix j = Diff.sparseJacobian(f, x);
        npeNaming("v", () -> j.multiply(null));
        npeNaming("u", () -> j.transposeMultiply(null));
        npeNaming("action", () -> j.forEach(null));
        npeNaming("a", () -> EjmlSparse.toCsc(null));
        npeNaming("pattern", () -> SparseMatrix.of(null, new double[0]));
        npeNaming("values", () -> SparseMatrix.of(j.pattern(), null));
        npeNaming("rows", () -> SparsityPattern.fromRows(2, null));
        npeNaming("rowPointers", () -> SparsityPattern.of(1, 1, null, new int[0]));
        npeNaming("columnIndices", () -> SparsityPattern.of(1, 1, new int[] {0, 0}, null));
        npeNaming("rowPointers", () -> SparseMatrix.of(1, 1, null, new int[0], new double[0]));
        npeNaming("values", () -> SparseMatrix.of(1, 1, new int[] {0, 0}, new int[0], null));
    }

    @Test
    void badArgumentsToTheMatrix() {
        SparseMatrix j = Diff.sparseJacobian(z -> z.slice(0, 0, 2).square(), Tensor.vector(1, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> j.multiply(new double[2]));
        assertThrows(IllegalArgumentException.class, () -> j.transposeMultiply(new double[3]));
        assertThrows(RuntimeException.class, () -> j.get(2, 0));
        assertThrows(RuntimeException.class, () -> j.get(0, 3));
        assertThrows(RuntimeException.class, () -> j.get(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> SparseMatrix.of(j.pattern(), new double[1]));
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.fromRows(2, new int[][] {{0, 2}}));
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.fromRows(2, new int[][] {{-1}}));
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.of(1, 2, new int[] {0, 2}, new int[] {1, 0}));
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.of(1, 2, new int[] {0, 2}, new int[] {1, 1}));
        // the returned arrays are copies
        j.values()[0] = 99;
        j.rowPointers()[1] = 99;
        j.columnIndices()[0] = 2;
        assertEquals(2, j.get(0, 0), 0);
        assertEquals(4, j.get(1, 1), 0);
        // transpose and transposeMultiply agree with dense
        double[] u = {0.5, -2};
        double[] want = {1, -8, 0};
        assertArrayEquals(want, j.transposeMultiply(u), 0);
        assertArrayEquals(want, j.transpose().multiply(u), 0);
    }

    // ------------------------------------------------------------------ more ops, nested transforms, detach

    @Test
    void miscellaneousOps() {
        Tensor x = TensorRandom.seed(30).normal(3, 4).add(0.1);
        jacobianMatchesDense(z -> z.prod(1), x, 1e-13);
        jacobianMatchesDense(z -> z.var(new int[] {1}, dev.dualgrad.tensor.VarianceOptions.defaults()), x, 1e-13);
        jacobianMatchesDense(z -> z.min(0), x, 0);
        jacobianMatchesDense(z -> z.logcumsumexp(1), x, 1e-13);
        jacobianMatchesDense(z -> z.permute(1, 0).reshape(2, 6).sigmoid(), x, 1e-14);
        jacobianMatchesDense(z -> z.pad(1, 2, 1).tanh(), x, 1e-14);
        jacobianMatchesDense(z -> Tensor.concat(0, z, z.square()).slice(0, 2, 5), x, 1e-14);
        jacobianMatchesDense(z -> Tensor.stack(1, z, z.exp()), x, 1e-14);
        jacobianMatchesDense(z -> z.select(1, 2).outer(z.select(0, 1)), x, 1e-14);
        jacobianMatchesDense(z -> z.pow(z.abs()), x.abs(), 1e-13);
        jacobianMatchesDense(z -> z.clamp(-0.5, 0.5).minimum(z.square()), x, 0);
        jacobianMatchesDense(z -> z.matmul(z.transpose()), x, 1e-14);
        jacobianMatchesDense(z -> z.detach().mul(z), x, 0);
        jacobianMatchesDense(z -> Tensor.where(Tensor.of(new double[] {1, 0, 1, 0}, 4), z.square(), z.exp()), x, 1e-15);
        hessianMatchesDense(z -> z.prod(1).sum(), x, 1e-13);
        hessianMatchesDense(z -> z.norm(), x, 1e-13);
        hessianMatchesDense(z -> z.detach().mul(z.square()).sum(), x, 1e-14);
    }

    /** Diff.grad inside f: the Jacobian of a gradient is a Hessian (tridiagonal here). */
    @Test
    void nestedTransformsInsideF() {
        int n = 9;
        TensorFunction g = z -> z.slice(0, 0, n - 1).square().mul(z.slice(0, 1, n)).sum();
        Tensor x = TensorRandom.seed(31).normal(n);
        TensorFunction grad = z -> Diff.grad(g, z);
        jacobianMatchesDense(grad, x, 1e-14);
        SparseJacobian p = SparseJacobian.prepare(grad, x);
        assertEquals(3 * n - 3, p.pattern().nonZeros(), p.pattern().toString()); // H[n−1][n−1] = 0: x_{n−1} enters linearly
        hessianMatchesDense(z -> Diff.grad(g, z).square().sum(), x, 1e-13);
        TensorFunction jvp = z -> Diff.jvp(g, z, Tensor.ones(n)).tangent().mul(z);
        jacobianMatchesDense(jvp, x, 1e-14);
    }

    /** With x₀ = ∞, the dense route's columns that do not reach row 0 get 0·∞ = NaN there; the sparse route keeps true zeros off the pattern. */
    @Test
    void infinityOffThePattern() {
        Tensor x = Tensor.vector(Double.POSITIVE_INFINITY, 2, 3, 4);
        TensorFunction f = z -> Tensor.concat(0, z.slice(0, 0, 1).mul(z.slice(0, 1, 2)), z.slice(0, 2, 4).exp());
        SparseMatrix j = Diff.sparseJacobian(f, x);
        assertEquals(2, j.get(0, 0), 0);
        assertEquals(Double.POSITIVE_INFINITY, j.get(0, 1), 0);
        assertEquals(0, j.get(0, 2), 0);
        assertEquals(Math.exp(3), j.get(1, 2), 0);
    }

    @Test
    void hessianWithInfinitiesMatchesDense() {
        Tensor x = Tensor.vector(1, Double.POSITIVE_INFINITY, 2, Double.NaN, 3, 1e300);
        hessianMatchesDense(z -> z.slice(0, 0, 5).square().mul(z.slice(0, 1, 6)).sum(), x, 1e-15);
    }

    @Test
    void customOpIsTreatedAsDense() {
        dev.dualgrad.ops.CustomOp twice = dev.dualgrad.ops.CustomOp.linear("twice").arity(1).primal(a -> a[0].mul(2))
                .adjoint((gy, shapes) -> new Tensor[] {gy.mul(2)}).build();
        dev.dualgrad.ops.CustomOp sq = dev.dualgrad.ops.CustomOp.builder("sq").arity(1).primal(a -> a[0].square())
                .jvp((a, y, dx) -> a[0].mul(dx[0]).mul(2)).vjp((a, y, gy) -> new Tensor[] {a[0].mul(gy).mul(2)}).elementwise().build();
        Tensor x = TensorRandom.seed(32).normal(5);
        jacobianMatchesDense(z -> twice.apply(z).sin(), x, 1e-15);
        assertEquals(25, SparseJacobian.prepare(z -> twice.apply(z).sin(), x).pattern().nonZeros());
        jacobianMatchesDense(z -> sq.apply(z).sin(), x, 1e-15);
        assertEquals(5, SparseJacobian.prepare(z -> sq.apply(z).sin(), x).pattern().nonZeros());
        hessianMatchesDense(z -> sq.apply(z).sin().sum(), x, 1e-14);
    }

    // ------------------------------------------------------------------ random patterns (colouring and decompression)

    /** y_k = x_{a_k}·sin(x_{b_k}) + x_{c_k}² for random a, b, c: a random sparse Jacobian. */
    @Test
    void randomSparseJacobians() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(77);
        for (int trial = 0; trial < 15; trial++) {
            int n = 5 + r.nextInt(40), m = 1 + r.nextInt(50);
            int[] a = new int[m], b = new int[m], c = new int[m];
            for (int k = 0; k < m; k++) { a[k] = r.nextInt(n); b[k] = r.nextInt(n); c[k] = r.nextInt(n); }
            TensorFunction f = z -> z.indexSelect(a, 0).mul(z.indexSelect(b, 0).sin()).add(z.indexSelect(c, 0).square());
            jacobianMatchesDense(f, TensorRandom.seed(600 + trial).normal(n), 1e-14);
            SparseJacobian p = SparseJacobian.prepare(f, TensorRandom.seed(600 + trial).normal(n), D.chunkSize(1 + r.nextInt(3)));
            Tensor y = TensorRandom.seed(700 + trial).normal(n);
            same(dense(f, y, m), p.evaluate(y), 1e-14);
        }
    }

    /** f = Σ_k w_k·x_{a_k}²·x_{b_k} + Σ x³ over random pairs: a random sparse Hessian, star-coloured. */
    @Test
    void randomSparseHessians() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(78);
        for (int trial = 0; trial < 15; trial++) {
            int n = 3 + r.nextInt(40), m = 1 + r.nextInt(60);
            int[] a = new int[m], b = new int[m];
            for (int k = 0; k < m; k++) { a[k] = r.nextInt(n); b[k] = r.nextInt(n); }
            TensorFunction f = z -> z.indexSelect(a, 0).square().mul(z.indexSelect(b, 0)).sum().add(z.pow(3).sum());
            hessianMatchesDense(f, TensorRandom.seed(800 + trial).normal(n), 1e-13);
        }
    }

    /** An arrow Hessian (x₀ couples with everything, the rest diagonal): star colouring needs 2 colours. */
    @Test
    void arrowHessian() {
        int n = 30;
        TensorFunction f = z -> z.slice(0, 0, 1).mul(z.slice(0, 1, n).sum()).sum().add(z.pow(4).sum());
        Tensor x = TensorRandom.seed(33).normal(n);
        SparseHessian p = SparseHessian.prepare(f, x);
        hessianMatchesDense(f, x, 1e-13);
        assertTrue(p.plan().colours() <= 3, p.plan().toString());
    }

    @Test
    void sparseOptionOnEdgeInputs() {
        Tensor e = Diff.jacobian(z -> z.square(), Tensor.zeros(0), D.sparseWhenItPays(true));
        assertEquals(0, e.size());
        Tensor s = Diff.jacobian(z -> z.sin(), Tensor.scalar(0.5), D.sparseWhenItPays(true));
        assertEquals(Math.cos(0.5), s.item(), 0);
        Tensor o = Diff.jacobian(z -> z.slice(0, 0, 0), Tensor.ones(4), D.sparseWhenItPays(true));
        assertEquals(0, o.size());
        assertTrue(Diff.jacobianWithPlan(z -> z.square(), Tensor.ones(50), D.proposeSparse(true)).toString() != null);
    }

    @Test
    void patternFromUnsortedOrRepeatedRowsIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.fromRows(3, new int[][] {{2, 0}}));
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.fromRows(3, new int[][] {{1, 1}}));
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.fromRows(-1, new int[0][]));
        int[] rp = {0, 1, 2}, ci = {0, 1};
        double[] v = {5, 6};
        SparseMatrix m = SparseMatrix.of(2, 2, rp, ci, v);
        rp[1] = 2; ci[0] = 1; v[0] = 9; // the inputs were copied
        assertEquals(5, m.get(0, 0), 0);
        assertEquals(6, m.get(1, 1), 0);
        assertArrayEquals(new int[] {2, 2}, m.toDense().shape());
        assertArrayEquals(new int[] {0, 3}, SparseMatrix.of(0, 3, new int[] {0}, new int[0], new double[0]).toDense().shape());
    }

    // ------------------------------------------------------------------ detection state

    @Test
    void concurrentPreparation() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?>[] fs = new Future<?>[2];
            for (int t = 0; t < 2; t++) {
                int n = 10 + 7 * t;
                fs[t] = pool.submit((Callable<Void>) () -> {
                    TensorFunction f = u -> u.slice(0, 1, n).mul(u.slice(0, 0, n - 1)).exp();
                    TensorFunction h = u -> u.slice(0, 1, n).mul(u.slice(0, 0, n - 1)).exp().sum();
                    for (int s = 0; s < 60; s++) {
                        assertEquals(2 * (n - 1), SparseJacobian.prepare(f, Tensor.ones(n)).pattern().nonZeros());
                        assertEquals(3 * n - 2, SparseHessian.prepare(h, Tensor.ones(n)).pattern().nonZeros());
                    }
                    return null;
                });
            }
            for (Future<?> fu : fs) fu.get();
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void detectionInsideDetection() {
        TensorFunction g = w -> w.slice(0, 0, 2).square();
        TensorFunction f = z -> z.mul(Diff.sparseJacobian(g, Tensor.vector(1, 3, 5)).get(1, 1));
        SparseJacobian p = SparseJacobian.prepare(f, Tensor.ones(4));
        assertEquals(4, p.pattern().nonZeros());
        assertEquals(6, p.evaluate(Tensor.ones(4)).get(2, 2), 0);
        TensorFunction fh = z -> z.square().sum().mul(Diff.sparseHessian(w -> w.square().sum(), Tensor.ones(2)).get(0, 0));
        assertEquals(4, Diff.sparseHessian(fh, Tensor.ones(3)).get(1, 1), 0);
    }

    @Test
    void anExceptionInFDuringDetectionLeavesNoState() {
        TensorFunction bad = z -> { throw new IllegalStateException("boom"); };
        assertThrows(IllegalStateException.class, () -> SparseJacobian.prepare(bad, Tensor.ones(3)));
        assertThrows(IllegalStateException.class, () -> SparseHessian.prepare(bad, Tensor.ones(3)));
        TensorFunction half = z -> { z.square(); throw new IllegalStateException("late"); };
        assertThrows(IllegalStateException.class, () -> SparseJacobian.prepare(half, Tensor.ones(3)));
        // afterwards everything is normal, sparse and dense
        jacobianMatchesDense(z -> z.slice(0, 0, 2).mul(z.slice(0, 1, 3)), Tensor.vector(1, 2, 3), 0);
        assertArrayEquals(new double[] {2, 4, 6}, Diff.grad(z -> z.square().sum(), Tensor.vector(1, 2, 3)).toArray(), 0);
    }

    @Test
    void transposedInput() {
        Tensor x = TensorRandom.seed(34).normal(4, 3).transpose();
        jacobianMatchesDense(z -> z.slice(1, 0, 3).mul(z.slice(1, 1, 4)), x, 1e-15);
    }

    @Test
    void badOptions() {
        assertThrows(IllegalArgumentException.class, () -> D.chunkSize(-1));
        assertThrows(IllegalArgumentException.class, () -> D.memoryBudget(0));
    }

    // ------------------------------------------------------------------ the pattern is global: kinks prepared on one side, evaluated on the other

    static void jacobianGlobal(String name, TensorFunction f, Tensor at, Tensor elsewhere) {
        for (JacobianMode mode : JacobianMode.values()) {
            SparseJacobian p = SparseJacobian.prepare(f, at, D.mode(mode));
            try {
                same(dense(f, elsewhere, f.apply(elsewhere).size()), p.evaluate(elsewhere), 1e-14);
            } catch (AssertionError e) {
                throw new AssertionError(name + " (" + mode + "): " + e.getMessage(), e);
            }
        }
    }

    static void hessianGlobal(String name, TensorFunction f, Tensor at, Tensor elsewhere) {
        int n = at.size();
        double[] d = Diff.hessian(f, elsewhere).toArray();
        double[][] want = new double[n][n];
        for (int i = 0; i < n; i++) System.arraycopy(d, i * n, want[i], 0, n);
        try {
            same(want, SparseHessian.prepare(f, at).evaluate(elsewhere), 1e-13);
        } catch (AssertionError e) {
            throw new AssertionError(name + ": " + e.getMessage(), e);
        }
    }

    static final Tensor NEG = Tensor.vector(-1, -2, -3, -0.5), POS = Tensor.vector(1, 2, 3, 0.5), MIXED = Tensor.vector(3, -2, 0.1, 5);

    @Test
    void jacobianPatternsAreGlobalAcrossKinks() {
        jacobianGlobal("relu", z -> z.relu().mul(z.slice(0, 0, 1)), NEG, POS);
        jacobianGlobal("leakyRelu", z -> z.leakyRelu().sin(), NEG, POS);
        jacobianGlobal("abs", z -> z.abs().mul(z), NEG, POS);
        jacobianGlobal("clamp", z -> z.clamp(-0.1, 0.1).exp(), NEG.mul(10), Tensor.vector(0, 0.05, -0.05, 0.01));
        jacobianGlobal("max axis", z -> z.reshape(2, 2).max(1), Tensor.vector(1, 2, 3, 4), Tensor.vector(2, 1, 4, 3));
        jacobianGlobal("max all", z -> z.max().mul(z), POS, MIXED);
        jacobianGlobal("min all", z -> z.min().mul(z), POS, MIXED);
        jacobianGlobal("maximum", z -> z.slice(0, 0, 2).maximum(z.slice(0, 2, 4)), Tensor.vector(1, 2, 3, 4), Tensor.vector(4, 3, 2, 1));
        jacobianGlobal("minimum", z -> z.slice(0, 0, 2).minimum(z.slice(0, 2, 4)), Tensor.vector(1, 2, 3, 4), Tensor.vector(4, 3, 2, 1));
        jacobianGlobal("norm", z -> z.norm().mul(z), POS, MIXED);
    }

    @Test
    void hessianPatternsAreGlobalAcrossKinks() {
        hessianGlobal("relu²", z -> z.relu().square().sum(), NEG, POS);
        hessianGlobal("relu·x", z -> z.relu().mul(z.slice(0, 0, 1)).sum(), NEG, POS);
        hessianGlobal("leakyRelu²", z -> z.leakyRelu().square().sum(), NEG, POS);
        hessianGlobal("|x|³", z -> z.abs().pow(3).sum(), NEG, POS);
        hessianGlobal("clamp²", z -> z.clamp(-0.1, 0.1).square().sum(), NEG.mul(10), Tensor.vector(0, 0.05, -0.05, 0.01));
        hessianGlobal("max²", z -> z.max().square(), POS, MIXED);
        hessianGlobal("min²", z -> z.min().square(), POS, MIXED);
        hessianGlobal("max axis²", z -> z.reshape(2, 2).max(1).square().sum(), Tensor.vector(1, 2, 3, 4), Tensor.vector(2, 1, 4, 3));
        hessianGlobal("maximum²", z -> z.slice(0, 0, 2).maximum(z.slice(0, 2, 4)).square().sum(), Tensor.vector(1, 2, 3, 4), Tensor.vector(4, 3, 2, 1));
        hessianGlobal("maximum·", z -> z.slice(0, 0, 2).maximum(z.slice(0, 2, 4)).mul(z.slice(0, 1, 3)).sum(), Tensor.vector(1, 2, 3, 4), Tensor.vector(4, 3, 2, 1));
        hessianGlobal("relu(x)·y", z -> z.slice(0, 0, 2).relu().mul(z.slice(0, 2, 4)).sum(), NEG, POS);
        hessianGlobal("abs(x)·y", z -> z.slice(0, 0, 2).abs().mul(z.slice(0, 2, 4)).sum(), NEG, POS);
        hessianGlobal("sqrt", z -> z.square().add(1e-3).sqrt().sum(), POS, MIXED);
        hessianGlobal("logsumexp", z -> z.logsumexp(0), POS, MIXED);
        hessianGlobal("crossEntropy", z -> Loss.crossEntropy(z.reshape(2, 2), new int[] {0, 1}), POS, MIXED);
        hessianGlobal("norm", z -> z.norm(), POS, MIXED);
    }

    @Test
    void emptyHessianPatternNeedsNoColour() {
        SparseHessian p = SparseHessian.prepare(z -> z.mul(Tensor.vector(1, 2, 3)).sum().add(5), Tensor.vector(1, 2, 3));
        assertEquals(0, p.pattern().nonZeros());
        assertEquals(0, p.plan().colours(), p.plan().toString());
        assertEquals(0, p.plan().passes(), p.plan().toString());
    }

    @Test
    void hessianLowerBoundIsALowerBound() {
        int n = 30;
        TensorFunction f = z -> z.slice(0, 0, 1).mul(z.slice(0, 1, n).sum()).sum().add(z.pow(4).sum());
        SparsePlan plan = SparseHessian.prepare(f, TensorRandom.seed(33).normal(n)).plan();
        assertTrue(plan.colours() >= plan.lowerBound(), plan.toString());
    }

    @Test
    void jacobianEmptyPatternPlan() {
        SparseJacobian p = SparseJacobian.prepare(z -> Tensor.zeros(3).add(z.sum().detach()), Tensor.vector(1, 2));
        assertEquals(0, p.pattern().nonZeros());
        assertEquals(3, p.evaluate(Tensor.vector(4, 5)).rows());
        assertEquals(0, p.evaluate(Tensor.vector(4, 5)).nonZeros());
    }

    // ------------------------------------------------------------------ f closing over a traced value of an enclosing transform

    /** g(w) = Σ J(x; w) with J = diag(2·x·w), x constant: ∇g = 2x. The sparse route must not drop w's derivative. */
    @Test
    void sparseWhenItPaysWithFClosingOverATracedValue() {
        int n = 30;
        Tensor x = TensorRandom.seed(40).normal(n);
        Tensor w0 = TensorRandom.seed(41).normal(n);
        TensorFunction with = w -> Diff.jacobian(z -> z.square().mul(w), x, D.sparseWhenItPays(true)).sum();
        TensorFunction without = w -> Diff.jacobian(z -> z.square().mul(w), x).sum();
        double[] want = x.mul(2).toArray();
        assertArrayEquals(want, Diff.grad(without, w0).toArray(), 1e-14);
        assertArrayEquals(want, Diff.grad(with, w0).toArray(), 1e-14);
    }

    @Test
    void sparseWhenItPaysWithFClosingOverATracedValueUnderJvp() {
        int n = 30;
        Tensor x = TensorRandom.seed(40).normal(n);
        Tensor w0 = TensorRandom.seed(41).normal(n);
        TensorFunction with = w -> Diff.jacobian(z -> z.square().mul(w), x, D.sparseWhenItPays(true)).sum();
        TensorFunction without = w -> Diff.jacobian(z -> z.square().mul(w), x).sum();
        Tensor v = TensorRandom.seed(42).normal(n);
        double want = x.mul(2).mul(v).sum().item();
        assertEquals(want, Diff.jvp(without, w0, v).tangent().item(), 1e-12);
        assertEquals(want, Diff.jvp(with, w0, v).tangent().item(), 1e-12);
    }

    /** proposeSparse only detects: with a closure over a traced value it must still give the dense, differentiable result. */
    @Test
    void proposeSparseWithFClosingOverATracedValue() {
        int n = 30;
        Tensor x = TensorRandom.seed(40).normal(n);
        Tensor w0 = TensorRandom.seed(41).normal(n);
        TensorFunction propose = w -> Diff.jacobian(z -> z.square().mul(w), x, D.proposeSparse(true)).sum();
        assertArrayEquals(x.mul(2).toArray(), Diff.grad(propose, w0).toArray(), 1e-14);
    }

    /** The same closure through Diff.sparseJacobian / sparseHessian: a SparseMatrix holds doubles, so this must throw, not drop w's derivative. */
    @Test
    void sparseTransformsWithFClosingOverATracedValue() {
        int n = 6;
        Tensor x = TensorRandom.seed(43).normal(n);
        Tensor w0 = TensorRandom.seed(44).normal(n);
        TensorFunction uj = w -> Tensor.of(Diff.sparseJacobian(z -> z.square().mul(w), x).values(), n).sum();
        TensorFunction uh = w -> Tensor.of(Diff.sparseHessian(z -> z.square().mul(w).sum(), x).values(), n).sum();
        assertThrows(IllegalArgumentException.class, () -> Diff.grad(uj, w0));
        assertThrows(IllegalArgumentException.class, () -> Diff.grad(uh, w0));
        assertThrows(IllegalArgumentException.class, () -> Diff.jvp(uj, w0, Tensor.ones(n)));
    }

    @Test
    void identityConstantAndDetachedOutputs() {
        Tensor x = Tensor.vector(1, 2, 3);
        SparseMatrix id = Diff.sparseJacobian(z -> z, x);
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) assertEquals(i == j ? 1 : 0, id.get(i, j), 0);
        assertEquals(3, id.nonZeros());
        for (JacobianMode mode : JacobianMode.values()) {
            assertEquals(0, Diff.sparseJacobian(z -> Tensor.ones(2), x, D.mode(mode)).nonZeros());
            assertEquals(0, Diff.sparseJacobian(z -> z.detach().square(), x, D.mode(mode)).nonZeros());
            assertEquals(2, Diff.sparseJacobian(z -> Tensor.ones(2), x, D.mode(mode)).rows());
        }
        assertEquals(0, Diff.sparseHessian(z -> z.detach().square().sum(), x).nonZeros());
        SparseMatrix h = Diff.sparseHessian(z -> z.mul(z.detach()).sum(), x); // ∇ = x (detached): H = 0
        assertArrayEquals(Diff.hessian(z -> z.mul(z.detach()).sum(), x).toArray(), h.toDense().toArray(), 0);
    }

    @Test
    void autoTakesTheModeWithFewerColours() {
        int n = 25;
        Tensor x = TensorRandom.seed(50).normal(n);
        TensorFunction denseRow = z -> Tensor.concat(0, z.sum().reshape(1), z.square()); // one full row: rows colour in 2
        SparseJacobian r = SparseJacobian.prepare(denseRow, x);
        assertEquals(JacobianMode.REVERSE, r.plan().mode(), r.plan().toString());
        assertTrue(r.plan().colours() <= 3, r.plan().toString());
        assertEquals(n, r.plan().columnColours(), r.plan().toString());
        same(dense(denseRow, x, n + 1), r.evaluate(x), 1e-14);
        TensorFunction denseColumn = z -> z.mul(z.slice(0, 0, 1)); // one full column: columns colour in 2
        SparseJacobian c = SparseJacobian.prepare(denseColumn, x);
        assertEquals(JacobianMode.FORWARD, c.plan().mode(), c.plan().toString());
        assertTrue(c.plan().colours() <= 3, c.plan().toString());
        same(dense(denseColumn, x, n), c.evaluate(x), 1e-14);
    }

    @Test
    void fivePointLaplacian() {
        int m = 6;
        TensorFunction lap = u -> {
            Tensor g = u.reshape(m, m).pad(0, 1, 1).pad(1, 1, 1);
            Tensor c = g.slice(0, 1, m + 1).slice(1, 1, m + 1);
            return g.slice(0, 0, m).slice(1, 1, m + 1).add(g.slice(0, 2, m + 2).slice(1, 1, m + 1)).add(g.slice(0, 1, m + 1).slice(1, 0, m))
                    .add(g.slice(0, 1, m + 1).slice(1, 2, m + 2)).sub(c.mul(4)).add(c.pow(3)).reshape(m * m);
        };
        Tensor x = TensorRandom.seed(51).normal(m * m);
        SparseJacobian p = SparseJacobian.prepare(lap, x);
        assertEquals(5 * m * m - 4 * m, p.pattern().nonZeros());
        assertEquals(5, p.plan().lowerBound());
        assertTrue(p.plan().colours() <= 7, p.plan().toString());
        jacobianMatchesDense(lap, x, 1e-13);
        hessianMatchesDense(z -> lap.apply(z).square().sum(), x, 1e-12);
    }

    @Test
    void einsumDiagonalAndTrace() {
        Tensor x = TensorRandom.seed(52).normal(4, 4);
        SparseMatrix d = Diff.sparseJacobian(z -> Tensor.einsum("ii->i", z), x);
        assertEquals(4, d.nonZeros());
        for (int i = 0; i < 4; i++) assertEquals(1, d.get(i, i * 5), 0);
        jacobianMatchesDense(z -> Tensor.einsum("ii->i", z).exp(), x, 1e-15);
        jacobianMatchesDense(z -> Tensor.einsum("ii->", z).reshape(1), x, 0);
        assertEquals(4, Diff.sparseJacobian(z -> Tensor.einsum("ii->", z), x).nonZeros());
        hessianMatchesDense(z -> Tensor.einsum("ij,jk->ik", z, z).sum(), x, 1e-13);
    }

    @Test
    void nestedDenseTransformsInsideF() {
        int n = 8;
        TensorFunction g = z -> z.slice(0, 0, n - 1).mul(z.slice(0, 1, n)).sin();
        Tensor x = TensorRandom.seed(53).normal(n);
        TensorFunction colSums = z -> Diff.jacobian(g, z).sum(0); // Σ_i ∂g_i/∂x_j
        jacobianMatchesDense(colSums, x, 1e-13);
        TensorFunction withOption = z -> Diff.jacobian(g, z, D.sparseWhenItPays(true)).sum(0);
        jacobianMatchesDense(withOption, x, 1e-13);
        TensorFunction hv = z -> Diff.hvp(w -> g.apply(w).sum(), z, Tensor.ones(n));
        jacobianMatchesDense(hv, x, 1e-13);
        hessianMatchesDense(z -> Diff.jacobian(g, z).square().sum(), x, 1e-12);
    }

    @Test
    void fReturningNullAtEvaluation() {
        TensorFunction f = z -> z.detach().toArray()[0] > 0 ? z.square() : null;
        for (JacobianMode mode : JacobianMode.values()) {
            SparseJacobian p = SparseJacobian.prepare(f, Tensor.vector(1, 2), D.mode(mode));
            Exception e = assertThrows(IllegalArgumentException.class, () -> p.evaluate(Tensor.vector(-1, 2)), mode.toString());
            assertTrue(e.getMessage().contains("null"), e.getMessage());
        }
        TensorFunction g = z -> z.detach().toArray()[0] > 0 ? z.square().sum() : null;
        SparseHessian h = SparseHessian.prepare(g, Tensor.vector(1, 2));
        Exception e = assertThrows(IllegalArgumentException.class, () -> h.evaluate(Tensor.vector(-1, 2)));
        assertTrue(e.getMessage().contains("null"), e.getMessage());
    }

    @Test
    void nullRowInAPattern() {
        assertThrows(NullPointerException.class, () -> SparsityPattern.fromRows(2, new int[][] {{0}, null}));
    }

    @Test
    void randomSparseJacobiansInReverseModeWithChunks() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(79);
        for (int trial = 0; trial < 10; trial++) {
            int n = 5 + r.nextInt(30), m = 1 + r.nextInt(30);
            int[] a = new int[m], b = new int[m];
            for (int k = 0; k < m; k++) { a[k] = r.nextInt(n); b[k] = r.nextInt(n); }
            TensorFunction f = z -> z.indexSelect(a, 0).mul(z.indexSelect(b, 0).exp());
            SparseJacobian p = SparseJacobian.prepare(f, TensorRandom.seed(900 + trial).normal(n), D.mode(JacobianMode.REVERSE).chunkSize(1 + r.nextInt(4)));
            Tensor y = TensorRandom.seed(950 + trial).normal(n);
            same(dense(f, y, m), p.evaluate(y), 1e-14);
            TensorFunction h = z -> f.apply(z).sum();
            SparseHessian ph = SparseHessian.prepare(h, y, D.chunkSize(1 + r.nextInt(4)));
            double[] d = Diff.hessian(h, y).toArray();
            double[][] want = new double[n][n];
            for (int i = 0; i < n; i++) System.arraycopy(d, i * n, want[i], 0, n);
            same(want, ph.evaluate(y), 1e-13);
        }
    }

    /** Rosenbrock at n = 2000 against its Hessian by hand: H_ii = 1200x_i² − 400x_{i+1} + 2 (i < n−1) + 200 (i > 0), H_i,i+1 = −400x_i. */
    @Test
    void largeRosenbrockByHand() {
        int n = 2000;
        TensorFunction f = z -> z.slice(0, 1, n).sub(z.slice(0, 0, n - 1).square()).square().mul(100)
                .add(Tensor.scalar(1).sub(z.slice(0, 0, n - 1)).square()).sum();
        Tensor x = TensorRandom.seed(60).normal(n);
        double[] v = x.toArray();
        SparseMatrix h = Diff.sparseHessian(f, x);
        assertEquals(3 * n - 2, h.nonZeros());
        for (int i = 0; i < n; i++) {
            double want = (i < n - 1 ? 1200 * v[i] * v[i] - 400 * v[i + 1] + 2 : 0) + (i > 0 ? 200 : 0);
            assertEquals(want, h.get(i, i), 1e-12 * Math.max(1, Math.abs(want)), "(" + i + "," + i + ")");
            if (i + 1 < n) {
                assertEquals(-400 * v[i], h.get(i, i + 1), 1e-12 * Math.max(1, Math.abs(v[i]) * 400));
                assertEquals(-400 * v[i], h.get(i + 1, i), 1e-12 * Math.max(1, Math.abs(v[i]) * 400));
            }
        }
        assertTrue(h.toString().length() < 10_000, "toString of a large matrix should be bounded: " + h.toString().length());
    }

    /** At kinks and ties the forward and reverse rules must agree, or verify (a JVP) false-alarms on the reverse route. */
    @Test
    void verifyAtKinksAndTiesInEveryMode() {
        Tensor x = Tensor.vector(0, -1, 2, 0, 3, 3, -0.0, 1);
        TensorFunction[] fs = {
            z -> z.relu(), z -> z.abs(), z -> z.reshape(4, 2).max(1), z -> z.reshape(4, 2).min(1), z -> z.max().mul(z),
            z -> z.slice(0, 0, 4).maximum(z.slice(0, 4, 8)), z -> z.clamp(0, 2), z -> z.slice(0, 2, 6).norm().mul(z),
            z -> z.reshape(2, 4).softmax(1), z -> z.square().add(1).sqrt(),
        };
        for (int k = 0; k < fs.length; k++) {
            TensorFunction f = fs[k];
            for (JacobianMode mode : JacobianMode.values()) {
                int kk = k;
                assertDoesNotThrow(() -> Diff.sparseJacobian(f, x, D.verify(true).mode(mode)), "function " + kk + " " + mode);
            }
        }
        assertDoesNotThrow(() -> Diff.sparseHessian(z -> z.relu().square().sum().add(z.reshape(4, 2).max(1).square().sum()), x, D.verify(true)));
    }

    /** With an infinite x, does the sparse route of Diff.jacobian give the same matrix as the dense route, NaN for NaN? */
    @Test
    void sparseWhenItPaysWithInfinityEqualsTheDenseRoute() {
        int n = 20;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = 0.1 * (i + 1);
        v[0] = Double.POSITIVE_INFINITY;
        Tensor x = Tensor.of(v, n);
        TensorFunction f = z -> Tensor.concat(0, z.slice(0, 0, 1).mul(z.slice(0, 1, 2)), z.slice(0, 2, n).exp());
        double[] want = Diff.jacobian(f, x).toArray(), got = Diff.jacobian(f, x, D.sparseWhenItPays(true)).toArray();
        for (int k = 0; k < want.length; k++) assertEquals(want[k], got[k], 0, "entry (" + k / n + "," + k % n + ")");
    }

    /** Detection on one thread must not leak into the dense transforms of another. */
    @Test
    void detectionDoesNotLeakIntoAnotherThread() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> a = pool.submit((Callable<Void>) () -> {
                for (int s = 0; s < 200; s++) SparseHessian.prepare(z -> z.slice(0, 1, 30).mul(z.slice(0, 0, 29)).exp().sum(), Tensor.ones(30));
                return null;
            });
            Future<?> b = pool.submit((Callable<Void>) () -> {
                Tensor x = Tensor.vector(1, 2, 3);
                for (int s = 0; s < 200; s++) {
                    assertArrayEquals(new double[] {2, 4, 6}, Diff.grad(z -> z.square().sum(), x).toArray(), 0);
                    assertArrayEquals(new double[] {3, 12, 27}, Diff.jvp(z -> z.pow(3), x, Tensor.ones(3)).tangent().toArray(), 1e-14);
                }
                return null;
            });
            a.get();
            b.get();
        } finally {
            pool.shutdown();
        }
    }
}
