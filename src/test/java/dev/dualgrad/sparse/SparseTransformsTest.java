package dev.dualgrad.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.TensorFunction;
import org.junit.jupiter.api.Test;

/** Sparse Jacobians and Hessians against the dense transforms, entry for entry, and their plans and errors. */
class SparseTransformsTest {
    static Tensor rosenbrock(Tensor z) {
        int n = z.size();
        Tensor head = z.slice(0, 0, n - 1), tail = z.slice(0, 1, n);
        return tail.sub(head.square()).square().mul(100).add(Tensor.scalar(1).sub(head).square()).sum();
    }

    /** The 2-D Bratu residual on an m×m grid (as in the example), written independently here. */
    static TensorFunction bratu(int m) {
        return u -> {
            Tensor g = u.reshape(m, m).pad(0, 1, 1).pad(1, 1, 1);
            Tensor c = g.slice(0, 1, m + 1).slice(1, 1, m + 1);
            Tensor lap = g.slice(0, 0, m).slice(1, 1, m + 1).add(g.slice(0, 2, m + 2).slice(1, 1, m + 1))
                    .add(g.slice(0, 1, m + 1).slice(1, 0, m)).add(g.slice(0, 1, m + 1).slice(1, 2, m + 2)).sub(c.mul(4)).mul((m + 1) * (m + 1));
            return lap.add(c.exp().mul(6)).reshape(m * m);
        };
    }

