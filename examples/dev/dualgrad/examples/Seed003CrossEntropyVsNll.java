package dev.dualgrad.examples;

import dev.dualgrad.Diff;
import dev.dualgrad.Loss;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.PerArgument;
import java.io.PrintStream;

/**
 * Seed 003: "How is backward() calculated in CrossEntropyLoss?" A linear layer 2 → 4 and one sample.
 * <ul>
 *   <li>cross-entropy(z, t) = −log softmax(z)_t: ∂/∂z = softmax(z) − onehot(t), so every row of W
 *       gets a gradient (softmax(z) − onehot(t)) ⊗ x.</li>
 *   <li>NLL on raw scores, −z_t: ∂/∂z = −onehot(t), so only row t gets a gradient, −x. That is the
 *       user's "grad only for the true class": NLL expects log-probabilities.</li>
 *   <li>NLL on log_softmax(z) is cross-entropy exactly: same value, same gradients.</li>
 * </ul>
 */
public final class Seed003CrossEntropyVsNll {
    private Seed003CrossEntropyVsNll() {}

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        Tensor weight = TensorRandom.seed(20).normal(4, 2).mul(0.5), bias = TensorRandom.seed(21).normal(4).mul(0.1);
        Tensor x = Tensor.of(new double[][] {{1, 2}});
        int[] t = {3};
        PerArgument ce = Diff.grad(p -> Loss.crossEntropy(x.matmul(p[0].transpose()).add(p[1]), t), weight, bias);
        PerArgument nllRaw = Diff.grad(p -> Loss.nll(x.matmul(p[0].transpose()).add(p[1]), t), weight, bias);
        PerArgument nllLsm = Diff.grad(p -> Loss.nll(x.matmul(p[0].transpose()).add(p[1]).logSoftmax(1), t), weight, bias);
        out.println("cross-entropy:          dL/dW =\n" + ce.get(0));
        out.println("NLL on raw scores:      dL/dW =\n" + nllRaw.get(0));
        out.println("NLL on log_softmax:     dL/dW =\n" + nllLsm.get(0));

        Tensor z = x.matmul(weight.transpose()).add(bias);
        Tensor dz = z.softmax(1).sub(Tensor.ones(1).scatter(t, 4)); // softmax − onehot, shape [1, 4]
        Checks.close("CE gradient = (softmax − onehot) ⊗ x", ce.get(0), dz.transpose().matmul(x), 1e-15);
        Checks.close("NLL on raw scores: −x on the target row only", nllRaw.get(0), Tensor.ones(1).scatter(t, 4).neg().transpose().matmul(x), 0);
        Checks.close("NLL(log_softmax) = CE", nllLsm.get(0), ce.get(0), 1e-15);
        Checks.close("same bias gradient", nllLsm.get(1), ce.get(1), 1e-15);
    }
}
