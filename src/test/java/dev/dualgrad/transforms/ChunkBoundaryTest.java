package dev.dualgrad.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dualgrad.Diff;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.nn.JacobianPenalty;
import dev.dualgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Every transform that seeds directions in chunks, at every chunk size from 1 to one past the number of
 * directions, against its derivative worked by hand. The functions are chosen so that every column (or
 * row) of the Jacobian differs from every other: a chunk that skipped a direction would leave a zero
 * column, one that repeated a direction (at the boundary of the last, partial chunk, or between two
 * inputs) would put a copy where another column belongs, one that seeded only some samples would leave
 * zeros in the other samples' Jacobians.
 */
class ChunkBoundaryTest {
    /** W[i][j] = 0.1·(1 + i + 2j) − 0.07·j²: all distinct, none zero. */
    static double[][] weights(int rows, int cols) {
        double[][] w = new double[rows][cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) w[i][j] = 0.1 * (1 + i + 2 * j) - 0.07 * j * j + 0.013;
        return w;
    }

    static Tensor matrix(double[][] w) {
        double[] d = new double[w.length * w[0].length];
        for (int i = 0; i < w.length; i++) System.arraycopy(w[i], 0, d, i * w[0].length, w[0].length);
        return Tensor.of(d, w.length, w[0].length);
    }

