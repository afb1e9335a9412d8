package dev.dualgrad.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.TensorFunction;
import org.ejml.data.DMatrixSparseCSC;
import org.junit.jupiter.api.Test;

/** The zero-copy route into EJML gives what the copying one gives, entry for entry, and refuses another structure. */
class EjmlSparseTest {
    /** A rectangular, unsymmetric Jacobian: y_i = x_i·x_{i+2} + sin x_{i+1}, i < n − 2. */
    static Tensor f(Tensor z) {
        int n = z.size();
        return z.slice(0, 0, n - 2).mul(z.slice(0, 2, n)).add(z.slice(0, 1, n - 1).sin());
    }

    static void same(DMatrixSparseCSC want, DMatrixSparseCSC got) {
        assertEquals(want.numRows, got.numRows);
        assertEquals(want.numCols, got.numCols);
        assertEquals(want.nz_length, got.nz_length);
        for (int i = 0; i < want.numRows; i++) for (int j = 0; j < want.numCols; j++) assertEquals(want.get(i, j), got.get(i, j), 0, "(" + i + ", " + j + ")");
    }

    @Test
    void evaluateIntoEqualsToCscForJacobiansInBothModesAndForHessians() {
        Tensor x = TensorRandom.seed(1).normal(12), y = TensorRandom.seed(2).normal(12);
        for (JacobianMode mode : new JacobianMode[] {JacobianMode.FORWARD, JacobianMode.REVERSE}) {
            SparseJacobian j = SparseJacobian.prepare(EjmlSparseTest::f, x, JacobianOptions.defaults().mode(mode));
            DMatrixSparseCSC target = EjmlSparse.newCsc(j);
            for (Tensor at : new Tensor[] {x, y}) { // reused: a Newton loop's pattern
                EjmlSparse.evaluateInto(j, at, target);
                same(EjmlSparse.toCsc(j.evaluate(at)), target);
            }
        }
        TensorFunction g = z -> f(z).square().sum();
        SparseHessian h = SparseHessian.prepare(g, x);
        DMatrixSparseCSC target = EjmlSparse.newCsc(h);
        EjmlSparse.evaluateInto(h, y, target);
        same(EjmlSparse.toCsc(h.evaluate(y)), target);
        SparseHessian checked = SparseHessian.prepare(g, x, JacobianOptions.defaults().verify(true)); // through evaluate
        EjmlSparse.evaluateInto(checked, y, target);
        same(EjmlSparse.toCsc(h.evaluate(y)), target);
    }

    @Test
    void anotherStructureOrShapeIsRefused() {
        Tensor x = TensorRandom.seed(3).normal(8);
        SparseJacobian j = SparseJacobian.prepare(EjmlSparseTest::f, x);
        DMatrixSparseCSC wrong = EjmlSparse.newCsc(SparseJacobian.prepare(z -> z.exp(), x));
        assertThrows(IllegalArgumentException.class, () -> EjmlSparse.evaluateInto(j, x, wrong));
        assertThrows(IllegalArgumentException.class, () -> EjmlSparse.evaluateInto(j, x.reshape(2, 4), EjmlSparse.newCsc(j)));
    }
}
