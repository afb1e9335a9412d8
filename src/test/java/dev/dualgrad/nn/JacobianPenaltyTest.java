package dev.dualgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.TensorFunction;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

/**
 * JacobianPenalty's options and the projected estimator against its formula worked by hand: the per-sample
 * Jacobians of x ↦ tanh(x·W) are J_b[c, d] = (1 − y_bc²)·W[d, c], and the projections are the documented
 * draws (normalised Gaussians of Well19937c(seed), n × B rows of C or D).
 */
class JacobianPenaltyTest {
    static final int B = 3, D = 4, C = 5;
    static final double[][] W = new double[D][C];
    static final double[] X = {0.3, -0.2, 0.5, 0.1, -0.4, 0.25, 0.6, -0.35, 0.05, 0.2, -0.1, 0.45};

    static {
        for (int d = 0; d < D; d++) for (int c = 0; c < C; c++) W[d][c] = 0.2 * (1 + d) - 0.15 * c + 0.03 * d * c;
    }

    static final TensorFunction F = z -> {
        double[] w = new double[D * C];
        for (int d = 0; d < D; d++) System.arraycopy(W[d], 0, w, d * C, C);
        return z.matmul(Tensor.of(w, D, C)).tanh();
    };

    /** J_b[c][d] by hand. */
    static double[][][] jacobians() {
        double[][][] j = new double[B][C][D];
        for (int b = 0; b < B; b++) {
            for (int c = 0; c < C; c++) {
                double u = 0;
                for (int d = 0; d < D; d++) u += X[b * D + d] * W[d][c];
                double dy = 1 - Math.tanh(u) * Math.tanh(u);
                for (int d = 0; d < D; d++) j[b][c][d] = dy * W[d][c];
            }
        }
        return j;
    }

    /** n·B directions of length m, each a normalised Gaussian draw, in the order drawn. */
    static double[][] sphere(int n, int m, long seed) {
        Well19937c rng = new Well19937c(seed);
        double[][] v = new double[n * B][m];
        for (double[] row : v) {
            double norm = 0;
            for (int k = 0; k < m; k++) {
                row[k] = rng.nextGaussian();
                norm += row[k] * row[k];
            }
            for (int k = 0; k < m; k++) row[k] /= Math.sqrt(norm);
        }
        return v;
    }

    /** The n single-projection estimates Pᵣ = (C/B)·Σ_b ‖vᵀJ_b‖² (VJP) or (D/B)·Σ_b ‖J_b u‖² (JVP). */
    static double[] byHand(int n, long seed, JacobianPenalty.Projection variant) {
        double[][][] j = jacobians();
        boolean vjp = variant == JacobianPenalty.Projection.VJP;
        double[][] v = sphere(n, vjp ? C : D, seed);
        double[] p = new double[n];
        for (int r = 0; r < n; r++) {
            double s = 0;
            for (int b = 0; b < B; b++) {
                double[] dir = v[r * B + b];
                for (int o = 0; o < (vjp ? D : C); o++) {
                    double t = 0;
                    for (int i = 0; i < (vjp ? C : D); i++) t += vjp ? dir[i] * j[b][i][o] : j[b][o][i] * dir[i];
                    s += t * t;
                }
            }
            p[r] = s * (vjp ? C : D) / B;
        }
        return p;
    }

    @Test
    void projectedIsTheMeanOfTheHandWorkedProjectionsWithTheirVariance() {
        Tensor x = Tensor.of(X, B, D);
        for (JacobianPenalty.Projection variant : JacobianPenalty.Projection.values()) {
            double[] p = byHand(4, 23, variant);
            double mean = (p[0] + p[1] + p[2] + p[3]) / 4, var = 0;
            for (double v : p) var += (v - mean) * (v - mean) / 3;
            JacobianPenalty.Estimate e = JacobianPenalty.projected(F, x,
                    JacobianPenalty.ProjectionOptions.defaults().projections(4).seed(23).variant(variant));
            assertEquals(mean, e.value().item(), 1e-13 * mean, variant.toString());
            assertEquals(var, e.variance(), 1e-12 * var, variant.toString());
            assertEquals(Math.sqrt(var / 4), e.standardError(), 1e-12 * Math.sqrt(var), variant.toString());
            assertEquals(4, e.projections());
        }
    }

    @Test
    void theDefaultsAreOneVjpProjectionWithSeedZero() {
        JacobianPenalty.ProjectionOptions o = JacobianPenalty.ProjectionOptions.defaults();
        assertEquals(1, o.projections());
        assertEquals(0, o.seed());
        assertEquals(JacobianPenalty.Projection.VJP, o.variant());
        Tensor x = Tensor.of(X, B, D);
        JacobianPenalty.Estimate e = JacobianPenalty.projected(F, x);
        assertEquals(byHand(1, 0, JacobianPenalty.Projection.VJP)[0], e.value().item(), 1e-13 * e.value().item());
        assertTrue(Double.isNaN(e.variance()) && Double.isNaN(e.standardError()), e.toString()); // no spread from one draw
        // setters return copies and leave the original alone
        JacobianPenalty.ProjectionOptions p = o.projections(5).seed(9).variant(JacobianPenalty.Projection.JVP);
        assertNotSame(o, p);
        assertEquals(1, o.projections());
        assertEquals(5, p.projections());
        assertEquals(9, p.seed());
        assertEquals(JacobianPenalty.Projection.JVP, p.variant());
        assertThrows(IllegalArgumentException.class, () -> o.projections(0));
        assertThrows(IllegalArgumentException.class, () -> o.variant(null));
    }

    @Test
    void exactIsTheMeanSquaredNormWithOrWithoutOptions() {
        Tensor x = Tensor.of(X, B, D);
        double want = 0;
        for (double[][] jb : jacobians()) for (double[] row : jb) for (double v : row) want += v * v;
        want /= B;
        assertEquals(want, JacobianPenalty.exact(F, x).item(), 1e-13 * want);
        for (JacobianMode mode : JacobianMode.values()) {
            assertEquals(want, JacobianPenalty.exact(F, x, JacobianOptions.defaults().mode(mode)).item(), 1e-13 * want, mode.toString());
        }
        // a memory budget of one direction per pass: four (or five) passes, the same value
        assertEquals(want, JacobianPenalty.exact(F, x, JacobianOptions.defaults().memoryBudget(1)).item(), 1e-13 * want);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JacobianPenalty.exact(z -> z.sum(0), x));
        assertTrue(e.getMessage().contains("JacobianPenalty.exact") && e.getMessage().contains("batch axis first"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> JacobianPenalty.exact(F, Tensor.zeros(0, D)));
        assertTrue(e.getMessage().contains("non-empty batch"), e.getMessage());
    }
}