    static void close(double[] want, Tensor got, String what) {
        double[] g = Tensors.buffer(got);
        assertEquals(want.length, g.length, what);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], g[i], 1e-13 * (1 + Math.abs(want[i])), what + ", element " + i);
    }

    /** f(a, b) = tanh(W·[vec a; b]), a [2, 3], b [4], W [5, 10]: J = diag(1 − y²)·W, split 6 | 4 between a and b. */
    @Test
    void jacobianOfTwoInputsInEveryModeAndChunk() {
        double[][] w = weights(5, 10);
        Tensor wt = matrix(w);
        Tensor a = Tensor.of(new double[] {0.3, -0.2, 0.5, 0.1, -0.4, 0.25}, 2, 3), b = Tensor.of(new double[] {-0.15, 0.35, 0.05, -0.3}, 4);
        double[] x = new double[10];
        System.arraycopy(a.toArray(), 0, x, 0, 6);
        System.arraycopy(b.toArray(), 0, x, 6, 4);
        double[] ja = new double[5 * 6], jb = new double[5 * 4];
        for (int i = 0; i < 5; i++) {
            double s = 0;
            for (int j = 0; j < 10; j++) s += w[i][j] * x[j];
            double dy = 1 - Math.tanh(s) * Math.tanh(s);
            for (int j = 0; j < 6; j++) ja[i * 6 + j] = dy * w[i][j];
            for (int j = 0; j < 4; j++) jb[i * 4 + j] = dy * w[i][6 + j];
        }
        MultiTensorFunction f = xs -> wt.matmul(Tensor.concat(0, xs[0].reshape(6), xs[1])).tanh();
        for (JacobianMode mode : JacobianMode.values()) {
            for (int chunk = 1; chunk <= 11; chunk++) {
                JacobianResult r = Diff.jacobianWithPlan(f, new Tensor[] {a, b}, JacobianOptions.defaults().mode(mode).chunkSize(chunk));
                String what = mode + ", chunk " + chunk;
                assertArrayEquals(new int[] {5, 2, 3}, r.get(0).shape(), what);
                close(ja, r.get(0), what + ", ∂f/∂a");
                close(jb, r.get(1), what + ", ∂f/∂b");
                long dirs = r.plan().mode() == JacobianMode.FORWARD ? 10 : 5;
                assertEquals((dirs + chunk - 1) / chunk, r.plan().passes(), what);
            }
        }
    }

    /** x [3, 5] ↦ tanh(x·W), W [5, 7]: J_b[c, d] = (1 − y_bc²)·W[d, c]; D = 5 tangents or C = 7 cotangents. */
    @Test
    void batchJacobianInBothModesAndEveryChunk() {
        double[][] w = weights(5, 7);
        Tensor wt = matrix(w);
        Tensor x = Tensor.of(new double[] {0.3, -0.2, 0.5, 0.1, -0.4, 0.25, 0.6, -0.35, 0.05, 0.2, -0.1, 0.45, -0.5, 0.15, 0.3}, 3, 5);
        double[] want = perSampleJacobians(w, x);
        for (JacobianMode mode : new JacobianMode[] {JacobianMode.FORWARD, JacobianMode.REVERSE}) {
            for (int chunk = 1; chunk <= 8; chunk++) {
                JacobianOptions o = JacobianOptions.defaults().mode(mode).chunkSize(chunk);
                JacobianResult r = Diff.batchJacobianWithPlan(z -> z.matmul(wt).tanh(), x, o);
                assertArrayEquals(new int[] {3, 7, 5}, r.jacobian().shape());
                close(want, r.jacobian(), mode + ", chunk " + chunk);
                assertEquals(((mode == JacobianMode.FORWARD ? 5 : 7) + chunk - 1) / chunk, r.plan().passes(), mode + ", chunk " + chunk);
            }
        }
    }

    /** J_b[c, d] = (1 − tanh²(x_b·W)_c)·W[d, c], laid out [B, C, D]. */
    static double[] perSampleJacobians(double[][] w, Tensor x) {
        int bs = x.dim(0), d = w.length, c = w[0].length;
        double[] want = new double[bs * c * d];
        for (int s = 0; s < bs; s++) {
            for (int k = 0; k < c; k++) {
                double u = 0;
                for (int j = 0; j < d; j++) u += x.get(s, j) * w[j][k];
                double dy = 1 - Math.tanh(u) * Math.tanh(u);
                for (int j = 0; j < d; j++) want[(s * c + k) * d + j] = dy * w[j][k];
            }
        }
        return want;
    }

    /** f = Σ aᵢxᵢ³ + Σ (i+1)·xᵢxᵢ₊₁: H_ii = 6aᵢxᵢ, H_{i,i+1} = H_{i+1,i} = i + 1, all else 0. */
    @Test
    void hessianInEveryChunk() {
        int n = 7;
        double[] xv = {0.4, -0.3, 0.7, 0.2, -0.6, 0.5, 0.1}, av = {1, 2, -1, 0.5, 3, -2, 1.5};
        Tensor x = Tensor.of(xv, n), a = Tensor.of(av, n);
        Tensor k = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, n - 1);
        TensorFunction f = z -> z.pow(3.0).mul(a).sum().add(z.slice(0, 0, n - 1).mul(z.slice(0, 1, n)).mul(k).sum());
        double[] want = new double[n * n];
        for (int i = 0; i < n; i++) want[i * n + i] = 6 * av[i] * xv[i];
        for (int i = 0; i + 1 < n; i++) want[i * n + i + 1] = want[(i + 1) * n + i] = i + 1;
        for (JacobianMode mode : JacobianMode.values()) {
            for (int chunk = 1; chunk <= n + 1; chunk++) {
                HessianResult h = Diff.hessianWithCheck(f, x, JacobianOptions.defaults().mode(mode).chunkSize(chunk));
                close(want, h.hessian(), mode + ", chunk " + chunk);
                assertEquals((n + chunk - 1) / chunk, h.plan().passes(), mode + ", chunk " + chunk);
            }
        }
    }

    /** The exact penalty (1/B)·Σ_b ‖J_b‖²_F of x ↦ tanh(x·W), summed from the hand-worked Jacobians. */
    @Test
    void exactPenaltyInBothModesAndEveryChunk() {
        double[][] w = weights(5, 7);
        Tensor wt = matrix(w);
        Tensor x = Tensor.of(new double[] {0.3, -0.2, 0.5, 0.1, -0.4, 0.25, 0.6, -0.35, 0.05, 0.2, -0.1, 0.45, -0.5, 0.15, 0.3}, 3, 5);
        double want = 0;
        for (double v : perSampleJacobians(w, x)) want += v * v;
        want /= 3;
        for (JacobianMode mode : JacobianMode.values()) {
            for (int chunk = 0; chunk <= 8; chunk++) {
                double got = JacobianPenalty.exact(z -> z.matmul(wt).tanh(), x, JacobianOptions.defaults().mode(mode).chunkSize(chunk)).item();
                assertEquals(want, got, 1e-13 * want, mode + ", chunk " + chunk);
            }
        }
    }
}
