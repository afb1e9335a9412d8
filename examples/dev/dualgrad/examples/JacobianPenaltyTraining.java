package dev.dualgrad.examples;

import dev.dualgrad.Diff;
import dev.dualgrad.Loss;
import dev.dualgrad.data.Dataset;
import dev.dualgrad.data.Digits;
import dev.dualgrad.nn.Adam;
import dev.dualgrad.nn.JacobianPenalty;
import dev.dualgrad.nn.Mlp;
import dev.dualgrad.nn.Trainer;
import dev.dualgrad.nn.Trainer.EpochListener;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Training with a penalty on the Frobenius norm of the network's input Jacobian,
 * loss = CE + λ·mean_b ‖J_b‖²_F with J_b = ∂f(x_b)/∂x_b. In PyTorch this takes one backward pass per
 * output (or double backward with create_graph=True); here the exact penalty is one batched sweep (10
 * cotangents on every sample at once) inside the loss, and Diff.grad differentiates through it in one
 * backward sweep (reverse over reverse).
 *
 * <p>Two tanh MLPs from the same initial weights are trained on the digits, with and without the penalty.
 * For both: test accuracy, mean ‖J‖_F on the test set, and accuracy under Gaussian input noise. The
 * training curves (loss, test accuracy, mean ‖J‖_F by epoch) are written as a PNG with XChart.</p>
 */
public final class JacobianPenaltyTraining implements Stop {
    static final double LAMBDA = 0.01, NOISE = 0.35;
    static final int EPOCHS = 10;
    /** Where the tour writes the training curves. */
    static final Path PNG = Path.of("target", "examples", "jacobian-penalty-training-curves.png");

    private final Path png;

    /** Writes the curves to {@link #PNG}. */
    public JacobianPenaltyTraining() {
        this(PNG);
    }

    /**
     * Writes the curves to the given file.
     *
     * @param png the PNG file to write
     */
    public JacobianPenaltyTraining(Path png) {
        this.png = png;
    }

    @Override
    public String problem() {
        return "Training with a penalty on the norm of the network's input Jacobian, without one backward pass per output.";
    }

    /** One run's per-epoch curves and final figures. */
    record Run(String name, List<Double> loss, List<Double> accuracy, List<Double> jacobianNorm, double testAccuracy, double meanNorm,
               double noisyAccuracy) {}

    @Override
    public void run(PrintStream out) {
        Dataset[] split = Digits.load().split(0.8, 42);
        Dataset train = split[0], test = split[1];
        out.println("CE + " + LAMBDA + "·mean_b ‖∂f(x_b)/∂x_b‖²_F; the penalty is one batched sweep, and Diff.grad differentiates through it");
        Run plain = train("CE only", train, test, 0, out);
        Run penalised = train("CE + " + LAMBDA + "·‖J‖²_F", train, test, LAMBDA, out);
        Checks.check("the penalised model keeps ≥ 93% accuracy", penalised.testAccuracy >= 0.93);
        Checks.check("the penalty cuts mean ‖J‖_F by at least half", penalised.meanNorm <= 0.5 * plain.meanNorm);
        Checks.check("the penalised model is more accurate under input noise", penalised.noisyAccuracy > plain.noisyAccuracy);
        for (Run r : List.of(plain, penalised)) {
            out.printf(Locale.ROOT, "%-16s test accuracy %.2f%%, mean ‖J‖_F %6.3f, accuracy with N(0, %.2f²) input noise %.2f%%%n",
                    r.name, 100 * r.testAccuracy, r.meanNorm, NOISE, 100 * r.noisyAccuracy);
        }
        writeCurves(png, plain, penalised);
        Checks.check("the PNG was written", Files.isRegularFile(png));
        out.println("training curves written to " + png);
    }

    static Run train(String name, Dataset train, Dataset test, double lambda, PrintStream out) {
        Mlp model = Mlp.of(64, 64, 10).seed(7).build();
        Trainer.BatchLoss loss = lambda == 0
                ? (ps, x, y) -> Loss.crossEntropy(model.forward(ps, x), y)
                : (ps, x, y) -> Loss.crossEntropy(model.forward(ps, x), y).add(JacobianPenalty.exact(z -> model.forward(ps, z), x).mul(lambda));
        List<Double> losses = new ArrayList<>(), accs = new ArrayList<>(), norms = new ArrayList<>();
        EpochListener record = r -> {
            losses.add(r.trainLoss());
            accs.add(r.testAccuracy());
            norms.add(meanNorm(model, test.x()));
        };
        out.printf(Locale.ROOT, "%-16s ", name);
        Trainer.of(model, new Adam(0.01)).loss(loss).epochs(EPOCHS).batchSize(64).seed(1)
                .listener(record.andThen(EpochListener.progressLine(EPOCHS / 2, out))).fit(train, test);
        return new Run(name, losses, accs, norms, accs.get(accs.size() - 1), norms.get(norms.size() - 1), noisyAccuracy(model, test));
    }

    /** Mean over samples of ‖∂model(x_b)/∂x_b‖_F, from one batchJacobian call. */
    static double meanNorm(Mlp model, Tensor x) {
        return Diff.batchJacobian(model::forward, x).square().sum(new int[] {1, 2}, false).sqrt().mean().item();
    }

    /** Accuracy on test inputs plus Gaussian noise of standard deviation NOISE (fixed random numbers). */
    static double noisyAccuracy(Mlp model, Dataset test) {
        Tensor noisy = test.x().add(TensorRandom.seed(2024).normal(test.x().shape()).mul(NOISE));
        return Trainer.accuracy(model, new Dataset(noisy, test.labels()));
    }

    static void writeCurves(Path png, Run a, Run b) {
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            Files.deleteIfExists(png); // so that the check after writing sees this run's file
            List<XYChart> charts = List.of(
                    chart("training loss", "mean batch loss", a.loss, b.loss, a.name, b.name),
                    chart("test accuracy", "accuracy", a.accuracy, b.accuracy, a.name, b.name),
                    chart("mean input-Jacobian norm on test", "mean ‖J‖_F", a.jacobianNorm, b.jacobianNorm, a.name, b.name));
            List<Chart> parts = new ArrayList<>(charts);
            BitmapEncoder.saveBitmap(parts, 1, 3, png.toString().replaceAll("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static XYChart chart(String title, String yLabel, List<Double> a, List<Double> b, String an, String bn) {
        XYChart c = new XYChartBuilder().width(480).height(360).title(title).xAxisTitle("epoch").yAxisTitle(yLabel).build();
        double[] epochs = new double[a.size()];
        for (int i = 0; i < epochs.length; i++) epochs[i] = i + 1;
        c.addSeries(an, epochs, a.stream().mapToDouble(Double::doubleValue).toArray());
        c.addSeries(bn, epochs, b.stream().mapToDouble(Double::doubleValue).toArray());
        return c;
    }

    /**
     * Runs this stop alone.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Tour.run(List.of(new JacobianPenaltyTraining()), System.out);
    }
}
