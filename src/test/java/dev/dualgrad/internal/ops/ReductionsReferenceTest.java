package dev.dualgrad.internal.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.NormOptions;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.tensor.VarianceOptions;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import java.util.Set;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;
import org.apache.commons.math3.stat.descriptive.moment.Variance;
import org.junit.jupiter.api.Test;

/**
 * Issue 20's reductions against independent references: plain loops, Commons Math's Variance and
 * StandardDeviation, closed forms for prod and cumprod with zeros (exact, not to a tolerance), and the
 * edge values (NaN, ±∞, ±1e308, size 0, rank 0). PrimalReferenceTest counts the methods of {@link #COVERED}.
 */
class ReductionsReferenceTest {
    /** The registry methods whose primal reference is here (and, for the layers, in nn.LayersTest). */
    static final Set<String> COVERED = Set.of("min", "prod", "var", "std", "norm", "cumsum", "cumprod", "logcumsumexp",
            "layerNorm", "LayerNorm", "dropout");

    private static final Tensor X = TensorRandom.seed(1).normal(2, 3, 4);

    /** x[i][j][k] as nested arrays, read once. */
    private static double[][][] v() {
        double[][][] v = new double[2][3][4];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) v[i][j][k] = X.get(i, j, k);
        return v;
    }

    @Test
    void minProdAndNormsAgainstLoops() {
        double[][][] v = v();
        Tensor min1 = X.min(1), prod02 = X.prod(new int[] {0, 2}, true), n2 = X.norm(new int[] {-1}), n1 = X.norm(new int[] {0, 1}, NormOptions.defaults().p(1));
        Tensor nInf = X.norm(NormOptions.defaults().p(Double.POSITIVE_INFINITY).keepDims(true));
        assertArrayEquals(new int[] {2, 4}, min1.shape());
        assertArrayEquals(new int[] {1, 3, 1}, prod02.shape());
        assertArrayEquals(new int[] {1, 1, 1}, nInf.shape());
        double inf = 0;
        for (int i = 0; i < 2; i++) for (int k = 0; k < 4; k++) {
            double m = Double.POSITIVE_INFINITY;
            for (int j = 0; j < 3; j++) m = Math.min(m, v[i][j][k]);
            assertEquals(m, min1.get(i, k), 0);
        }
        for (int j = 0; j < 3; j++) {
            double p = 1;
            for (int i = 0; i < 2; i++) for (int k = 0; k < 4; k++) p *= v[i][j][k];
            assertEquals(p, prod02.get(0, j, 0), 1e-15 * Math.abs(p));
        }
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) {
            double s = 0;
            for (int k = 0; k < 4; k++) {
                s += v[i][j][k] * v[i][j][k];
                inf = Math.max(inf, Math.abs(v[i][j][k]));
            }
            assertEquals(Math.sqrt(s), n2.get(i, j), 1e-15);
        }
        for (int k = 0; k < 4; k++) {
            double s = 0;
            for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) s += Math.abs(v[i][j][k]);
            assertEquals(s, n1.get(k), 1e-14);
        }
        assertEquals(inf, nInf.get(0, 0, 0), 0);
        assertEquals(X.min().item(), -X.neg().max().item(), 0);
        assertArrayEquals(new int[] {2, 0, 1}, Tensor.of(new double[] {3, 2, 1, 0, 5, 0, 4, 1, 1}, 3, 3).argmin());
        assertArrayEquals(new int[] {1}, Tensor.vector(1, Double.NaN, -5).argmin()); // the NaN's index, as argmax
        // a constant: readable inside a transform, and it leaves the derivative alone
        int[][] seen = new int[1][];
        Tensor g = Diff.grad(z -> {
            seen[0] = z.argmin();
            return z.min();
        }, Tensor.vector(3, -1, 2));
        assertArrayEquals(new int[] {1}, seen[0]);
        assertArrayEquals(new double[] {0, 1, 0}, g.toArray(), 0);
        assertArrayEquals(new double[] {0.5, 0, 0.5}, Diff.grad(Tensor::min, Tensor.vector(1, 2, 1)).toArray(), 0); // ties share, as max
    }

    @Test
    void varianceAndStdAgainstCommonsMath() {
        double[][][] v = v();
        for (int c = 0; c <= 1; c++) {
            VarianceOptions o = VarianceOptions.defaults().correction(c);
            Tensor var2 = X.var(new int[] {-1}, o), std2 = X.std(new int[] {-1}, o), varAll = X.var(o), std01 = X.std(new int[] {0, 1}, o.keepDims(true));
            assertArrayEquals(new int[] {1, 1, 4}, std01.shape());
            Variance cmVar = new Variance(c == 1);
            StandardDeviation cmStd = new StandardDeviation(c == 1);
            double[] all = new double[24];
            for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) {
                assertEquals(cmVar.evaluate(v[i][j]), var2.get(i, j), 1e-14);
                assertEquals(cmStd.evaluate(v[i][j]), std2.get(i, j), 1e-14);
                System.arraycopy(v[i][j], 0, all, (i * 3 + j) * 4, 4);
            }
            assertEquals(cmVar.evaluate(all), varAll.item(), 1e-14);
            for (int k = 0; k < 4; k++) {
                double[] col = new double[6];
                for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) col[i * 3 + j] = v[i][j][k];
                assertEquals(cmStd.evaluate(col), std01.get(0, 0, k), 1e-14);
            }
        }
        // the default is the unbiased estimator, as PyTorch's correction = 1
        assertEquals(new Variance(true).evaluate(new double[] {1, 2, 4}), Tensor.vector(1, 2, 4).var().item(), 1e-15);
        assertEquals(7.0 / 3, Tensor.vector(1, 2, 4).var().item(), 1e-15); // (16/9 + 1/9 + 25/9) / (3 − 1)
        assertEquals(Double.POSITIVE_INFINITY, Tensor.vector(1, 2, 4).var(VarianceOptions.defaults().correction(3)).item()); // N − c = 0: x/0
        assertTrue(Double.isNaN(Tensor.vector(5).var().item()));                                       // one element, c = 1: 0/0
        assertEquals(0.0, Tensor.vector(5).var(VarianceOptions.defaults().correction(0)).item(), 0);
        assertThrows(IllegalArgumentException.class, () -> VarianceOptions.defaults().correction(-1));
    }

    @Test
    void scansAgainstLoops() {
        double[][][] v = v();
        Tensor cs = X.cumsum(1), cp = X.cumprod(-1), lc = X.logcumsumexp(0);
        for (int i = 0; i < 2; i++) for (int k = 0; k < 4; k++) {
            double s = 0;
            for (int j = 0; j < 3; j++) {
                s += v[i][j][k];
                assertEquals(s, cs.get(i, j, k), 1e-15);
            }
        }
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) {
            double p = 1;
            for (int k = 0; k < 4; k++) {
                p *= v[i][j][k];
                assertEquals(p, cp.get(i, j, k), 0);
            }
        }
        for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) {
            assertEquals(v[0][j][k], lc.get(0, j, k), 0);
            assertEquals(Math.log(Math.exp(v[0][j][k]) + Math.exp(v[1][j][k])), lc.get(1, j, k), 1e-14);
        }
        // stable where exp overflows or underflows: log(e^1000 + e^1000) = 1000 + log 2, and its derivative ½, ½
        Tensor big = Tensor.vector(1000, 1000, -1000);
        assertArrayEquals(new double[] {1000, 1000 + Math.log(2), 1000 + Math.log(2)}, big.logcumsumexp(0).toArray(), 1e-12);
        assertArrayEquals(new double[] {-1000, -1000 + Math.log(2)}, Tensor.vector(-1000, -1000).logcumsumexp(0).toArray(), 1e-12);
        Tensor g = Diff.grad(z -> z.logcumsumexp(0).select(0, 1), big);
        assertArrayEquals(new double[] {0.5, 0.5, 0}, g.toArray(), 1e-12); // e^{x − y} with y rounded to the ulp of 1000 (1.1e-13)
    }

    /** Π_{k≠i} x_k by a loop: the closed form of ∂Π/∂xᵢ. */
    private static double others(double[] x, int i) {
        double p = 1;
        for (int k = 0; k < x.length; k++) if (k != i) p *= x[k];
        return p;
    }

    @Test
    void prodWithZerosIsExact() {
        for (double[] x : new double[][] {{3, 0, 2, 5}, {0, 3, 0, 2}, {0, 0, 0, 7}, {1.5, -2, 4, 0.25}}) {
            Tensor t = Tensor.vector(x);
            double[] want = new double[4];
            for (int i = 0; i < 4; i++) want[i] = others(x, i);
            assertArrayEquals(want, Diff.grad(Tensor::prod, t).toArray(), 0);             // reverse
            assertArrayEquals(want, Diff.jacobian(Tensor::prod, t).toArray(), 0);         // forward (AUTO picks it for 1 output)
            // second order: ∂²Π/∂xᵢ∂xⱼ = Π_{k≠i,j} x_k off the diagonal, 0 on it
            Tensor h = Diff.hessian(Tensor::prod, t);
            for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) {
                double e = 1;
                for (int k = 0; k < 4; k++) if (k != i && k != j) e *= x[k];
                assertEquals(i == j ? 0 : e, h.get(i, j), 0, "H[" + i + "][" + j + "] at " + t);
            }
        }
        // along an axis, one zero per row and two in the other
        Tensor m = Tensor.of(new double[] {2, 0, 3, 0, 4, 0}, 2, 3);
        assertArrayEquals(new double[] {0, 6, 0, 0, 0, 0}, Diff.grad(z -> z.prod(1).sum(), m).toArray(), 0);
    }

    @Test
    void cumprodWithZerosIsExact() {
        for (double[] x : new double[][] {{3, 0, 2, 5}, {0, 3, 0, 2}, {2, -1, 0.5, 0}}) {
            Tensor t = Tensor.vector(x);
            // ∂yᵢ/∂xⱼ = Π_{k≤i, k≠j} x_k for j ≤ i, 0 above
            double[] want = new double[16];
            for (int i = 0; i < 4; i++) for (int j = 0; j <= i; j++) {
                double p = 1;
                for (int k = 0; k <= i; k++) if (k != j) p *= x[k];
                want[i * 4 + j] = p;
            }
            assertArrayEquals(want, Diff.jacobian(z -> z.cumprod(0), t, JacobianOptions.defaults().mode(JacobianMode.FORWARD)).toArray(), 0);
            assertArrayEquals(want, Diff.jacobian(z -> z.cumprod(0), t, JacobianOptions.defaults().mode(JacobianMode.REVERSE)).toArray(), 0);
        }
    }

    @Test
    void normAndStdConventionsAtZero() {
        Tensor zero = Tensor.zeros(3), flat = Tensor.vector(2, 2, 2);
        for (JacobianMode mode : new JacobianMode[] {JacobianMode.FORWARD, JacobianMode.REVERSE}) {
            JacobianOptions o = JacobianOptions.defaults().mode(mode);
            assertArrayEquals(new double[3], Diff.jacobian(Tensor::norm, zero, o).toArray(), 0, "2-norm′(0) = 0, " + mode);
            assertArrayEquals(new double[3], Diff.jacobian(z -> z.norm(NormOptions.defaults().p(1)), zero, o).toArray(), 0);
            assertArrayEquals(new double[3], Diff.jacobian(Tensor::std, flat, o).toArray(), 0, "std′ at zero variance = 0, " + mode);
        }
        assertArrayEquals(new double[] {0.6, -0.8}, Diff.grad(Tensor::norm, Tensor.vector(3, -4)).toArray(), 1e-16);
        assertThrows(IllegalArgumentException.class, () -> NormOptions.defaults().p(3));
    }

    @Test
    void edgeValues() {
        // scaling: no overflow or underflow where the norm itself is finite and non-zero
        assertEquals(Math.sqrt(2) * 1e200, Tensor.vector(1e200, -1e200).norm().item(), 1e186);
        assertEquals(Math.sqrt(2) * 1e-200, Tensor.vector(1e-200, 1e-200).norm().item(), 1e-214);
        assertEquals(Math.sqrt(2) * 1e308 / 2, Tensor.vector(1e308 / 2, 1e308 / 2).norm().item(), 1e294);
        assertArrayEquals(new double[] {Math.sqrt(0.5), Math.sqrt(0.5)}, Diff.grad(Tensor::norm, Tensor.vector(1e-200, 1e-200)).toArray(), 1e-15);
        assertEquals(Double.POSITIVE_INFINITY, Tensor.vector(1, Double.NEGATIVE_INFINITY).norm().item());
        assertTrue(Double.isNaN(Tensor.vector(1, Double.NaN, Double.POSITIVE_INFINITY).norm().item()));
        assertEquals(0.0, Tensor.vector(1e308, 1e308).var().item(), 0); // the mean as Σ x/N does not overflow
        assertEquals(1e308, Tensor.vector(1e308, 1e308).min().item(), 0);
        assertEquals(Double.POSITIVE_INFINITY, Tensor.vector(1e308, 10).prod().item());
        assertTrue(Double.isNaN(Tensor.vector(2, Double.NaN, 1).min().item()));
        assertTrue(Double.isNaN(Tensor.vector(Double.POSITIVE_INFINITY, 0).prod().item()));  // ∞·0, as IEEE
        assertTrue(Double.isNaN(Tensor.vector(Double.POSITIVE_INFINITY, 0, 1).cumprod(0).get(1)));
        assertArrayEquals(new double[] {1, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY},
                Tensor.vector(1, Double.POSITIVE_INFINITY, 3).logcumsumexp(0).toArray(), 0);
        assertArrayEquals(new double[] {Double.NEGATIVE_INFINITY, 0}, Tensor.vector(Double.NEGATIVE_INFINITY, 0).logcumsumexp(0).toArray(), 0);
        // size 0: the empty product is 1 and the empty 2- and 1-norms 0; the empty min and ∞-norm refuse, naming the op
        assertEquals(1.0, Tensor.zeros(0).prod().item(), 0);
        assertArrayEquals(new double[] {1, 1}, Tensor.zeros(2, 0).prod(1).toArray(), 0);
        assertEquals(0.0, Tensor.zeros(0).norm().item(), 0);
        assertEquals(0.0, Tensor.zeros(0).norm(NormOptions.defaults().p(1)).item(), 0);
        assertTrue(Double.isNaN(Tensor.zeros(0).var().item()));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 0).min(1)).getMessage().startsWith("min:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0).norm(NormOptions.defaults().p(Double.POSITIVE_INFINITY)))
                .getMessage().startsWith("norm:"));
        assertArrayEquals(new int[] {0, 3}, Tensor.zeros(0, 3).cumprod(0).shape());
        assertArrayEquals(new int[] {2, 0}, Tensor.zeros(2, 0).logcumsumexp(-1).shape());
        // rank 0: the full reductions return the value (var with c = 1 of one element is NaN); scans have no axis
        Tensor s = Tensor.scalar(-3);
        assertEquals(-3, s.prod().item(), 0);
        assertEquals(-3, s.min().item(), 0);
        assertEquals(3, s.norm().item(), 0);
        assertTrue(Double.isNaN(s.var().item()));
        assertEquals(-1, Diff.grad(Tensor::norm, s).item(), 0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.cumsum(0)).getMessage().startsWith("cumsum:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> X.cumprod(3)).getMessage().startsWith("cumprod:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> X.prod(new int[] {1, -2}, false)).getMessage().startsWith("prod:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.argmin()).getMessage().startsWith("argmin:"));
    }
}
