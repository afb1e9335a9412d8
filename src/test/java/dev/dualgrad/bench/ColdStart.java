package dev.dualgrad.bench;

import dev.dualgrad.Diff;
import dev.dualgrad.Loss;
import dev.dualgrad.nn.Activation;
import dev.dualgrad.nn.Mlp;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;

/**
 * One first gradient in a fresh JVM, for timing the whole process from launch ({@code bash src/bench/cold_start.sh},
 * beside {@code src/bench/torch_cold.py} doing the same in a fresh Python): {@code ce_tiny} (mean cross-entropy of
 * logits [3, 5], gradient w.r.t. the logits) or {@code mlp} (mlp_grad_params: a tanh MLP 784-256-256-10 on a batch
 * of 128, gradient w.r.t. all weights and biases). Prints a checksum so that nothing is optimised away.
 */
public final class ColdStart {
    private ColdStart() {}

    public static void main(String[] args) {
        String which = args.length > 0 ? args[0] : "ce_tiny";
        double sum = 0;
        if (which.equals("ce_tiny")) {
            Tensor x = TensorRandom.seed(0).normal(3, 5);
            int[] t = {1, 0, 4};
            sum = Diff.grad(z -> Loss.crossEntropy(z, t), x).sum().item();
        } else if (which.equals("mlp")) {
            Mlp net = Mlp.of(784, 256, 256, 10).activation(Activation.TANH).seed(0).build();
            Tensor bx = TensorRandom.seed(6).normal(128, 784);
            int[] bt = new int[128];
            for (int i = 0; i < 128; i++) bt[i] = (i * 7) % 10;
            for (Tensor g : Diff.grad(ps -> Loss.crossEntropy(net.forward(ps, bx), bt), net.parameterArray())) sum += g.abs().sum().item();
        } else {
            throw new IllegalArgumentException("ColdStart: ce_tiny or mlp, not " + which);
        }
        System.out.println(which + " " + sum);
    }
}