    /** Every entry of the dense matrix is in the sparse one with the same value (to the last bit, or within tol), and nothing else is nonzero. */
    static void assertSameMatrix(Tensor dense, SparseMatrix sparse, double tol) {
        int m = dense.dim(0), n = dense.dim(1);
        assertEquals(m, sparse.rows());
        assertEquals(n, sparse.columns());
        double[] d = dense.toArray();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double want = d[i * n + j], got = sparse.get(i, j);
                if (want != 0) assertTrue(sparse.pattern().contains(i, j), "entry (" + i + ", " + j + ") = " + want + " is missing from the pattern");
                assertEquals(want, got, tol * Math.max(1, Math.abs(want)), "entry (" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void rosenbrockHessianEqualsTheDenseOneWithThreeColours() {
        Tensor x = TensorRandom.seed(1).normal(40);
        SparseHessian h = SparseHessian.prepare(SparseTransformsTest::rosenbrock, x);
        assertEquals(3, h.plan().colours());
        assertEquals(3, h.plan().lowerBound());
        assertEquals(3 * 40 - 2, h.pattern().nonZeros());
        assertSameMatrix(Diff.hessian(SparseTransformsTest::rosenbrock, x), h.evaluate(x), 1e-13);
        Tensor y = TensorRandom.seed(2).normal(40); // another point, no new detection
        assertSameMatrix(Diff.hessian(SparseTransformsTest::rosenbrock, y), h.evaluate(y), 1e-13);
    }

    @Test
    void oneOffsColourForTheirOnePassAndGiveTheDenseMatrix() {
        // Diff.sparseHessian on a banded Hessian: first fit on the columns (3 colours, the star colourings' bound) instead of
        // the star colouring; on an arrow (f = x₀·Σxᵢ²: row 0 dense) first fit needs n colours against the star's 2, so the
        // star colouring is kept. Both must give the dense Hessian, and the prepared route's values.
        Tensor x = TensorRandom.seed(7).normal(30);
        TensorFunction arrow = z -> z.slice(0, 0, 1).mul(z.square().sum()).sum();
        for (TensorFunction f : new TensorFunction[] {SparseTransformsTest::rosenbrock, arrow}) {
            SparseMatrix once = Diff.sparseHessian(f, x);
            assertSameMatrix(Diff.hessian(f, x), once, 1e-13);
            SparseMatrix prepared = SparseHessian.prepare(f, x).evaluate(x);
            assertArrayEquals(prepared.pattern().rowPointers(), once.pattern().rowPointers());
            assertArrayEquals(prepared.pattern().columnIndices(), once.pattern().columnIndices());
            for (int i = 0; i < 30; i++) for (int j : once.pattern().row(i)) assertEquals(prepared.get(i, j), once.get(i, j), 1e-13 * Math.max(1, Math.abs(prepared.get(i, j))));
        }
        assertEquals(2, SparseHessian.prepare(arrow, x).plan().colours()); // the star colouring the arrow's one-off keeps
        // Diff.sparseJacobian on the 5-point stencil: first fit's colours (more than DSATUR's 5), the same matrix
        int m = 9;
        Tensor u = TensorRandom.seed(8).normal(m * m).mul(0.1);
        assertSameMatrix(Diff.jacobian(bratu(m), u), Diff.sparseJacobian(bratu(m), u), 0);
        assertThrows(IllegalArgumentException.class, () -> Diff.sparseHessian(SparseTransformsTest::rosenbrock, x, JacobianOptions.defaults().mode(JacobianMode.REVERSE)));
    }

    @Test
    void bratuJacobianEqualsTheDenseOneWithFiveColours() {
        int m = 7;
        Tensor u = TensorRandom.seed(3).normal(m * m).mul(0.1);
        SparseJacobian j = SparseJacobian.prepare(bratu(m), u);
        assertEquals(5, j.plan().lowerBound());
        assertEquals(5, j.plan().colours(), j.plan().toString()); // DSATUR reaches the lower bound on the 5-point stencil
        assertEquals(5 * m * m - 4 * m, j.pattern().nonZeros());
        assertSameMatrix(Diff.jacobian(bratu(m), u), j.evaluate(u), 0);
    }

    @Test
    void reverseModeIsTakenWhenRowsNeedFewerColours() {
        // y = (Σx)·x₀ ... every output depends on all inputs through the sum: a dense row, so column colouring needs n colours,
        // while a single output row needs one row colour.
        TensorFunction f = z -> Tensor.concat(0, z.square().sum().reshape(1), z.slice(0, 0, 1).exp());
        Tensor x = TensorRandom.seed(4).normal(30);
        SparseJacobian j = SparseJacobian.prepare(f, x);
        assertEquals(JacobianMode.REVERSE, j.plan().mode(), j.plan().toString());
        assertEquals(2, j.plan().colours());
        assertSameMatrix(Diff.jacobian(f, x), j.evaluate(x), 0);
        SparseJacobian forced = SparseJacobian.prepare(f, x, JacobianOptions.defaults().mode(JacobianMode.FORWARD));
        assertEquals(JacobianMode.FORWARD, forced.plan().mode());
        assertSameMatrix(Diff.jacobian(f, x), forced.evaluate(x), 0);
        // the one-off colours rows and columns for its one pass (first fit, not DSATUR): the same matrix, both modes
        assertSameMatrix(Diff.jacobian(f, x), Diff.sparseJacobian(f, x), 0);
        assertSameMatrix(Diff.jacobian(f, x), Diff.sparseJacobian(f, x, JacobianOptions.defaults().mode(JacobianMode.FORWARD)), 0);
    }

    @Test
    void chunksOfColoursGiveTheSameMatrix() {
        Tensor x = TensorRandom.seed(5).normal(25);
        SparseMatrix one = Diff.sparseHessian(SparseTransformsTest::rosenbrock, x);
        SparseMatrix chunked = Diff.sparseHessian(SparseTransformsTest::rosenbrock, x, JacobianOptions.defaults().chunkSize(1));
        for (int i = 0; i < 25; i++) for (int k = 0; k < 25; k++) assertEquals(one.get(i, k), chunked.get(i, k), 0);
    }

    @Test
    void verifyCatchesAPatternThatDoesNotHoldAtTheNewPoint() {
        // control flow on values: at x₀ > 0 the output is x², elsewhere it mixes in x₁
        TensorFunction branchy = z -> z.detach().toArray()[0] > 0 ? z.square() : z.add(z.flip(0));
        Tensor here = Tensor.vector(1, 2), there = Tensor.vector(-1, 2);
        SparseJacobian checked = SparseJacobian.prepare(branchy, here, JacobianOptions.defaults().verify(true));
        checked.evaluate(here);
        assertThrows(IllegalStateException.class, () -> checked.evaluate(there));
    }

    @Test
    void badInputIsRefused() {
        Tensor x = Tensor.ones(4);
        assertThrows(IllegalArgumentException.class, () -> Diff.sparseHessian(z -> z.square(), x)); // not scalar
        assertThrows(NullPointerException.class, () -> Diff.sparseJacobian(null, x));
        assertThrows(IllegalArgumentException.class, () -> SparseJacobian.prepare(z -> z.exp(), x).evaluate(Tensor.ones(5)));
        assertThrows(IllegalArgumentException.class, () -> SparseHessian.prepare(SparseTransformsTest::rosenbrock, x,
                JacobianOptions.defaults().mode(JacobianMode.REVERSE)));
        assertThrows(IllegalArgumentException.class, () -> Diff.grad(z -> Tensor.scalar(Diff.sparseJacobian(w -> w.exp(), z).get(0, 0)), x));
        assertThrows(IllegalArgumentException.class, () -> Diff.sparseJacobian(z -> null, x));
    }

    @Test
    void emptyAndConstantCases() {
        SparseMatrix none = Diff.sparseJacobian(z -> z.exp(), Tensor.zeros(0));
        assertEquals(0, none.rows());
        assertEquals(0, none.columns());
        SparseMatrix constant = Diff.sparseJacobian(z -> Tensor.ones(3), Tensor.ones(2));
        assertEquals(3, constant.rows());
        assertEquals(2, constant.columns());
        assertEquals(0, constant.nonZeros());
        SparseMatrix scalar = Diff.sparseJacobian(z -> z.mul(3), Tensor.scalar(2));
        assertEquals(3.0, scalar.get(0, 0), 0);
        SparseMatrix linear = Diff.sparseHessian(z -> z.sum(), Tensor.ones(3)); // H = 0: an empty pattern
        assertEquals(0, linear.nonZeros());
    }

    @Test
    void jacobianProposesTheSparseRouteAndTakesItWhenAsked() {
        int m = 6;
        Tensor u = TensorRandom.seed(6).normal(m * m).mul(0.1);
        Tensor dense = Diff.jacobian(bratu(m), u);
        dev.dualgrad.transforms.JacobianResult proposed = Diff.jacobianWithPlan(bratu(m), u, JacobianOptions.defaults().proposeSparse(true));
        assertTrue(proposed.plan().reason().contains("the sparse route (Diff.sparseJacobian) pays"), proposed.plan().toString());
        dev.dualgrad.transforms.JacobianResult taken = Diff.jacobianWithPlan(bratu(m), u, JacobianOptions.defaults().sparseWhenItPays(true));
        assertTrue(taken.plan().reason().contains("Taken"), taken.plan().toString());
        assertEquals(java.util.Arrays.toString(dense.shape()), java.util.Arrays.toString(taken.jacobian().shape()));
        double[] a = dense.toArray(), b = taken.jacobian().toArray();
        for (int k = 0; k < a.length; k++) assertEquals(a[k], b[k], 0, "entry " + k);
        // a dense Jacobian gains nothing: the plan says so and the dense route is kept
        dev.dualgrad.transforms.JacobianResult full = Diff.jacobianWithPlan(z -> z.softmax(0), u, JacobianOptions.defaults().sparseWhenItPays(true));
        assertTrue(full.plan().reason().contains("does not pay"), full.plan().toString());
    }

    @Test
    void theMemoryBudgetSetsTheColoursPerPass() {
        Tensor x = TensorRandom.seed(7).normal(1000);
        SparseHessian roomy = SparseHessian.prepare(SparseTransformsTest::rosenbrock, x);
        assertEquals(3, roomy.plan().chunk());
        // detection traced f and its sweep over [1000]-sized ops: a few KiB per direction, so 1 byte holds one direction
        SparseHessian tight = SparseHessian.prepare(SparseTransformsTest::rosenbrock, x, JacobianOptions.defaults().memoryBudget(1));
        assertEquals(1, tight.plan().chunk());
        assertEquals(3, tight.plan().passes());
        SparseMatrix a = roomy.evaluate(x), b = tight.evaluate(x);
        for (int i = 0; i < 1000; i++) for (int k = Math.max(0, i - 1); k <= Math.min(999, i + 1); k++) assertEquals(a.get(i, k), b.get(i, k), 0);
    }
}
