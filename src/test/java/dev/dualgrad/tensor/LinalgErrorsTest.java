package dev.dualgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Singular, not positive-definite and mis-shaped inputs: a clear exception naming the op (and the pivot), never NaNs; and 0×0 matrices. */
class LinalgErrorsTest {
    private static void throwsNaming(Class<? extends Throwable> type, Executable e, String... parts) {
        Throwable t = assertThrows(type, e);
        for (String p : parts) assertTrue(t.getMessage().contains(p), "message \"" + t.getMessage() + "\" lacks \"" + p + "\"");
    }

    private static final Tensor SINGULAR = Tensor.of(new double[][] {{1, 2, 3}, {2, 4, 6}, {1, 0, 1}});

    @Test
    void singularMatricesThrowNamingThePivot() {
        throwsNaming(ArithmeticException.class, () -> Linalg.solve(SINGULAR, Tensor.ones(3)), "solve", "singular", "pivot 2");
        throwsNaming(ArithmeticException.class, () -> Linalg.inv(SINGULAR), "inv", "singular", "pivot 2");
        throwsNaming(ArithmeticException.class, () -> Linalg.triangularSolve(Tensor.of(new double[][] {{1, 0}, {5, 0}}), Tensor.ones(2)),
                "triangularSolve", "singular", "diagonal entry 1");
        assertEquals(0, Linalg.det(SINGULAR).item());
        assertEquals(0, Linalg.slogdet(SINGULAR).sign().item());
        assertEquals(Double.NEGATIVE_INFINITY, Linalg.slogdet(SINGULAR).logAbsDet().item());
        throwsNaming(ArithmeticException.class, () -> Diff.grad(a -> Linalg.det(a), SINGULAR), "det (derivative)", "singular", "pivot");
        throwsNaming(ArithmeticException.class, () -> Diff.grad(a -> Linalg.slogdet(a).logAbsDet(), SINGULAR), "slogdet (derivative)", "pivot");
    }

    @Test
    void notPositiveDefiniteThrowsNamingThePivot() {
        Tensor a = Tensor.of(new double[][] {{4, 2, 0}, {2, 1, 0}, {0, 0, 1}}); // second pivot 1 − 2²/4 = 0
        throwsNaming(ArithmeticException.class, () -> Linalg.cholesky(a), "cholesky", "not positive definite", "row 1", "is 0.0");
        Tensor big = Tensor.eye(100).sub(Tensor.eye(100).mul(Tensor.of(indicator(100, 70), 100, 100)).mul(2)); // pivot 70 is −1
        throwsNaming(ArithmeticException.class, () -> Linalg.cholesky(big), "row 70", "is -1.0");
        Tensor nan = Tensor.of(new double[][] {{1, 0, 0}, {0, Double.NaN, 0}, {0, 0, 1}});
        throwsNaming(ArithmeticException.class, () -> Linalg.cholesky(nan), "cholesky", "row 1", "NaN");
        throwsNaming(IllegalArgumentException.class, () -> Linalg.eigh(nan), "eigh", "NaN");
    }

    /** 1 at (k, k). */
    private static double[] indicator(int n, int k) {
        double[] d = new double[n * n];
        d[k * n + k] = 1;
        return d;
    }

    @Test
    void wrongShapesAreIllegalArguments() {
        Tensor rect = Tensor.ones(2, 3), sq = Tensor.eye(3);
        for (Executable e : new Executable[] {() -> Linalg.cholesky(rect), () -> Linalg.inv(rect), () -> Linalg.det(Tensor.ones(3)),
                () -> Linalg.slogdet(Tensor.scalar(1)), () -> Linalg.eigh(rect), () -> Linalg.solve(rect, Tensor.ones(2))}) {
            throwsNaming(IllegalArgumentException.class, e, "square", "[");
        }
        throwsNaming(IllegalArgumentException.class, () -> Linalg.solve(sq, Tensor.ones(4)), "solve", "3×3", "length 4");
        throwsNaming(IllegalArgumentException.class, () -> Linalg.solve(sq, Tensor.ones(2, 2)), "solve", "2 rows");
        throwsNaming(IllegalArgumentException.class, () -> Linalg.choleskySolve(Tensor.ones(3, 2), Tensor.eye(2)), "choleskySolve");
        throwsNaming(IllegalArgumentException.class, () -> Linalg.solve(Tensor.ones(2, 3, 3), Tensor.ones(4, 3, 1)), "batch axes");
        throwsNaming(IllegalArgumentException.class, () -> Linalg.triangularSolve(sq, Tensor.scalar(1)), "scalar");
    }

    @Test
    void zeroByZeroMatrices() {
        Tensor e = Tensor.zeros(0, 0);
        assertEquals(1, Linalg.det(e).item());
        assertEquals(1, Linalg.slogdet(e).sign().item());
        assertEquals(0, Linalg.slogdet(e).logAbsDet().item());
        assertArrayEquals(new int[] {0, 0}, Linalg.cholesky(e).shape());
        assertArrayEquals(new int[] {0, 0}, Linalg.inv(e).shape());
        assertArrayEquals(new int[] {0}, Linalg.eigh(e).eigenvalues().shape());
        assertArrayEquals(new int[] {0, 3}, Linalg.solve(e, Tensor.zeros(0, 3)).shape());
        assertArrayEquals(new double[] {1, 1}, Linalg.det(Tensor.zeros(2, 0, 0)).toArray(), 0);
        assertArrayEquals(new int[] {0}, Linalg.det(Tensor.zeros(0, 3, 3)).shape());
        assertArrayEquals(new int[] {0, 0}, Diff.grad(a -> Linalg.slogdet(a).logAbsDet(), e).shape());
        assertArrayEquals(new int[] {0, 0}, Diff.grad(a -> Linalg.cholesky(a).sum(), e).shape());
    }
}
