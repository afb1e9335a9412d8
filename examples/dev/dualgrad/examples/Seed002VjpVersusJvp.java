package dev.dualgrad.examples;

import dev.dualgrad.Diff;
import dev.dualgrad.Loss;
import dev.dualgrad.losses.Reduction;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.Pullback;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * Seed 002: "a crystal clear explanation for autograd.grad". The per-sample BCE losses of a one-unit
 * sigmoid layer, as a function of its 2 weights: f: ℝ² → ℝ¹⁰⁰, so J is 100×2.
 * <ul>
 *   <li>JVP: J·v takes v shaped like the INPUT (2) and gives a vector shaped like the OUTPUT (100).</li>
 *   <li>VJP: uᵀJ takes u shaped like the OUTPUT (100) and gives a vector shaped like the INPUT (2).
 *       This is what autograd.grad(losses, w, grad_outputs=u) computes, which is why u must have 100 entries.</li>
 * </ul>
 */
public final class Seed002VjpVersusJvp {
    private Seed002VjpVersusJvp() {}

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        Tensor x = TensorRandom.seed(10).normal(100, 2);
        Tensor y = TensorRandom.seed(11).uniform(0, 1, 100).gt(0.5);
        Tensor w = Tensor.vector(0.4, -0.3);
        // losses(w)[n] = BCE(sigmoid(x[n]·w), y[n])
        Pullback p = Diff.vjp(q -> Loss.bce(x.matmul(q).sigmoid(), y, Reduction.NONE), w);
        out.println("f: R^2 -> R^" + p.value().size() + ", so J has shape [100, 2]");

        Tensor v = Tensor.vector(1, 2);
        Tensor jv = Diff.jvp(q -> Loss.bce(x.matmul(q).sigmoid(), y, Reduction.NONE), w, v).tangent();
        out.println("JVP  J·v : v shape " + Arrays.toString(v.shape()) + " -> result shape " + Arrays.toString(jv.shape()));

        Tensor u = Tensor.ones(100);
        Tensor ujt = p.apply(u);
        out.println("VJP  uᵀJ : u shape " + Arrays.toString(u.shape()) + " -> result shape " + Arrays.toString(ujt.shape())
                + " = gradient of the summed loss: " + ujt);

        // The same numbers from the full Jacobian.
        Tensor j = Diff.jacobian(q -> Loss.bce(x.matmul(q).sigmoid(), y, Reduction.NONE), w);
        Checks.close("J·v", jv, j.matmul(v), 1e-13);
        Checks.close("uᵀJ", ujt, u.matmul(j), 1e-13);

        // The mistake of the question: a 2-vector given to a VJP. The error says what each product takes.
        try {
            p.apply(Tensor.vector(1, 2));
            throw new IllegalStateException("a wrongly shaped cotangent was accepted");
        } catch (IllegalArgumentException e) {
            out.println("Passing u of shape [2] to the VJP:\n  " + e.getMessage());
        }
    }
}
