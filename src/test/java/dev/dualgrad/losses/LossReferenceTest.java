package dev.dualgrad.losses;

import dev.dualgrad.internal.engine.Tensors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.Loss;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import org.junit.jupiter.api.Test;

/**
 * Losses against plain-loop references written from PyTorch's documented formulas, independently of
 * the engine, and against a few published values.
 */
class LossReferenceTest {
    /** PyTorch's cross_entropy with class-index targets, written as loops. */
    static double crossEntropyReference(double[][] x, int[] t, double[] w, int ignore, double eps, Reduction r, double[] perRow) {
        int c = x[0].length;
        double total = 0, den = 0;
        for (int n = 0; n < x.length; n++) {
            if (t[n] == ignore) {
                if (perRow != null) perRow[n] = 0;
                continue;
            }
            double m = Double.NEGATIVE_INFINITY;
            for (double v : x[n]) m = Math.max(m, v);
            double z = 0;
            for (double v : x[n]) z += Math.exp(v - m);
            double lse = m + Math.log(z);
            double wt = w == null ? 1 : w[t[n]];
            double nll = -wt * (x[n][t[n]] - lse);
            double smooth = 0;
            for (int k = 0; k < c; k++) smooth -= (w == null ? 1 : w[k]) * (x[n][k] - lse);
            double l = (1 - eps) * nll + eps / c * smooth;
            if (perRow != null) perRow[n] = l;
            total += l;
            den += wt;
        }
        return r == Reduction.MEAN ? total / den : total;
    }

    @Test
    void publishedValue() {
        // −log softmax([1, 2, 3])[2] = log(e + e² + e³) − 3
        assertEquals(0.40760596444438, Loss.crossEntropy(Tensor.of(new double[][] {{1, 2, 3}}), new int[] {2}).item(), 1e-13);
        assertEquals(0.40760596444438, Loss.crossEntropy(Tensor.vector(1, 2, 3), new int[] {2}).item(), 1e-13);
        // BCE of p = 0.8 against y = 1 is −log 0.8
        assertEquals(-Math.log(0.8), Loss.bce(Tensor.vector(0.8), Tensor.vector(1)).item(), 1e-15);
    }

    @Test
    void crossEntropyOptionsMatchTheReference() {
        Tensor logits = TensorRandom.seed(11).normal(6, 5);
        double[][] x = new double[6][5];
        for (int n = 0; n < 6; n++) for (int k = 0; k < 5; k++) x[n][k] = logits.get(n, k);
        int[] t = {0, 4, 2, 2, 1, 3};
        double[] w = {0.5, 2, 1, 3, 0.25};
        for (Reduction r : new Reduction[] {Reduction.MEAN, Reduction.SUM}) {
            for (double eps : new double[] {0, 0.1, 1}) {
                for (int ignore : new int[] {-100, 2}) {
                    for (double[] weights : new double[][] {null, w}) {
                        ClassLossOptions o = ClassLossOptions.defaults().reduction(r).labelSmoothing(eps).ignoreIndex(ignore)
                                .weight(weights == null ? null : Tensor.vector(weights));
                        double expected = crossEntropyReference(x, t, weights, ignore, eps, r, null);
                        assertEquals(expected, Loss.crossEntropy(logits, t, o).item(), 1e-12, r + " eps " + eps + " ignore " + ignore);
                    }
                }
            }
        }
        double[] perRow = new double[6];
        crossEntropyReference(x, t, w, 2, 0.1, Reduction.SUM, perRow);
        Tensor none = Loss.crossEntropy(logits, t, ClassLossOptions.defaults().reduction(Reduction.NONE).weight(Tensor.vector(w)).ignoreIndex(2).labelSmoothing(0.1));
        for (int n = 0; n < 6; n++) assertEquals(perRow[n], none.get(n), 1e-12);
    }

    @Test
    void allTargetsIgnoredGivesNaNForTheMeanAsPyTorch() {
        assertTrue(Double.isNaN(Loss.crossEntropy(Tensor.zeros(2, 3), new int[] {-100, -100}).item()));
    }

