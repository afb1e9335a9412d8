package dev.dualgrad.examples;

import dev.dualgrad.Diff;
import dev.dualgrad.nn.Activation;
import dev.dualgrad.nn.Mlp;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.JacobianResult;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.Pullback;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Seed 004: the derivative of an output [BATCH, CLASSES] w.r.t. an input [BATCH, DIMS], as
 * [BATCH, CLASSES, DIMS], "without a for loop". Diff.batchJacobian does it in one call, seeding each
 * class (or input feature) on every sample at once; the seed's loop ran one backward pass per class.
 */
public final class Seed004BatchJacobian {
    private Seed004BatchJacobian() {}

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        Mlp model = Mlp.of(64, 128, 128, 10).activation(Activation.TANH).seed(0).build();
        Tensor x = TensorRandom.seed(1).normal(256, 64);

        long t0 = System.nanoTime();
        JacobianResult r = Diff.batchJacobianWithPlan(model::forward, x, JacobianOptions.defaults());
        long t1 = System.nanoTime();
        Tensor j = r.jacobian();
        out.println("batchJacobian: shape " + java.util.Arrays.toString(j.shape()) + " in one call");
        out.println(r.plan());

        // The seed's loop: for each class i, a backward pass with grad_outputs = one-hot(i) on every sample.
        long t2 = System.nanoTime();
        Pullback p = Diff.vjp(model::forward, x);
        Tensor[] perClass = new Tensor[10];
        for (int i = 0; i < 10; i++) {
            int[] cls = new int[256];
            java.util.Arrays.fill(cls, i);
            perClass[i] = p.apply(Tensor.ones(256).scatter(cls, 10)); // [256, 64]: row b is ∂y[b, i]/∂x[b]
        }
        Tensor loop = Tensor.stack(1, perClass);
        long t3 = System.nanoTime();
        Checks.close("batchJacobian = the seed's loop", j, loop, 1e-12);
        out.printf(Locale.ROOT, "equal to the seed's loop of 10 backward passes to 1e-12; batchJacobian %.1f ms, loop %.1f ms (first calls, JIT cold)%n",
                (t1 - t0) / 1e6, (t3 - t2) / 1e6);
        // And with the per-sample definition, for two samples: the Jacobian of the network on one row.
        for (int b : new int[] {0, 255}) {
            Tensor single = Diff.jacobian(z -> model.forward(z.unsqueeze(0)).squeeze(0), x.select(0, b));
            Checks.close("J[" + b + "] = jacobian of the single sample", j.select(0, b), single, 1e-12);
        }
    }
}
