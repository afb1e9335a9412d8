package dev.dualgrad.examples;

import dev.dualgrad.Diff;
import dev.dualgrad.Loss;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.JacobianResult;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * The Jacobian of a mean cross-entropy with respect to the logits when the targets are class indices. In
 * PyTorch, {@code jacobian(loss, (input, target))} fails because an integer tensor cannot require
 * gradients. Here integer targets are an {@code int[]} the loss function captures: data, never an argument
 * to differentiate. The stop also takes the derivative along a direction v in forward mode (one pass), and
 * with soft targets (probabilities, a tensor) differentiates with respect to both arguments.
 */
public final class CrossEntropyJacobian implements Stop {
    @Override
    public String problem() {
        return "The Jacobian of a mean cross-entropy with respect to the logits, with integer class targets.";
    }

    @Override
    public void run(PrintStream out) {
        Tensor logits = TensorRandom.seed(0).normal(3, 5);
        int[] targets = {1, 0, 4};
        out.println("the targets " + Arrays.toString(targets) + " are an int[] the loss function captures: data, not an argument to differentiate");

        // For a scalar loss the Jacobian has the logits' shape and is the gradient, (softmax − onehot) / N.
        Tensor j = Diff.jacobian(z -> Loss.crossEntropy(z, targets), logits);
        Tensor expected = logits.softmax(1).sub(Tensor.ones(3).scatter(targets, 5)).div(3);
        Checks.close("Jacobian of CE = (softmax − onehot)/N", j, expected, 1e-15);
        out.println("∂CE/∂logits, shape " + Arrays.toString(j.shape()) + ", equal to (softmax(logits) − onehot(targets)) / 3:");
        out.println(j);

        // Forward mode: the derivative along v in one pass, equal to <gradient, v> from reverse mode.
        Tensor v = TensorRandom.seed(1).normal(3, 5);
        double dd = Diff.directionalDerivative(z -> Loss.crossEntropy(z, targets), logits, v);
        double viaGrad = Diff.grad(z -> Loss.crossEntropy(z, targets), logits).mul(v).sum().item();
        Checks.close("forward JVP = <grad, v>", dd, viaGrad, 1e-14);
        out.printf(Locale.ROOT, "forward mode, along v in one pass: %.15f; reverse mode's <∂CE/∂logits, v>: %.15f%n", dd, viaGrad);

        // Soft targets are a tensor: one reverse sweep gives the Jacobians with respect to both arguments.
        Tensor p = TensorRandom.seed(2).normal(3, 5).softmax(1);
        JacobianResult both = Diff.jacobianWithPlan(xs -> Loss.crossEntropy(xs[0], xs[1]), new Tensor[] {logits, p}, JacobianOptions.defaults());
        Checks.close("d CE / d logits with soft targets = (softmax − p)/N", both.get(0), logits.softmax(1).sub(p).div(3), 1e-15);
        Checks.close("d CE / d soft targets = −log_softmax/N", both.get(1), logits.logSoftmax(1).neg().div(3), 1e-15);
        Checks.check("both from one reverse sweep", both.plan().mode() == JacobianMode.REVERSE && both.plan().passes() == 1);
        out.println("soft targets p, a tensor: one reverse sweep gives ∂CE/∂logits = (softmax − p) / 3 and ∂CE/∂p = −log_softmax / 3");
    }

    /**
     * Runs this stop alone.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Tour.run(java.util.List.of(new CrossEntropyJacobian()), System.out);
    }
}
