package dev.dualgrad.examples;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.JacobianResult;
import dev.dualgrad.transforms.TensorFunction;
import java.io.PrintStream;

/**
 * jacobian() picks the mode from the sizes: forward (one pass per input direction) for
 * R^10 → R^1000, reverse (one sweep per output direction) for R^1000 → R^10, and prints why.
 */
public final class JacobianModes {
    private JacobianModes() {}

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        Tensor w1 = TensorRandom.seed(1).normal(10, 256).mul(1 / Math.sqrt(10)), w2 = TensorRandom.seed(2).normal(256, 1000).mul(1 / Math.sqrt(256));
        TensorFunction wide = z -> z.matmul(w1).tanh().matmul(w2).tanh();
        TensorFunction tall = z -> z.matmul(w2.transpose()).tanh().matmul(w1.transpose()).tanh();
        JacobianOptions verify = JacobianOptions.defaults().verify(true);

        JacobianResult a = Diff.jacobianWithPlan(wide, TensorRandom.seed(3).normal(10), verify);
        out.println("R^10 -> R^1000:   " + a.plan());
        JacobianResult b = Diff.jacobianWithPlan(tall, TensorRandom.seed(4).normal(1000), verify);
        out.println("R^1000 -> R^10:   " + b.plan());
        Checks.check("AUTO chose forward for the wide map", a.plan().mode() == JacobianMode.FORWARD);
        Checks.check("AUTO chose reverse for the tall map", b.plan().mode() == JacobianMode.REVERSE);

        Tensor aRev = Diff.jacobian(wide, TensorRandom.seed(3).normal(10), JacobianOptions.defaults().mode(JacobianMode.REVERSE));
        Tensor bFwd = Diff.jacobian(tall, TensorRandom.seed(4).normal(1000), JacobianOptions.defaults().mode(JacobianMode.FORWARD));
        Checks.close("forward = reverse (wide)", a.jacobian(), aRev, 1e-12);
        Checks.close("forward = reverse (tall)", b.jacobian(), bFwd, 1e-12);
        out.println("The other mode gives the same Jacobians to 1e-12 relative; verify's dot-product test passed for both.");
    }
}
