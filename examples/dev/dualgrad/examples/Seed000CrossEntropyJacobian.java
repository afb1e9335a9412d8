package dev.dualgrad.examples;

import dev.dualgrad.Diff;
import dev.dualgrad.Loss;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.JacobianResult;
import dev.dualgrad.transforms.JacobianOptions;
import java.io.PrintStream;

/**
 * Seed 000: "Jacobian of CrossEntropyLoss" with integer class targets. In PyTorch,
 * jacobian(loss, (input, target)) fails because a long tensor cannot require gradients. Here the
 * targets are an int[], captured by the lambda: they are data, not an argument to differentiate.
 */
public final class Seed000CrossEntropyJacobian {
    private Seed000CrossEntropyJacobian() {}

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        Tensor logits = TensorRandom.seed(0).normal(3, 5);
        int[] targets = {1, 0, 4};

        // The Jacobian of the (scalar) mean cross-entropy w.r.t. the logits: shape [] + [3, 5] = [3, 5].
        Tensor j = Diff.jacobian(z -> Loss.crossEntropy(z, targets), logits);
        out.println("d CE / d logits, shape " + java.util.Arrays.toString(j.shape()) + ":\n" + j);
        // For a scalar the Jacobian is the gradient, (softmax − onehot) / N:
        Tensor expected = logits.softmax(1).sub(Tensor.ones(3).scatter(targets, 5)).div(3);
        Checks.close("Jacobian of CE = (softmax − onehot)/N", j, expected, 1e-15);

        // Forward mode, as the question wanted: the directional derivative along v, in one pass.
        Tensor v = TensorRandom.seed(1).normal(3, 5);
        double dd = Diff.directionalDerivative(z -> Loss.crossEntropy(z, targets), logits, v);
        double viaGrad = Diff.grad(z -> Loss.crossEntropy(z, targets), logits).mul(v).sum().item();
        out.printf("JVP along v (forward mode): %.15f;  <grad, v> (reverse mode): %.15f%n", dd, viaGrad);
        Checks.close("forward JVP = <grad, v>", dd, viaGrad, 1e-14);

        // Soft targets (probabilities) are a Tensor: differentiate w.r.t. both arguments.
        Tensor probs = TensorRandom.seed(2).normal(3, 5).softmax(1);
        JacobianResult both = Diff.jacobianWithPlan(xs -> Loss.crossEntropy(xs[0], xs[1]), new Tensor[] {logits, probs}, JacobianOptions.defaults());
        out.println("soft targets: d CE / d logits =\n" + both.get(0));
        out.println("soft targets: d CE / d targets = −log_softmax(logits)/N =\n" + both.get(1));
        Checks.close("d CE / d soft targets", both.get(1), logits.logSoftmax(1).neg().div(3), 1e-15);
        out.println(both.plan());
    }
}
