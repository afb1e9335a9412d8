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
 * with a seeded 80/20 split, then the per-sample input-Jacobian norms ‖∂logits/∂x‖_F of the trained
 * model on the test set, from one batchJacobian call.
 */
public final class DigitsClassifier {
    private DigitsClassifier() {}

    public static void main(String[] args) {
        run(System.out);
    }

    /** Trains and reports; returns the test accuracy. */
    public static double run(PrintStream out) {
        Dataset[] split = Digits.load().split(0.8, 42);
        Dataset train = split[0], test = split[1];
        Mlp model = Mlp.of(64, 64, 10).seed(7).build();
        out.println("training " + model + " on " + train.size() + " digits, testing on " + test.size());
        List<Trainer.EpochReport> h = Trainer.of(model, new Adam(0.01)).epochs(20).batchSize(64).seed(1)
                .listener(Trainer.EpochListener.printingTo(out)).fit(train, test);
        double acc = h.get(h.size() - 1).testAccuracy();
        out.printf(Locale.ROOT, "test accuracy %.2f%%%n", 100 * acc);
        Checks.check("test accuracy ≥ 95% (got " + acc + ")", acc >= 0.95);

        double[] norms = jacobianNorms(model, test.x());
        Arrays.sort(norms);
        double mean = Arrays.stream(norms).average().orElse(Double.NaN);
        out.printf(Locale.ROOT, "input-Jacobian Frobenius norm over %d test digits: mean %.3f, median %.3f, min %.3f, max %.3f%n",
                norms.length, mean, norms[norms.length / 2], norms[0], norms[norms.length - 1]);
        return acc;
    }

    /** ‖J_b‖_F for each sample, J_b = ∂model(x_b)/∂x_b, from one batchJacobian call. */
    static double[] jacobianNorms(Mlp model, Tensor x) {
        Tensor j = Diff.batchJacobian(model::forward, x); // [N, 10, 64]
        return j.square().sum(new int[] {1, 2}, false).sqrt().toArray();
    }
}
