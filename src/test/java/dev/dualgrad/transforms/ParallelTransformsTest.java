package dev.dualgrad.transforms;

import dev.dualgrad.internal.engine.Tensors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.Loss;
import dev.dualgrad.nn.Activation;
import dev.dualgrad.nn.Mlp;
import dev.dualgrad.tensor.Parallelism;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/** Whole transforms run with a pool give bitwise the single-threaded numbers (large enough to be split). */
class ParallelTransformsTest {
    private final Mlp net = Mlp.of(64, 256, 10).activation(Activation.TANH).seed(5).build();
    private final Tensor x = TensorRandom.seed(6).normal(256, 64);
    private final int[] t = new int[256];

    {
        for (int i = 0; i < t.length; i++) t[i] = i % 10;
    }

    @Test
    void gradientsJacobiansAndJvpsAreBitwiseTheSingleThreadedOnes() {
        assertTrue(2L * 256 * 64 * 256 >= Parallelism.MIN_FLOPS, "the first layer's product is split");
        Tensor[] ps = net.parameterArray();
        MultiTensorFunction loss = p -> Loss.crossEntropy(net.forward(p, x), t);
        Tensor[] g1 = Diff.grad(loss, ps).toArray();
        Tensor bj1 = Diff.batchJacobian(net::forward, x);
        Tensor jv1 = Diff.jvp(z -> net.forward(z), x, TensorRandom.seed(7).normal(256, 64)).tangent();
        ForkJoinPool pool = new ForkJoinPool(2);
        try {
            Tensor[] g2 = Parallelism.with(pool, () -> Diff.grad(loss, ps).toArray());
            for (int i = 0; i < ps.length; i++) assertArrayEquals(Tensors.buffer(g1[i]), Tensors.buffer(g2[i]), 0.0, "gradient " + i);
            assertArrayEquals(Tensors.buffer(bj1), Tensors.buffer(Parallelism.with(pool, () -> Diff.batchJacobian(net::forward, x))), 0.0);
            Tensor jv2 = Parallelism.with(pool, () -> Diff.jvp(z -> net.forward(z), x, TensorRandom.seed(7).normal(256, 64)).tangent());
            assertArrayEquals(Tensors.buffer(jv1), Tensors.buffer(jv2), 0.0);
        } finally {
            pool.shutdown();
        }
    }
}