    @Test
    void gradientIsSoftmaxMinusOneHotOverN() {
        Tensor logits = TensorRandom.seed(3).normal(4, 5);
        int[] t = {1, 0, 4, 4};
        Tensor g = Diff.grad(z -> Loss.crossEntropy(z, t), logits);
        for (int n = 0; n < 4; n++) {
            double m = Double.NEGATIVE_INFINITY, z = 0;
            for (int k = 0; k < 5; k++) m = Math.max(m, logits.get(n, k));
            for (int k = 0; k < 5; k++) z += Math.exp(logits.get(n, k) - m);
            for (int k = 0; k < 5; k++) {
                double p = Math.exp(logits.get(n, k) - m) / z;
                assertEquals((p - (k == t[n] ? 1 : 0)) / 4, g.get(n, k), 1e-15);
            }
        }
    }

    @Test
    void crossEntropyEqualsNllOfLogSoftmax() {
        Tensor logits = TensorRandom.seed(4).normal(3, 4);
        int[] t = {3, 0, 2};
        assertEquals(Loss.crossEntropy(logits, t).item(), Loss.nll(logits.logSoftmax(1), t).item(), 1e-15);
        Tensor g1 = Diff.grad(z -> Loss.crossEntropy(z, t), logits), g2 = Diff.grad(z -> Loss.nll(z.logSoftmax(1), t), logits);
        for (int i = 0; i < g1.size(); i++) assertEquals(Tensors.buffer(g1)[i], Tensors.buffer(g2)[i], 1e-15);
    }

    @Test
    void softTargetsMatchTheReference() {
        Tensor logits = TensorRandom.seed(5).normal(3, 4);
        Tensor p = TensorRandom.seed(6).uniform(0, 1, 3, 4);
        p = p.div(p.sum(1, true));
        double eps = 0.2;
        double total = 0;
        for (int n = 0; n < 3; n++) {
            double m = Double.NEGATIVE_INFINITY, z = 0;
            for (int k = 0; k < 4; k++) m = Math.max(m, logits.get(n, k));
            for (int k = 0; k < 4; k++) z += Math.exp(logits.get(n, k) - m);
            for (int k = 0; k < 4; k++) total -= ((1 - eps) * p.get(n, k) + eps / 4) * (logits.get(n, k) - m - Math.log(z));
        }
        assertEquals(total / 3, Loss.crossEntropy(logits, p, ClassLossOptions.defaults().labelSmoothing(eps)).item(), 1e-13);
    }

    @Test
    void kDimensionalLogitsMatchTheRowLayout() {
        Tensor logits = TensorRandom.seed(8).normal(2, 3, 4); // [N=2, C=3, d=4]
        int[] t = {0, 1, 2, 1, 2, 2, 0, 0};
        Tensor rows = logits.permute(0, 2, 1).reshape(8, 3);
        assertEquals(Loss.crossEntropy(rows, t).item(), Loss.crossEntropy(logits, t).item(), 1e-15);
        assertEquals(2, Loss.crossEntropy(logits, t, ClassLossOptions.defaults().reduction(Reduction.NONE)).rank());
    }

    @Test
    void bceWithLogitsEqualsBceOfSigmoidWhereBothAreAccurate() {
        Tensor z = Tensor.vector(-3, -0.5, 0, 0.7, 2.5);
        Tensor y = Tensor.vector(0, 1, 0.3, 1, 0.9);
        assertEquals(Loss.bce(z.sigmoid(), y).item(), Loss.bceWithLogits(z, y).item(), 1e-14);
        Tensor q = Tensor.vector(2);
        double sum = 0;
        for (int i = 0; i < 5; i++) {
            double s = 1 / (1 + Math.exp(-z.get(i)));
            sum += -(2 * y.get(i) * Math.log(s) + (1 - y.get(i)) * Math.log(1 - s));
        }
        assertEquals(sum, Loss.bceWithLogits(z, y, null, q, Reduction.SUM).item(), 1e-13);
        assertEquals(0.0, Loss.mse(z, z).item(), 0);
        assertEquals((9 + 0.25) / 2, Loss.mse(Tensor.vector(3, 0.5), Tensor.vector(0, 0)).item(), 0);
    }
}
