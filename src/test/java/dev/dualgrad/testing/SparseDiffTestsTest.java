package dev.dualgrad.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.sparse.SparseMatrix;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.TensorFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The ported DiffTests functions through the sparse transforms: the sparse Jacobian (and, for scalar
 * functions, the sparse Hessian) equals the dense one entry for entry, and the detected pattern holds
 * every nonzero. Functions of several inputs take their inputs laid end to end as one vector.
 */
class SparseDiffTestsTest {
    /** Relative difference allowed: the compressed products add a column's entry to structural zeros, and rounding can differ in the last bit. */
    static final double TOL = 1e-14;

    @TestFactory
    Stream<DynamicTest> sparseEqualsDense() {
        List<DynamicTest> tests = new ArrayList<>();
        for (var c : DiffTestsPortTest.cases()) {
            Tensor[] in = c.inputs();
            int[] sizes = new int[in.length];
            List<Tensor> flat = new ArrayList<>();
            for (int i = 0; i < in.length; i++) {
                sizes[i] = in[i].size();
                flat.add(in[i].reshape(-1));
            }
            Tensor x = Tensor.concat(0, flat.toArray(new Tensor[0]));
            TensorFunction f = z -> {
                Tensor[] parts = new Tensor[in.length];
                for (int i = 0, at = 0; i < in.length; at += sizes[i], i++) parts[i] = z.slice(0, at, at + sizes[i]).reshape(in[i].shape());
                return c.f().apply(parts);
            };
            tests.add(DynamicTest.dynamicTest(c.name() + ": Jacobian", () -> {
                Tensor dense = Diff.jacobian(f, x);
                compare(dense.reshape(dense.size() / Math.max(1, x.size()), x.size()), Diff.sparseJacobian(f, x));
            }));
            if (f.apply(x).size() == 1) {
                tests.add(DynamicTest.dynamicTest(c.name() + ": Hessian", () -> compare(Diff.hessian(f, x).reshape(x.size(), x.size()), Diff.sparseHessian(f, x))));
            }
        }
        return tests.stream();
    }

    private static void compare(Tensor dense, SparseMatrix sparse) {
        int m = dense.dim(0), n = dense.dim(1);
        assertEquals(m, sparse.rows());
        assertEquals(n, sparse.columns());
        double[] d = dense.toArray();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double want = d[i * n + j], got = sparse.get(i, j);
                if (want != 0 && !Double.isNaN(want)) assertTrue(sparse.pattern().contains(i, j), "(" + i + ", " + j + ") = " + want + " is outside the pattern");
                if (Double.isNaN(want)) assertTrue(Double.isNaN(got), "(" + i + ", " + j + "): NaN expected, got " + got);
                else assertEquals(want, got, TOL * Math.max(1, Math.abs(want)), "(" + i + ", " + j + ")");
            }
        }
    }
}
