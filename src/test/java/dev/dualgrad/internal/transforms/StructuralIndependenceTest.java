package dev.dualgrad.internal.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.Loss;
import dev.dualgrad.nn.Activation;
import dev.dualgrad.nn.Mlp;
import dev.dualgrad.ops.CustomOp;
import dev.dualgrad.ops.VjpReads;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.MultiTensorFunction;
import dev.dualgrad.transforms.TensorFunction;
import org.junit.jupiter.api.Test;

/**
 * The structural half of batchJacobian's independence check: sparsity detection with sample labels proves
 * independence when it holds by the ops' rules, and otherwise gives no verdict, so the probe still decides and
 * reports every dependence it did before.
 */
class StructuralIndependenceTest {
    private static boolean structural(TensorFunction f, Tensor x) {
        int b = x.dim(0);
        MultiTensorFunction g = xs -> f.apply(xs[0]);
        return BatchJacobians.structurallyIndependent(g, x, b, x.size() / b);
    }

    @Test
    void perSampleNetworksAreProvenIndependent() {
        Mlp net = Mlp.of(6, 16, 16, 4).activation(Activation.TANH).seed(3).build();
        Tensor x = TensorRandom.seed(1).normal(9, 6);
        assertTrue(structural(net::forward, x));
        assertTrue(structural(z -> z.softmax(1).log().mul(z.sum(1, true)), x)); // row-wise reductions keep samples apart
        assertTrue(structural(z -> z.reshape(9, 2, 3).sum(2).exp(), x));
        assertTrue(structural(z -> Tensor.zeros(9, 2), x)); // depends on nothing
        assertTrue(structural(z -> z.logsumexp(1), x));
    }

    @Test
    void anythingAcrossTheBatchIsNoProof() {
        Tensor x = TensorRandom.seed(2).normal(5, 3);
        assertFalse(structural(z -> z.sub(z.mean(0, true)), x)); // batch mean
        assertFalse(structural(z -> Tensor.concat(0, z.slice(0, 1, 5), z.slice(0, 0, 1)), x)); // a roll: sample s reads s + 1
        assertFalse(structural(z -> z.sum().add(z), x));
        assertFalse(structural(z -> Loss.crossEntropy(z, new int[] {0, 1, 2, 0, 1}).add(z), x)); // the batch-mean loss
        // a sample mixed with one other only, the last into the first
        double[] m = new double[25];
        for (int i = 0; i < 5; i++) m[i * 5 + i] = 1;
        m[4] = 0.5;
        Tensor mix = Tensor.of(m, 5, 5);
        assertFalse(structural(z -> mix.matmul(z), x));
    }

    @Test
    void aFunctionThatCannotRunOnTheLevelIsNoProofAndNoError() {
        Tensor x = TensorRandom.seed(3).normal(4, 2);
        assertFalse(structural(z -> { throw new IllegalStateException("not on this level"); }, x));
        assertFalse(structural(z -> null, x));
        assertFalse(structural(z -> z.sum(0), x)); // the batch axis is gone: the probe's recording reports it
    }

    /** An op with no sparsity rule counts as dense, so the probe decides: per-sample here, so no error, and the same Jacobian. */
    @Test
    void anUndeclaredCustomOpFallsBackToTheProbe() {
        CustomOp cube = CustomOp.builder("cubeNoPattern").arity(1)
                .primal(t -> t[0].mul(t[0]).mul(t[0]))
                .jvp((t, y, dt) -> dt[0].mul(t[0].square().mul(3)))
                .vjp((t, y, gy) -> new Tensor[] {gy.mul(t[0].square().mul(3))})
                .vjpReads(VjpReads.allInputs()).build();
        Tensor x = TensorRandom.seed(4).normal(6, 3);
        TensorFunction f = z -> cube.apply(z).tanh();
        assertFalse(structural(f, x));
        Tensor checked = Diff.batchJacobian(f, x);
        Tensor unchecked = Diff.batchJacobian(f, x, JacobianOptions.defaults().checkIndependence(false));
        assertArrayEquals(unchecked.toArray(), checked.toArray(), 0);
        // d/dx tanh(x³) = 3x²·(1 − tanh²(x³)) on the diagonal of each sample's 3×3 Jacobian, by hand
        double[] xv = x.toArray(), j = checked.toArray();
        for (int s = 0; s < 6; s++) {
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    double v = xv[s * 3 + r], t = Math.tanh(v * v * v);
                    double want = r == c ? 3 * v * v * (1 - t * t) : 0;
                    org.junit.jupiter.api.Assertions.assertEquals(want, j[(s * 3 + r) * 3 + c], 1e-14 * Math.max(1, Math.abs(want)));
                }
            }
        }
    }

    /** Where the structure gives no proof and samples do mix, the probe still throws and names the pair. */
    @Test
    void dependenceIsStillReportedByTheProbe() {
        Tensor x = TensorRandom.seed(5).normal(5, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Diff.batchJacobian(z -> Tensor.concat(0, z.slice(0, 1, 5), z.slice(0, 0, 1)).tanh(), x));
        assertTrue(e.getMessage().contains("the output of sample 0 depends on the input of sample 1"), e.getMessage());
    }
}
