package dev.dualgrad.examples;

import dev.dualgrad.Diff;
import dev.dualgrad.data.Dataset;
import dev.dualgrad.data.Digits;
import dev.dualgrad.nn.Adam;
import dev.dualgrad.nn.Mlp;
import dev.dualgrad.nn.Trainer;
import dev.dualgrad.tensor.Tensor;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A tanh MLP 64-64-10 trained on the UCI handwritten digits (Alpaydin and Kaynak, 1998; CC BY 4.0)
 * with a fixed 80/20 split, then the per-sample input-Jacobian norms ‖∂logits/∂x‖_F of the trained
 * model on the held-out digits, from one batchJacobian call.
 */
public final class DigitsClassifier implements Stop {
    static final int EPOCHS = 12;

    @Override
    public String problem() {
        return "Training a small classifier on handwritten digits, and measuring how sensitive it is to its input.";
    }

    @Override
    public void run(PrintStream out) {
        Dataset[] split = Digits.load().split(0.8, 42);
        Dataset train = split[0], test = split[1];
        Mlp model = Mlp.of(64, 64, 10).seed(7).build();
        out.println(model + ", Adam(0.01), " + EPOCHS + " epochs on " + train.size() + " digits, " + test.size() + " held out:");
        List<Trainer.EpochReport> h = Trainer.of(model, new Adam(0.01)).epochs(EPOCHS).batchSize(64).seed(1)
                .listener(Trainer.EpochListener.progressLine(3, out)).fit(train, test);
        double acc = h.get(h.size() - 1).testAccuracy();
        Checks.check("test accuracy ≥ 95% (got " + acc + ")", acc >= 0.95);
        Checks.close("the accuracy reported is the model's", acc, Trainer.accuracy(model, test), 0);
        out.printf(Locale.ROOT, "test accuracy %.2f%%%n", 100 * acc);

        double[] norms = jacobianNorms(model, test.x());
        Tensor first = Diff.jacobian(z -> model.forward(z.unsqueeze(0)).squeeze(0), test.x().select(0, 0));
        Checks.close("norm of the first digit's Jacobian", norms[0], first.square().sum().sqrt().item(), 1e-12);
        Arrays.sort(norms);
        double mean = Arrays.stream(norms).average().orElse(Double.NaN);
        out.printf(Locale.ROOT, "‖∂logits/∂x‖_F per test digit, from one batchJacobian: mean %.2f, median %.2f, min %.2f, max %.2f%n",
                mean, norms[norms.length / 2], norms[0], norms[norms.length - 1]);
    }

    /** ‖J_b‖_F for each sample, J_b = ∂model(x_b)/∂x_b, from one batchJacobian call. */
    static double[] jacobianNorms(Mlp model, Tensor x) {
        Tensor j = Diff.batchJacobian(model::forward, x); // [N, 10, 64]
        return j.square().sum(new int[] {1, 2}, false).sqrt().toArray();
    }

    /**
     * Runs this stop alone.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Tour.run(List.of(new DigitsClassifier()), System.out);
    }
}
