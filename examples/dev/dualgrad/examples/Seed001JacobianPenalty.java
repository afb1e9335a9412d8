package dev.dualgrad.examples;

import dev.dualgrad.Diff;
import dev.dualgrad.Loss;
import dev.dualgrad.data.Dataset;
import dev.dualgrad.data.Digits;
import dev.dualgrad.nn.Adam;
import dev.dualgrad.nn.JacobianPenalty;
import dev.dualgrad.nn.Mlp;
import dev.dualgrad.nn.Trainer;
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
 * Seed 001: training with a penalty on the Frobenius norm of the network's input Jacobian,
 * loss = CE + λ·mean_b ‖J_b‖²_F. In PyTorch this took one backward pass per output or double
 * backward; here the exact penalty is one batched sweep (10 cotangents on every sample at once) inside
 * the loss, and Diff.grad differentiates through it in one backward sweep (reverse over reverse).
 *
 * <p>Two tanh MLPs from the same seed are trained on the digits, with and without the penalty. For both:
 * test accuracy, mean ‖J‖_F on the test set, and accuracy under Gaussian input noise. The training
 * curves are written as a PNG.</p>
 */
public final class Seed001JacobianPenalty {
    static final double LAMBDA = 0.01, NOISE = 0.35;
    static final int EPOCHS = 20;

    private Seed001JacobianPenalty() {}

    public static void main(String[] args) {
        run(System.out, Path.of("target", "examples", "seed001-training-curves.png"));
    }

    public static void run(PrintStream out) {
        run(out, Path.of("target", "examples", "seed001-training-curves.png"));
    }

    /** One run's per-epoch curves and final figures. */
    record Run(String name, List<Double> loss, List<Double> accuracy, List<Double> jacobianNorm, double testAccuracy, double meanNorm,
               double noisyAccuracy) {}

    public static void run(PrintStream out, Path png) {
        Dataset[] split = Digits.load().split(0.8, 42);
        Dataset train = split[0], test = split[1];
        Run plain = train("CE only", train, test, 0, out);
        Run penalised = train("CE + " + LAMBDA + "·‖J‖²", train, test, LAMBDA, out);
        for (Run r : List.of(plain, penalised)) {
            out.printf(Locale.ROOT, "%-16s test accuracy %.2f%%, mean ‖J‖_F on test %.3f, accuracy under N(0, %.2f²) noise %.2f%%%n",
                    r.name, 100 * r.testAccuracy, r.meanNorm, NOISE, 100 * r.noisyAccuracy);
        }
        Checks.check("the penalised model keeps ≥ 93% accuracy", penalised.testAccuracy >= 0.93);
        Checks.check("the penalty cuts mean ‖J‖_F by at least half", penalised.meanNorm <= 0.5 * plain.meanNorm);
        writeCurves(png, plain, penalised);
        out.println("training curves written to " + png.toAbsolutePath());
    }

    static Run train(String name, Dataset train, Dataset test, double lambda, PrintStream out) {
        Mlp model = Mlp.of(64, 64, 10).seed(7).build();
        Trainer.BatchLoss loss = lambda == 0
                ? (ps, x, y) -> Loss.crossEntropy(model.forward(ps, x), y)
                : (ps, x, y) -> Loss.crossEntropy(model.forward(ps, x), y).add(JacobianPenalty.exact(z -> model.forward(ps, z), x).mul(lambda));
        List<Double> losses = new ArrayList<>(), accs = new ArrayList<>(), norms = new ArrayList<>();
        out.println("training: " + name);
        Trainer.of(model, new Adam(0.01)).loss(loss).epochs(EPOCHS).batchSize(64).seed(1).listener(r -> {
            double norm = meanNorm(model, test.x());
            losses.add(r.trainLoss());
            accs.add(r.testAccuracy());
            norms.add(norm);
            out.printf(Locale.ROOT, "  %s  mean ‖J‖_F %.3f%n", r.line(), norm);
        }).fit(train, test);
        return new Run(name, losses, accs, norms, accs.get(accs.size() - 1), norms.get(norms.size() - 1), noisyAccuracy(model, test));
    }

    /** Mean over samples of ‖∂model(x_b)/∂x_b‖_F, from one batchJacobian call. */
    static double meanNorm(Mlp model, Tensor x) {
        return Diff.batchJacobian(model::forward, x).square().sum(new int[] {1, 2}, false).sqrt().mean().item();
    }

    /** Accuracy on test inputs plus Gaussian noise of standard deviation NOISE (seeded). */
    static double noisyAccuracy(Mlp model, Dataset test) {
        Tensor noisy = test.x().add(TensorRandom.seed(2024).normal(test.x().shape()).mul(NOISE));
        return Trainer.accuracy(model, new Dataset(noisy, test.labels()));
    }

    static void writeCurves(Path png, Run a, Run b) {
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
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
}
