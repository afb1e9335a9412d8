package dev.dualgrad.examples;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.JacobianPlan;
import dev.dualgrad.transforms.JacobianResult;
import dev.dualgrad.transforms.TensorFunction;
import java.io.PrintStream;

/**
 * jacobian() picks the mode from the sizes: forward (one tangent direction per input element) for
 * ℝ¹⁰ → ℝ¹⁰⁰⁰, reverse (one cotangent direction per output element) for ℝ¹⁰⁰⁰ → ℝ¹⁰. The other mode gives
 * the same Jacobian at a hundred times the directions.
 */
public final class JacobianModes implements Stop {
    @Override
    public String problem() {
        return "A full Jacobian at the cost of its smaller side: forward mode for few inputs, reverse mode for few outputs.";
    }

    @Override
    public void run(PrintStream out) {
        Tensor w1 = TensorRandom.seed(1).normal(10, 64).mul(1 / Math.sqrt(10)), w2 = TensorRandom.seed(2).normal(64, 1000).mul(1 / Math.sqrt(64));
        TensorFunction wide = z -> z.matmul(w1).tanh().matmul(w2).tanh();
        TensorFunction tall = z -> z.matmul(w2.transpose()).tanh().matmul(w1.transpose()).tanh();
        JacobianOptions verify = JacobianOptions.defaults().verify(true);
        Tensor xWide = TensorRandom.seed(3).normal(10), xTall = TensorRandom.seed(4).normal(1000);

        JacobianResult a = Diff.jacobianWithPlan(wide, xWide, verify);
        JacobianResult b = Diff.jacobianWithPlan(tall, xTall, verify);
        Checks.check("AUTO chose forward for the wide map", a.plan().mode() == JacobianMode.FORWARD);
        Checks.check("AUTO chose reverse for the tall map", b.plan().mode() == JacobianMode.REVERSE);
        out.println("R^10 -> R^1000: " + describe(a.plan()));
        out.println("R^1000 -> R^10: " + describe(b.plan()));

        Tensor aRev = Diff.jacobian(wide, xWide, JacobianOptions.defaults().mode(JacobianMode.REVERSE));
        Tensor bFwd = Diff.jacobian(tall, xTall, JacobianOptions.defaults().mode(JacobianMode.FORWARD));
        Checks.close("forward = reverse (wide)", a.jacobian(), aRev, 1e-12);
        Checks.close("forward = reverse (tall)", b.jacobian(), bFwd, 1e-12);
        out.println("the other mode gives the same Jacobians to 1e-12; the dot-product test of verify(true) passed for both");
    }

    /** The plan in a few words: mode, directions and passes, and what the other mode would need. */
    private static String describe(JacobianPlan p) {
        boolean fwd = p.mode() == JacobianMode.FORWARD;
        long directions = fwd ? p.inputSize() : p.outputSize(), other = fwd ? p.outputSize() : p.inputSize();
        return String.format(java.util.Locale.ROOT, "%s mode, %d %s directions in %d pass%s (the other mode needs %d)", p.mode(), directions,
                fwd ? "tangent" : "cotangent", p.passes(), p.passes() == 1 ? "" : "es", other);
    }

    /**
     * Runs this stop alone.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Tour.run(java.util.List.of(new JacobianModes()), System.out);
    }
}
