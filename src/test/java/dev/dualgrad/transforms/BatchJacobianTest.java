package dev.dualgrad.transforms;

import dev.dualgrad.internal.engine.Tensors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.nn.Mlp;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import org.junit.jupiter.api.Test;

class BatchJacobianTest {
    static final Mlp NET = Mlp.of(6, 8, 4).seed(3).build();

    /** The per-sample loop: one full jacobian per sample. */
    static Tensor loop(TensorFunction f, Tensor x, JacobianMode mode) {
        Tensor[] per = new Tensor[x.dim(0)];
        for (int b = 0; b < per.length; b++) {
            int bb = b;
            per[b] = Diff.jacobian(z -> f.apply(z.unsqueeze(0)).squeeze(0), x.select(0, bb), JacobianOptions.defaults().mode(mode));
        }
        return Tensor.stack(0, per);
    }

    static void relativelyEqual(Tensor a, Tensor b) {
        assertArrayEquals(a.shape(), b.shape());
        double max = 0;
        for (double v : Tensors.buffer(b)) max = Math.max(max, Math.abs(v));
        for (int i = 0; i < a.size(); i++) assertEquals(Tensors.buffer(b)[i], Tensors.buffer(a)[i], 1e-12 * max, "element " + i);
    }

    @Test
    void equalsThePerSampleLoopInBothModes() {
        Tensor x = TensorRandom.seed(1).normal(5, 6);
        for (JacobianMode mode : new JacobianMode[] {JacobianMode.FORWARD, JacobianMode.REVERSE}) {
            JacobianOptions o = JacobianOptions.defaults().mode(mode);
            Tensor j = Diff.batchJacobian(NET::forward, x, o);
            assertArrayEquals(new int[] {5, 4, 6}, j.shape());
            relativelyEqual(j, loop(NET::forward, x, mode));
            relativelyEqual(j, Diff.batchJacobian(NET::forward, x, o.chunkSize(3)));
        }
        JacobianResult r = Diff.batchJacobianWithPlan(NET::forward, x, JacobianOptions.defaults());
        assertEquals(JacobianMode.REVERSE, r.plan().mode()); // C = 4 < D = 6
        assertEquals(1, r.plan().passes());
    }

    @Test
    void higherRankSamples() {
        Tensor x = TensorRandom.seed(2).normal(3, 2, 3);  // [B, 2, 3] → [B, 3, 2]
        TensorFunction f = z -> z.transpose(1, 2).tanh().mul(z.sum(new int[] {1, 2}, true));
        Tensor j = Diff.batchJacobian(f, x);
        assertArrayEquals(new int[] {3, 3, 2, 2, 3}, j.shape());
        relativelyEqual(j, loop(f, x, JacobianMode.FORWARD));
    }

    @Test
    void aFunctionThatMixesSamplesIsRefused() {
        Tensor x = TensorRandom.seed(3).normal(4, 6);
        TensorFunction batchNormish = z -> NET.forward(z.sub(z.mean(0, true)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Diff.batchJacobian(batchNormish, x));
        assertTrue(e.getMessage().contains("mixes samples") && e.getMessage().contains("Diff.jacobian"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Diff.batchJacobian(z -> z.sum(0), x));
        assertTrue(e.getMessage().contains("batch axis first"), e.getMessage());
    }

    /**
     * Mixing in one direction only is caught too: each sample reading its predecessor (seen only from the
     * tangent on sample 0) and each reading its successor (seen only from the tangent on the last sample).
     */
    @Test
    void theProbeCatchesMixingWithANeighbourInEitherDirection() {
        Tensor x = TensorRandom.seed(21).normal(5, 3);
        dev.dualgrad.transforms.TensorFunction fromPrevious = z -> z.tanh().add(Tensor.concat(0, Tensor.zeros(1, 3), z.slice(0, 0, 4)));
        dev.dualgrad.transforms.TensorFunction fromNext = z -> z.tanh().add(Tensor.concat(0, z.slice(0, 1, 5), Tensor.zeros(1, 3)));
        for (dev.dualgrad.transforms.TensorFunction f : new dev.dualgrad.transforms.TensorFunction[] {fromPrevious, fromNext}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> dev.dualgrad.Diff.batchJacobian(f, x));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("f mixes samples"), e.getMessage());
        }
    }
}
