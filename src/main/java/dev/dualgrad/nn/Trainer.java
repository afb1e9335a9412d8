package dev.dualgrad.nn;

import dev.dualgrad.Diff;
import dev.dualgrad.Loss;
import dev.dualgrad.data.Dataset;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.ValueAndGrad;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A small training loop: seeded shuffles into minibatches, one gradient of the batch loss w.r.t. all
 * parameters per batch (reverse mode), one optimizer step, and an epoch report to a listener that the
 * caller can replace (the default prints one line per epoch).
 *
 * <pre>{@code
 * List<EpochReport> h = Trainer.of(model, new Adam(1e-2)).epochs(30).batchSize(64).seed(1).fit(train, test);
 * }</pre>
 */
public final class Trainer {
    /** The loss of one batch as a function of the parameters (in the order of {@link Module#parameters()}). */
    @FunctionalInterface
    public interface BatchLoss {
        Tensor loss(Tensor[] params, Tensor x, int[] labels);
    }

    /** What one epoch did. testAccuracy is NaN without a test set. */
    public record EpochReport(int epoch, int epochs, double trainLoss, double trainAccuracy, double testAccuracy, long millis) {
        public String line() {
            return String.format(Locale.ROOT, "epoch %3d/%d  loss %.4f  train acc %.2f%%  test acc %s  %d ms", epoch, epochs, trainLoss,
                    100 * trainAccuracy, Double.isNaN(testAccuracy) ? "–" : String.format(Locale.ROOT, "%.2f%%", 100 * testAccuracy), millis);
        }
    }

    /** Receives each epoch's report: progress for long work. */
    @FunctionalInterface
    public interface EpochListener {
        void onEpoch(EpochReport report);

        EpochListener SILENT = r -> {};

        static EpochListener printingTo(PrintStream out) {
            return r -> out.println(r.line());
        }
    }

    private final Module model;
    private final Optimizer optimizer;
    private BatchLoss loss;
    private int epochs = 10, batchSize = 64;
    private long seed;
    private EpochListener listener = EpochListener.printingTo(System.out);

    private Trainer(Module model, Optimizer optimizer) {
        this.model = model;
        this.optimizer = optimizer;
        this.loss = (ps, x, y) -> Loss.crossEntropy(model.forward(ps, x), y);
    }

    /** A trainer for a classifier; the default loss is the mean cross-entropy of the model's logits. */
    public static Trainer of(Module model, Optimizer optimizer) {
        return new Trainer(model, optimizer);
    }

    public Trainer loss(BatchLoss l) {
        this.loss = l;
        return this;
    }

    public Trainer epochs(int n) {
        if (n < 1) throw new IllegalArgumentException("Trainer: epochs must be ≥ 1, got " + n);
        this.epochs = n;
        return this;
    }

    public Trainer batchSize(int b) {
        if (b < 1) throw new IllegalArgumentException("Trainer: batch size must be ≥ 1, got " + b);
        this.batchSize = b;
        return this;
    }

    /** Seed of the per-epoch shuffles (epoch e uses seed + e). */
    public Trainer seed(long s) {
        this.seed = s;
        return this;
    }

    public Trainer listener(EpochListener l) {
        this.listener = l == null ? EpochListener.SILENT : l;
        return this;
    }

    /** Trains; {@code test} may be null. Returns one report per epoch. */
    public List<EpochReport> fit(Dataset train, Dataset test) {
        List<EpochReport> history = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            long t0 = System.nanoTime();
            int[] order = Dataset.permutation(train.size(), seed + e);
            double total = 0;
            int batches = 0;
            for (int start = 0; start < order.length; start += batchSize) {
                Dataset b = train.rows(Arrays.copyOfRange(order, start, Math.min(order.length, start + batchSize)));
                ValueAndGrad vg = Diff.valueAndGrad(ps -> loss.loss(ps, b.x(), b.labels()), model.parameterArray());
                double v = vg.value().item();
                if (!Double.isFinite(v)) {
                    throw new IllegalStateException("Trainer: the loss became " + v + " in epoch " + e + " (batch starting at " + start
                            + "); lower the learning rate or check the loss");
                }
                optimizer.step(model, vg.grads());
                total += v;
                batches++;
            }
            EpochReport r = new EpochReport(e, epochs, total / batches, accuracy(model, train), test == null ? Double.NaN : accuracy(model, test),
                    (System.nanoTime() - t0) / 1_000_000);
            history.add(r);
            listener.onEpoch(r);
        }
        return history;
    }

    /** Fraction of rows whose largest logit is at the label. */
    public static double accuracy(Module model, Dataset d) {
        int[] pred = model.forward(d.x()).argmax();
        int ok = 0;
        for (int i = 0; i < pred.length; i++) if (pred[i] == d.labels()[i]) ok++;
        return (double) ok / pred.length;
    }
}
