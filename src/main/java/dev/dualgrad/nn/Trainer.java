package dev.dualgrad.nn;

import dev.dualgrad.internal.engine.Args;
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
 * A small training loop for classifiers. Each epoch e = 1..E shuffles the training rows with the seeded
 * permutation {@link Dataset#permutation(int, long) permutation(n, seed + e)}, cuts it into minibatches
 * of {@link #batchSize(int) B} rows (the last one may be smaller), and for every batch computes the batch
 * loss L(θ) and its gradient ∇_θ L with respect to all parameters in one reverse sweep
 * ({@code Diff.valueAndGrad}), then lets the
 * optimizer take one step. After the epoch it reports the mean batch loss and the accuracies to an
 * {@link EpochListener}.
 *
 * <p>Like a PyTorch loop of {@code zero_grad(); loss.backward(); optimizer.step()}, except that nothing
 * accumulates between batches: each batch's gradient is computed afresh. Everything is deterministic for a
 * given model initialisation, optimizer and seed.</p>
 *
 * <pre>{@code
 * List<EpochReport> h = Trainer.of(model, new Adam(1e-2)).epochs(30).batchSize(64).seed(1)
 *         .listener(EpochListener.progressLine(10, System.out)).fit(train, test);
 * }</pre>
 *
 * <p>Defaults: 10 epochs, batches of 64, shuffle seed 0, the mean cross-entropy of the model's logits as
 * the loss, and a listener that prints one line per epoch to {@code System.out}
 * ({@link EpochListener#printingTo(PrintStream)}).</p>
 */
public final class Trainer {
    /** The loss of one batch as a function of the parameters (in the order of {@link Module#parameters()}). */
    @FunctionalInterface
    public interface BatchLoss {
        /**
         * The loss of one batch.
         *
         * @param params the parameters to differentiate with respect to, in the order of
         *     {@link Module#parameters()}; pass them to {@code Module.forward(Tensor[], Tensor)}
         * @param x the batch's inputs, [B, ...]
         * @param labels the batch's class labels, one per row of {@code x}
         * @return the batch loss, a tensor of one element
         */
        Tensor loss(Tensor[] params, Tensor x, int[] labels);
    }

    /**
     * What one epoch did.
     *
     * @param epoch the epoch, counted from 1
     * @param epochs the number of epochs of the run
     * @param trainLoss the mean over the epoch's batches of the batch loss (each batch counts once, whatever
     *     its size), computed before each batch's step
     * @param trainAccuracy the accuracy on the whole training set after the epoch's last step
     * @param testAccuracy the accuracy on the test set after the epoch's last step, NaN without a test set
     * @param millis the epoch's wall-clock time in milliseconds, accuracies included
     */
    public record EpochReport(int epoch, int epochs, double trainLoss, double trainAccuracy, double testAccuracy, long millis) {
        /**
         * The full one-line report, e.g. {@code epoch   3/20  loss 0.1620  train acc 97.15%  test acc 94.99%  199 ms}.
         *
         * @return the report as one line (no line terminator); the test accuracy is "–" without a test set
         */
        public String line() {
            return String.format(Locale.ROOT, "epoch %3d/%d  loss %.4f  train acc %.2f%%  test acc %s  %d ms", epoch, epochs, trainLoss,
                    100 * trainAccuracy, Double.isNaN(testAccuracy) ? "–" : String.format(Locale.ROOT, "%.2f%%", 100 * testAccuracy), millis);
        }

        /**
         * A short form for progress lines, e.g. {@code 5: loss 0.099, test 96.1%}: the epoch, the training
         * loss, and the test accuracy (the training accuracy, marked "train", without a test set). No time, so
         * that the text is the same on every run.
         *
         * @return the short report, without a line terminator
         */
        public String brief() {
            return Double.isNaN(testAccuracy)
                    ? String.format(Locale.ROOT, "%d: loss %.3f, train %.1f%%", epoch, trainLoss, 100 * trainAccuracy)
                    : String.format(Locale.ROOT, "%d: loss %.3f, test %.1f%%", epoch, trainLoss, 100 * testAccuracy);
        }
    }

    /** Receives each epoch's report, in order, after the epoch: progress for long work, or a place to record curves. */
    @FunctionalInterface
    public interface EpochListener {
        /**
         * Called once per epoch, after its last step and its accuracies.
         *
         * @param report what the epoch did
         */
        void onEpoch(EpochReport report);

        /** A listener that does nothing. */
        EpochListener SILENT = r -> {};

        /**
         * One full line per epoch ({@link EpochReport#line()}).
         *
         * @param out where the lines go
         * @return the listener
         */
        static EpochListener printingTo(PrintStream out) {
            Args.nonNull(out, "printingTo", "out");
            return r -> out.println(r.line());
        }

        /**
         * One full line ({@link EpochReport#line()}) at epochs n, 2n, 3n, … and at the last epoch: E/n lines
         * or one more for a run of E epochs.
         *
         * @param n print every n-th epoch
         * @param out where the lines go
         * @return the listener
         * @throws IllegalArgumentException if n &lt; 1
         */
        static EpochListener printingEvery(int n, PrintStream out) {
            Args.nonNull(out, "printingEvery", "out");
            if (n < 1) throw new IllegalArgumentException("printingEvery: n must be ≥ 1, got " + n);
            return r -> {
                if (r.epoch() % n == 0 || r.epoch() == r.epochs()) out.println(r.line());
            };
        }

        /**
         * A single line for the whole run: the {@link EpochReport#brief() short report} of epochs n, 2n, 3n, …
         * and of the last epoch, separated by " | " and written as each epoch ends (flushed), with the line
         * ended after the last epoch. Twenty epochs with n = 5 print
         * <pre>epoch 5: loss 0.099, test 96.1% | 10: loss 0.040, test 97.8% | 15: … | 20: …</pre>
         * A run's epoch 1 starts a new line, so one listener can serve several runs in turn (not several at
         * once).
         *
         * @param n report every n-th epoch
         * @param out where the line goes
         * @return the listener
         * @throws IllegalArgumentException if n &lt; 1
         */
        static EpochListener progressLine(int n, PrintStream out) {
            Args.nonNull(out, "progressLine", "out");
            if (n < 1) throw new IllegalArgumentException("progressLine: n must be ≥ 1, got " + n);
            return new EpochListener() {
                private boolean started;

                @Override
                public void onEpoch(EpochReport r) {
                    if (r.epoch() == 1) started = false;
                    if (r.epoch() % n != 0 && r.epoch() != r.epochs()) return;
                    out.print((started ? " | " : "epoch ") + r.brief());
                    started = true;
                    if (r.epoch() == r.epochs()) {
                        out.println();
                        started = false;
                    }
                    out.flush();
                }
            };
        }

        /**
         * This listener, then {@code next}, for each report.
         *
         * @param next the listener called second
         * @return a listener calling both
         * @throws IllegalArgumentException if next is null
         */
        default EpochListener andThen(EpochListener next) {
            if (next == null) throw new IllegalArgumentException("andThen: next is null (the next listener must not be null)");
            return r -> {
                onEpoch(r);
                next.onEpoch(r);
            };
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

    /**
     * A trainer for a classifier whose forward function gives logits [B, C]; the default loss is their
     * mean cross-entropy {@link Loss#crossEntropy(Tensor, int[])} against the batch's labels.
     *
     * @param model the model; {@link #fit} replaces its parameters step by step
     * @param optimizer the update rule, used with this model only (optimizers keep per-parameter state)
     * @return a trainer with the defaults listed in the class description
     * @throws IllegalArgumentException if model or optimizer is null
     */
    public static Trainer of(Module model, Optimizer optimizer) {
        if (model == null || optimizer == null) throw new IllegalArgumentException("Trainer.of: " + (model == null ? "model" : "optimizer") + " is null");
        return new Trainer(model, optimizer);
    }

    /**
     * Replaces the batch loss, e.g. with cross-entropy plus a penalty.
     *
     * @param l the loss of one batch as a function of the parameters
     * @return this trainer
     * @throws IllegalArgumentException if l is null
     */
    public Trainer loss(BatchLoss l) {
        if (l == null) throw new IllegalArgumentException("Trainer.loss: l is null (the loss must not be null)");
        this.loss = l;
        return this;
    }

    /**
     * Sets the number of passes over the training set.
     *
     * @param n the number of epochs, ≥ 1 (default 10)
     * @return this trainer
     * @throws IllegalArgumentException if n &lt; 1
     */
    public Trainer epochs(int n) {
        if (n < 1) throw new IllegalArgumentException("Trainer: epochs must be ≥ 1, got " + n);
        this.epochs = n;
        return this;
    }

    /**
     * Sets the rows per minibatch; the last batch of an epoch holds the remainder.
     *
     * @param b the batch size, ≥ 1 (default 64)
     * @return this trainer
     * @throws IllegalArgumentException if b &lt; 1
     */
    public Trainer batchSize(int b) {
        if (b < 1) throw new IllegalArgumentException("Trainer: batch size must be ≥ 1, got " + b);
        this.batchSize = b;
        return this;
    }

    /**
     * Sets the seed of the per-epoch shuffles: epoch e uses {@code Dataset.permutation(n, s + e)}.
     *
     * @param s the seed (default 0)
     * @return this trainer
     */
    public Trainer seed(long s) {
        this.seed = s;
        return this;
    }

    /**
     * Sets who receives the epoch reports.
     *
     * @param l the listener; null means {@link EpochListener#SILENT}
     * @return this trainer
     */
    public Trainer listener(EpochListener l) {
        this.listener = l == null ? EpochListener.SILENT : l;
        return this;
    }

    /**
     * Trains the model for the set number of epochs, replacing its parameters after every batch. The batches
     * run in training mode ({@link Module#train()}: a {@link Dropout} drops) and each report's accuracies in
     * evaluation mode ({@link Module#eval()}), as a PyTorch loop does; the model is left in training mode.
     *
     * @param train the training set
     * @param test the test set, or null (the reports then carry a NaN test accuracy)
     * @return one report per epoch, in order (the same reports the listener received)
     * @throws IllegalStateException if a batch loss is not finite (NaN or infinite); the message names the
     *     epoch and the batch, and the model keeps the parameters of the last finite step
     * @throws IllegalArgumentException if train has no rows, the loss is not a one-element tensor, or the
     *     gradients do not fit the parameters (an empty test set is allowed: its accuracy is NaN)
     */
    public List<EpochReport> fit(Dataset train, Dataset test) {
        Args.nonNull(train, "Trainer.fit", "train");
        if (train.size() == 0) {
            throw new IllegalArgumentException("Trainer.fit: train has no rows; there is nothing to fit (the mean batch loss and the "
                    + "training accuracy would be 0/0)");
        }
        List<EpochReport> history = new ArrayList<>();
        model.train();
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
            model.eval(); // the accuracies in evaluation mode (a Dropout returns its input), as a PyTorch loop does
            EpochReport r = new EpochReport(e, epochs, total / batches, accuracy(model, train), test == null ? Double.NaN : accuracy(model, test),
                    (System.nanoTime() - t0) / 1_000_000);
            model.train();
            history.add(r);
            listener.onEpoch(r);
        }
        return history;
    }

    /**
     * Minimizes an objective computed by other means than minibatches of one JVM (a {@link BlockedObjective}
     * on this machine's cores, or one over a cluster): step t = 0, 1, …, steps − 1 evaluates
     * {@code objective.atStep(t)} (its mini-batch, for a sampled objective) at the model's parameters and
     * lets the optimizer step. Deterministic when the objective is (a blocked one is, whatever the threads).
     * The epochs, batch size, seed, loss and listener of this trainer are not used.
     *
     * @param objective f(θ) and ∇f(θ), θ in the order of {@link Module#parameters()}
     * @param steps the number of optimizer steps, ≥ 0
     * @return f before each step, in order (a new array)
     * @throws IllegalArgumentException when steps is negative or the gradients do not fit the parameters
     * @throws IllegalStateException when a value is not finite; the message names the step, and the model
     *     keeps the parameters of the last finite step
     */
    public double[] minimize(TrainingObjective objective, int steps) {
        Args.nonNull(objective, "Trainer.minimize", "objective");
        if (steps < 0) throw new IllegalArgumentException("Trainer.minimize: steps must be ≥ 0, got " + steps);
        double[] values = new double[steps];
        for (int t = 0; t < steps; t++) {
            ValueAndGrad vg = objective.atStep(t).valueAndGrad(model.parameterArray());
            values[t] = vg.value().item();
            if (!Double.isFinite(values[t])) {
                throw new IllegalStateException("Trainer.minimize: the objective became " + values[t] + " at step " + t
                        + "; lower the learning rate or check the loss");
            }
            optimizer.step(model, vg.grads());
        }
        return values;
    }

    /**
     * The fraction of rows whose largest logit sits at the row's label (ties go to the first largest).
     *
     * @param model a classifier giving logits [N, C] for inputs [N, ...]
     * @param d the rows and labels to score
     * @return the accuracy, in [0, 1]
     */
    public static double accuracy(Module model, Dataset d) {
        Args.nonNull(model, "Trainer.accuracy", "model");
        Args.nonNull(d, "Trainer.accuracy", "d");
        int[] pred = model.forward(d.x()).argmax(), labels = d.labels();
        int ok = 0;
        for (int i = 0; i < pred.length; i++) if (pred[i] == labels[i]) ok++;
        return (double) ok / pred.length;
    }
}
