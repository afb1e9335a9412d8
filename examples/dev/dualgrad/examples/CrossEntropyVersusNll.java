package dev.dualgrad.examples;

import dev.dualgrad.Diff;
import dev.dualgrad.Loss;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.PerArgument;
import java.io.PrintStream;
import java.util.Locale;

/**
 * How backward() is computed for cross-entropy and for NLL. A linear layer 2 → 4 and one sample:
 * <ul>
 *   <li>cross-entropy(z, t) = −log softmax(z)_t: ∂/∂z = softmax(z) − onehot(t), so every row of W
 *       gets a gradient (softmax(z) − onehot(t)) ⊗ x.</li>
 *   <li>NLL on raw scores, −z_t: ∂/∂z = −onehot(t), so only row t gets a gradient, −x. NLL expects
 *       log-probabilities; raw scores make it pick one score and ignore the others.</li>
 *   <li>NLL on log_softmax(z) is cross-entropy exactly: same value, same gradients.</li>
 * </ul>
 */
public final class CrossEntropyVersusNll implements Stop {
    @Override
    public String problem() {
        return "Why NLL on raw scores gives a gradient only to the true class's weights, and cross-entropy to all of them.";
    }

    @Override
    public void run(PrintStream out) {
        Tensor weight = TensorRandom.seed(20).normal(4, 2).mul(0.5), bias = TensorRandom.seed(21).normal(4).mul(0.1);
        Tensor x = Tensor.of(new double[][] {{1, 2}});
        int[] t = {3};
        PerArgument ce = Diff.grad(p -> Loss.crossEntropy(x.matmul(p[0].transpose()).add(p[1]), t), weight, bias);
        PerArgument nllRaw = Diff.grad(p -> Loss.nll(x.matmul(p[0].transpose()).add(p[1]), t), weight, bias);
        PerArgument nllLsm = Diff.grad(p -> Loss.nll(x.matmul(p[0].transpose()).add(p[1]).logSoftmax(1), t), weight, bias);

        Tensor z = x.matmul(weight.transpose()).add(bias);
        Tensor onehot = Tensor.ones(1).scatter(t, 4);
        Checks.close("CE gradient = (softmax − onehot) ⊗ x", ce.get(0), z.softmax(1).sub(onehot).transpose().matmul(x), 1e-15);
        Checks.close("NLL on raw scores: −x on the target row only", nllRaw.get(0), onehot.neg().transpose().matmul(x), 0);
        Checks.close("NLL(log_softmax) = CE", nllLsm.get(0), ce.get(0), 1e-15);
        Checks.close("same bias gradient", nllLsm.get(1), ce.get(1), 1e-15);

        out.println("a Linear 2 → 4 on x = [1, 2], target class 3; ∂L/∂W row by row:");
        out.println("row  cross-entropy       NLL on raw scores   NLL on log_softmax");
        double[] a = ce.get(0).toArray(), b = nllRaw.get(0).toArray(), c = nllLsm.get(0).toArray();
        for (int r = 0; r < 4; r++) {
            out.printf(Locale.ROOT, " %d   [%7.4f, %7.4f]  [%7.4f, %7.4f]  [%7.4f, %7.4f]%n", r, a[2 * r], a[2 * r + 1], b[2 * r], b[2 * r + 1],
                    c[2 * r], c[2 * r + 1]);
        }
        out.println("cross-entropy = NLL(log_softmax(z)): (softmax(z) − onehot(3)) ⊗ x reaches every row;");
        out.println("NLL on raw scores is −z₃, so only row 3 gets a gradient, −x: NLL expects log-probabilities");
    }

    /**
     * Runs this stop alone.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Tour.run(java.util.List.of(new CrossEntropyVersusNll()), System.out);
    }
}
