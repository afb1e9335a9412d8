package dev.dualgrad.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import org.junit.jupiter.api.Test;

/**
 * batchJacobian's independence check catches a dependence between any two samples, not only those
 * that reach the first or the last one, and names the pair.
 */
class BatchIndependenceProbeTest {
    private static final int D = 3;

    /** A per-sample map plus 0.5·x[from] added to the output of sample {@code to}. */
    private static TensorFunction mixing(int b, int from, int to) {
        double[] m = new double[b * b];
        m[to * b + from] = 0.5;
        Tensor mix = Tensor.of(m, b, b);
        return z -> z.tanh().mul(z.sum(1, true)).add(mix.matmul(z));
    }

    private static void assertNamesPair(IllegalArgumentException e, int from, int to) {
        String want = "the output of sample " + to + " depends on the input of sample " + from;
        assertTrue(e.getMessage().contains("f mixes samples") && e.getMessage().contains(want), want + " in: " + e.getMessage());
    }

    @Test
    void mixingBetweenEveryPairIsDetectedAndNamed() {
        for (int b : new int[] {2, 3, 5, 8}) {
            Tensor x = TensorRandom.seed(b).normal(b, D);
            for (int from = 0; from < b; from++) {
                for (int to = 0; to < b; to++) {
                    if (from == to) continue;
                    TensorFunction f = mixing(b, from, to);
                    for (JacobianMode mode : new JacobianMode[] {JacobianMode.FORWARD, JacobianMode.REVERSE}) {
                        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                () -> Diff.batchJacobian(f, x, JacobianOptions.defaults().mode(mode)), "B = " + b + ": " + from + " → " + to);
                        assertNamesPair(e, from, to);
                    }
                }
            }
        }
    }

    /** The issue's case: B = 5, samples 2 and 3 mixed both ways (the old probe perturbed only 0 and 4). */
    @Test
    void theIssuesCase() {
        Tensor x = TensorRandom.seed(7).normal(5, D);
        double[] m = new double[25];
        m[2 * 5 + 3] = 1;
        m[3 * 5 + 2] = 1;
        Tensor mix = Tensor.of(m, 5, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Diff.batchJacobian(z -> z.sin().add(mix.matmul(z)), x));
        assertTrue(e.getMessage().contains("depends on the input of sample"), e.getMessage());
    }

    /**
     * Two samples on the same side of every bit but one, entering with opposite signs: x[2] − x[6] added
     * to sample 0. Equal tangents on 2 and 6 would cancel; the probe's are random per sample.
     */
    @Test
    void contributionsOfSeveralSamplesDoNotCancel() {
        Tensor x = TensorRandom.seed(9).normal(8, D);
        double[] m = new double[64];
        m[2] = 1;  // row 0, column 2
        m[6] = -1; // row 0, column 6
        Tensor mix = Tensor.of(m, 8, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Diff.batchJacobian(z -> z.tanh().add(mix.matmul(z)), x));
        assertTrue(e.getMessage().contains("the output of sample 0 depends on the input of sample 2")
                || e.getMessage().contains("the output of sample 0 depends on the input of sample 6"), e.getMessage());
    }

    @Test
    void aPerSampleFunctionPasses() {
        for (int b : new int[] {1, 2, 5, 8, 33}) {
            Tensor x = TensorRandom.seed(100 + b).normal(b, D);
            TensorFunction f = z -> z.tanh().mul(z.sum(1, true)).softmax(1);
            Tensor j = Diff.batchJacobian(f, x);
            assertArrayEquals(new int[] {b, D, D}, j.shape());
            for (int s : new int[] {0, b - 1}) {
                Tensor single = Diff.jacobian(z -> f.apply(z.unsqueeze(0)).squeeze(0), x.select(0, s));
                double[] got = j.select(0, s).toArray(), want = single.toArray();
                for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-14, "B = " + b + ", sample " + s);
            }
        }
    }
}
