package dev.dualgrad.examples;

import dev.dualgrad.Diff;
import dev.dualgrad.Loss;
import dev.dualgrad.losses.Reduction;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.Pullback;
import dev.dualgrad.transforms.TensorFunction;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * J·v versus uᵀJ. The per-sample BCE losses of a one-unit sigmoid layer, as a function of its 2 weights:
 * f: ℝ² → ℝ¹⁰⁰, so J is 100×2.
 * <ul>
 *   <li>JVP: J·v takes v shaped like the INPUT (2) and gives a vector shaped like the OUTPUT (100).</li>
 *   <li>VJP: uᵀJ takes u shaped like the OUTPUT (100) and gives a vector shaped like the INPUT (2).
 *       This is what PyTorch's {@code autograd.grad(losses, w, grad_outputs=u)} computes, which is why u
 *       must have 100 entries there.</li>
 * </ul>
 */
public final class VjpVersusJvp implements Stop {
    @Override
    public String problem() {
        return "Which vector J·v takes and which uᵀJ takes, for the Jacobian of 100 per-sample losses in 2 weights.";
    }

    @Override
    public void run(PrintStream out) {
        Tensor x = TensorRandom.seed(10).normal(100, 2);
        Tensor y = TensorRandom.seed(11).uniform(0, 1, 100).gt(0.5);
        Tensor w = Tensor.vector(0.4, -0.3);
        TensorFunction losses = q -> Loss.bce(x.matmul(q).sigmoid(), y, Reduction.NONE); // losses(w)[n] = BCE(sigmoid(x[n]·w), y[n])
        Tensor j = Diff.jacobian(losses, w);
        out.println("losses(w)[n] = BCE(sigmoid(x[n]·w), y[n]) maps R^2 to R^100, so J has shape " + Arrays.toString(j.shape()));

        Tensor v = Tensor.vector(1, 2);
        Tensor jv = Diff.jvp(losses, w, v).tangent();
        Checks.close("J·v", jv, j.matmul(v), 1e-13);
        out.println("JVP J·v (Diff.jvp, forward mode): v shaped like the input " + Arrays.toString(v.shape()) + " -> "
                + Arrays.toString(jv.shape()));

        Pullback p = Diff.vjp(losses, w);
        Tensor u = Tensor.ones(100);
        Tensor ujt = p.apply(u);
        Checks.close("uᵀJ", ujt, u.matmul(j), 1e-13);
        Checks.close("uᵀJ with u = ones is the gradient of the summed loss", ujt,
                Diff.grad(q -> Loss.bce(x.matmul(q).sigmoid(), y, Reduction.SUM), w), 1e-13);
        out.println("VJP uᵀJ (Diff.vjp, reverse mode; PyTorch's grad_outputs is u): u shaped like the output " + Arrays.toString(u.shape())
                + " -> " + Arrays.toString(ujt.shape()));
        out.println("u = ones gives the gradient of the summed loss, " + ujt);

        // A vector shaped like the input given to a VJP: the error says what each product takes.
        try {
            p.apply(v);
            throw new IllegalStateException("a wrongly shaped cotangent was accepted");
        } catch (IllegalArgumentException e) {
            out.println(Tour.wrap("a u of shape [2] is refused: " + e.getMessage(), 116).replace("\n", "\n  "));
        }
    }

    /**
     * Runs this stop alone.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Tour.run(java.util.List.of(new VjpVersusJvp()), System.out);
    }
}
