package dev.dualgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * Linalg's primal values against Commons Math's decompositions (the registry's reference for these ops),
 * at sizes below and above the block sizes of the blocked kernels (48 and 64), and batched.
 */
class LinalgReferenceTest {
    /** Sizes crossing the block boundaries of CholeskyKernel (48) and TriangularKernel (64). */
    private static final int[] SIZES = {1, 2, 5, 47, 48, 49, 64, 65, 130};

    static double[][] rows(Tensor t, int batch) {
        int n = t.dim(-2), m = t.dim(-1);
        double[] v = t.toArray();
        double[][] r = new double[n][m];
        for (int i = 0; i < n; i++) System.arraycopy(v, batch * n * m + i * m, r[i], 0, m);
        return r;
    }

    static RealMatrix cm(Tensor t, int batch) {
        return new Array2DRowRealMatrix(rows(t, batch), false);
    }

    static Tensor spd(int n, long seed) {
        Tensor m = TensorRandom.seed(seed).normal(n, n);
        return m.matmul(m, false, true).add(Tensor.eye(n).mul(n));
    }

    static void close(RealMatrix want, Tensor got, int batch, double tol, String what) {
        double[][] g = rows(got, batch);
        for (int i = 0; i < g.length; i++) {
            for (int j = 0; j < g[i].length; j++) {
                double w = want.getEntry(i, j);
                assertEquals(w, g[i][j], tol * (1 + Math.abs(w)), what + " at (" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void choleskyMatchesCommonsMath() {
        for (int n : SIZES) {
            Tensor a = spd(n, n);
            close(new CholeskyDecomposition(cm(a, 0)).getL(), Linalg.cholesky(a), 0, 1e-11, "cholesky n = " + n);
        }
    }

    @Test
    void choleskyReadsOnlyTheLowerTriangle() {
        Tensor a = spd(70, 3);
        Tensor junkAbove = a.add(TensorRandom.seed(9).normal(70, 70).mul(Tensor.of(upperMask(70), 70, 70)));
        assertArrayEquals(Linalg.cholesky(a).toArray(), Linalg.cholesky(junkAbove).toArray(), 0);
    }

    private static double[] upperMask(int n) {
        double[] m = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) m[i * n + j] = 1;
        return m;
    }

    @Test
    void solveInvDetMatchLu() {
        for (int n : SIZES) {
            Tensor a = TensorRandom.seed(n).normal(n, n).add(Tensor.eye(n).mul(2));
            Tensor b = TensorRandom.seed(n + 1).normal(n, 3);
            LUDecomposition lu = new LUDecomposition(cm(a, 0));
            close(lu.getSolver().solve(cm(b, 0)), Linalg.solve(a, b), 0, 1e-9, "solve n = " + n);
            close(lu.getSolver().getInverse(), Linalg.inv(a), 0, 1e-9, "inv n = " + n);
            double det = lu.getDeterminant();
            assertEquals(det, Linalg.det(a).item(), 1e-9 * Math.abs(det), "det n = " + n);
            Linalg.Slogdet s = Linalg.slogdet(a);
            assertEquals(Math.signum(det), s.sign().item(), "sign n = " + n);
            assertEquals(Math.log(Math.abs(det)), s.logAbsDet().item(), 1e-10 * (1 + Math.abs(Math.log(Math.abs(det)))), "log|det| n = " + n);
        }
    }

    @Test
    void slogdetKeepsPrecisionWhereDetOverflows() {
        Tensor a = Tensor.eye(400).mul(1e3); // det = 1e1200
        assertEquals(Double.POSITIVE_INFINITY, Linalg.det(a).item());
        assertEquals(1200 * Math.log(10), Linalg.slogdet(a).logAbsDet().item(), 1e-9);
        assertEquals(1, Linalg.slogdet(a).sign().item());
    }

    @Test
    void triangularSolvesMatchLu() {
        for (int n : SIZES) {
            Tensor a = TensorRandom.seed(n).normal(n, n).mul(0.1).add(Tensor.eye(n));
            Tensor b = TensorRandom.seed(n + 1).normal(n, 4);
            double[][] lo = rows(a, 0), up = rows(a, 0), loUnit = rows(a, 0);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (j > i) { lo[i][j] = 0; loUnit[i][j] = 0; }
                    if (j < i) up[i][j] = 0;
                }
                loUnit[i][i] = 1;
            }
            RealMatrix l = new Array2DRowRealMatrix(lo), u = new Array2DRowRealMatrix(up), lu1 = new Array2DRowRealMatrix(loUnit), bm = cm(b, 0);
            close(new LUDecomposition(l).getSolver().solve(bm), Linalg.triangularSolve(a, b), 0, 1e-10, "lower n = " + n);
            close(new LUDecomposition(u).getSolver().solve(bm), Linalg.triangularSolve(a, b, TriangularSolveOptions.upper()), 0, 1e-10, "upper n = " + n);
            close(new LUDecomposition(l.transpose()).getSolver().solve(bm), Linalg.triangularSolve(a, b, TriangularSolveOptions.lower().transposed()), 0, 1e-10,
                    "lower transposed n = " + n);
            close(new LUDecomposition(u.transpose()).getSolver().solve(bm), Linalg.triangularSolve(a, b, TriangularSolveOptions.upper().transposed()), 0, 1e-10,
                    "upper transposed n = " + n);
            close(new LUDecomposition(lu1).getSolver().solve(bm), Linalg.triangularSolve(a, b, TriangularSolveOptions.lower().unitDiagonal()), 0, 1e-10,
                    "lower unit n = " + n);
        }
    }

    @Test
    void choleskySolveMatchesTheInverse() {
        for (int n : new int[] {3, 50, 100}) {
            Tensor a = spd(n, 2), b = TensorRandom.seed(4).normal(n);
            RealMatrix x = new LUDecomposition(cm(a, 0)).getSolver().solve(new Array2DRowRealMatrix(rows(b.unsqueeze(-1), 0)));
            close(x, Linalg.choleskySolve(b, Linalg.cholesky(a)).unsqueeze(-1), 0, 1e-10, "choleskySolve n = " + n);
        }
    }

    @Test
    void eighMatchesEigenDecomposition() {
        for (int n : new int[] {1, 2, 4, 9, 20}) {
            Tensor m = TensorRandom.seed(n).normal(n, n);
            Tensor a = m.add(m.transpose());
            Linalg.Eigh e = Linalg.eigh(a);
            EigenDecomposition ref = new EigenDecomposition(cm(a, 0));
            double[] want = ref.getRealEigenvalues().clone();
            java.util.Arrays.sort(want);
            assertArrayEquals(want, e.eigenvalues().toArray(), 1e-10 * (1 + Math.abs(want[n - 1])), "eigenvalues n = " + n);
            // eigenvectors up to sign: V's columns against Commons Math's, each sign-aligned
            double[][] v = rows(e.eigenvectors(), 0);
            for (int j = 0; j < n; j++) {
                double[] r = ref.getEigenvector(ref.getRealEigenvalues().length - 1 - j).toArray(); // Commons Math sorts descending
                double dot = 0;
                for (int i = 0; i < n; i++) dot += r[i] * v[i][j];
                for (int i = 0; i < n; i++) assertEquals(Math.signum(dot) * r[i], v[i][j], 1e-8, "eigenvector " + j + " n = " + n);
            }
        }
    }

    @Test
    void batchedOpsEqualTheirPerMatrixResults() {
        Tensor a = Tensor.stack(0, spd(5, 1), spd(5, 2), spd(5, 3)).reshape(3, 1, 5, 5);
        Tensor b = TensorRandom.seed(7).normal(2, 5, 2); // broadcasts against a's batch [3, 1] to [3, 2]
        Tensor x = Linalg.solve(a, b), l = Linalg.cholesky(a), d = Linalg.det(a);
        assertArrayEquals(new int[] {3, 2, 5, 2}, x.shape());
        assertArrayEquals(new int[] {3, 1}, d.shape());
        for (int i = 0; i < 3; i++) {
            Tensor ai = a.select(0, i).select(0, 0);
            assertArrayEquals(Linalg.cholesky(ai).toArray(), l.select(0, i).select(0, 0).toArray(), 0);
            assertEquals(Linalg.det(ai).item(), d.get(i, 0), 0);
            for (int j = 0; j < 2; j++) assertArrayEquals(Linalg.solve(ai, b.select(0, j)).toArray(), x.select(0, i).select(0, j).toArray(), 1e-13);
        }
        Tensor v = TensorRandom.seed(8).normal(3, 1, 5); // a vector per matrix: A's shape without its last axis
        assertArrayEquals(new int[] {3, 1, 5}, Linalg.solve(a, v).shape());
        assertArrayEquals(new int[] {3, 1, 5}, Linalg.eigh(a).eigenvalues().shape());
        assertArrayEquals(new int[] {3, 1, 5, 5}, Linalg.eigh(a).eigenvectors().shape());
    }
}
