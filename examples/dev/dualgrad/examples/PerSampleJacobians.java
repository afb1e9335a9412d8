package dev.dualgrad.examples;

import dev.dualgrad.Diff;
import dev.dualgrad.nn.Activation;
import dev.dualgrad.nn.Mlp;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.JacobianResult;
import dev.dualgrad.transforms.Pullback;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The derivative of an output [BATCH, CLASSES] with respect to an input [BATCH, DIMS], as
 * [BATCH, CLASSES, DIMS], without a loop. {@link Diff#batchJacobian} does it in one call, seeding each
 * class on every sample at once; the usual loop runs one backward pass per class with
 * grad_outputs = onehot(class) on every row. Both give the same numbers, and each sample's block is the
 * Jacobian of the network on that sample alone.
 */
public final class PerSampleJacobians implements Stop {
    @Override
    public String problem() {
        return "Per-sample Jacobians [batch, classes, dims] of a network's output with respect to its input, without a loop.";
    }

    @Override
    public void run(PrintStream out) {
        Mlp model = Mlp.of(64, 128, 128, 10).activation(Activation.TANH).seed(0).build();
        Tensor x = TensorRandom.seed(1).normal(256, 64);

        JacobianResult r = Diff.batchJacobianWithPlan(model::forward, x, JacobianOptions.defaults());
        Tensor j = r.jacobian();
        Checks.check("one reverse sweep of 10 cotangents",
                r.plan().mode() == JacobianMode.REVERSE && r.plan().passes() == 1 && r.plan().chunk() == 10);
        out.println("Diff.batchJacobian(model::forward, x), a tanh MLP 64-128-128-10, x " + Arrays.toString(x.shape()) + ": J "
                + Arrays.toString(j.shape()));
        out.println("one call, one reverse sweep of 10 cotangents (one per class), each on all 256 samples at once");

        // The loop it replaces: for each class i, a backward pass with grad_outputs = onehot(i) on every sample.
        Pullback p = Diff.vjp(model::forward, x);
        Tensor[] perClass = new Tensor[10];
        for (int i = 0; i < 10; i++) {
            int[] cls = new int[256];
            Arrays.fill(cls, i);
            perClass[i] = p.apply(Tensor.ones(256).scatter(cls, 10)); // [256, 64]: row b is ∂y[b, i]/∂x[b]
        }
        Checks.close("batchJacobian = one backward pass per class", j, Tensor.stack(1, perClass), 1e-12);
        out.println("equal, to 1e-12, to the loop of 10 backward passes with grad_outputs = onehot(class) on every row");

        // And the per-sample definition, for two samples: the Jacobian of the network on one row.
        for (int b : new int[] {0, 255}) {
            Tensor single = Diff.jacobian(z -> model.forward(z.unsqueeze(0)).squeeze(0), x.select(0, b));
            Checks.close("J[" + b + "] = jacobian of the single sample", j.select(0, b), single, 1e-12);
        }
        out.println("J[b] is the Jacobian of the network on sample b alone (checked for b = 0 and b = 255)");
    }

    /**
     * Runs this stop alone.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Tour.run(java.util.List.of(new PerSampleJacobians()), System.out);
    }
}
