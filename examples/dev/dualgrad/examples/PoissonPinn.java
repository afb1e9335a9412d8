package dev.dualgrad.examples;

import dev.dualgrad.Diff;
import dev.dualgrad.nn.Adam;
import dev.dualgrad.nn.Mlp;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.LaplacianOptions;
import dev.dualgrad.transforms.LaplacianResult;
import dev.dualgrad.transforms.PerArgument;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * A physics-informed neural network (PINN) for the Poisson problem −Δu = f on the unit square with
 * f(x, y) = 2π² sin(πx) sin(πy) and u = 0 on the boundary, whose solution is sin(πx) sin(πy).
 *
 * <p>The trial function is u_θ(x, y) = x(1 − x)·y(1 − y)·N_θ(x, y) with N_θ a small tanh MLP, so the
 * boundary condition holds exactly (the "hard constraint"; no boundary loss). The loss is the mean squared
 * residual (−Δu_θ − f)² on fixed interior collocation points, with Δu_θ from {@code Diff.batchLaplacian}
 * inside the loss: one forward-Laplacian pass carries (value, Jacobian, Laplacian) through the MLP and the
 * products of the hard constraint, and {@code Diff.grad} takes the gradient with respect to θ in one
 * reverse sweep over that pass. Adam trains it full-batch with a stepwise learning-rate decay, from fixed
 * initial weights and points, so every run is the same.</p>
 *
 * <p>The trained u_θ is compared with sin(πx) sin(πy) on a grid (the relative L² error must be ≤ 1e-2)
 * and the error field is written as a PNG heat map.</p>
 */
public final class PoissonPinn implements Stop {
    /** Where the tour writes the error field. */
    static final Path PNG = Path.of("target", "examples", "poisson-pinn-error.png");
    /** The goal on the relative L² error against the exact solution. */
    static final double GOAL = 1e-2;

    /** The knobs of a run: network widths, collocation points, Adam's phases (learning rate and steps). */
    record Config(int[] sizes, int points, double[] rates, int[] steps, int grid) {
        int totalSteps() {
            int n = 0;
            for (int s : steps) n += s;
            return n;
        }
    }

    /** The configuration the tour runs. */
    static final Config DEFAULT = new Config(new int[] {2, 32, 32, 1}, 256, new double[] {1e-2, 3e-3, 1e-3}, new int[] {120, 90, 90}, 101);

    private final Path png;
    private final Config config;

    /** Writes the error field to {@link #PNG}. */
    public PoissonPinn() {
        this(PNG);
    }

    /**
     * Writes the error field to the given file.
     *
     * @param png the PNG file to write
     */
    public PoissonPinn(Path png) {
        this(png, DEFAULT);
    }

    /**
     * Writes the error field to the given file, with Adam's three phases (learning rates 1e-2, 3e-3, 1e-3)
     * taking the given numbers of steps: fewer steps than the default train a worse network, and the stop
     * then throws.
     *
     * @param png the PNG file to write
     * @param steps the steps of each phase, three numbers ≥ 0
     * @throws IllegalArgumentException when steps does not hold three numbers ≥ 0
     */
    public PoissonPinn(Path png, int[] steps) {
        this(png, new Config(DEFAULT.sizes(), DEFAULT.points(), DEFAULT.rates(), checkSteps(steps), DEFAULT.grid()));
    }

    PoissonPinn(Path png, Config config) {
        this.png = png;
        this.config = config;
    }

    private static int[] checkSteps(int[] steps) {
        if (steps == null || steps.length != 3 || java.util.Arrays.stream(steps).anyMatch(s -> s < 0)) {
            throw new IllegalArgumentException("PoissonPinn: steps must be three numbers ≥ 0, one per learning rate, got "
                    + java.util.Arrays.toString(steps));
        }
        return steps.clone();
    }

    @Override
    public String problem() {
        return "A physics-informed network for a Poisson equation, with the Laplacian in its loss.";
    }

    /** The result of a training run. */
    record Result(double firstLoss, double lastLoss, double relativeL2, double maxError, double seconds, double[][] error) {}

    /**
     * The trial function u_θ(x, y) = x(1 − x)·y(1 − y)·N_θ(2x − 1, 2y − 1), zero on the boundary of the
     * unit square whatever θ (the network sees its inputs mapped to [−1, 1]²).
     *
     * @param net the network N, [.., 2] ↦ [.., 1]
     * @param params θ, in the order of {@code net.parameterArray()}
     * @param z the points (x, y), [B, 2]
     * @return u_θ at each point, [B, 1]
     */
    public static Tensor u(Mlp net, Tensor[] params, Tensor z) {
        Tensor box = z.mul(z.rsub(1));                                   // [B, 2]: x(1 − x), y(1 − y)
        Tensor bump = box.slice(1, 0, 1).mul(box.slice(1, 1, 2));        // [B, 1]
        return bump.mul(net.forward(params, z.mul(2).sub(1)));
    }

    /**
     * The source f(x, y) = 2π² sin(πx) sin(πy), = −Δ of the exact solution.
     *
     * @param z the points, [B, 2]
     * @return f at each point, [B, 1]
     */
    public static Tensor source(Tensor z) {
        return exact(z).mul(2 * Math.PI * Math.PI);
    }

    /**
     * The exact solution sin(πx) sin(πy).
     *
     * @param z the points, [B, 2]
     * @return the solution at each point, [B, 1]
     */
    public static Tensor exact(Tensor z) {
        Tensor s = z.mul(Math.PI).sin();
        return s.slice(1, 0, 1).mul(s.slice(1, 1, 2));
    }

    /**
     * The PINN loss mean_b((−Δu_θ(z_b) − f_b)²), with the per-point Laplacians from one
     * {@code Diff.batchLaplacian} pass, so that {@code Diff.grad} of it w.r.t. θ is one reverse sweep over
     * that pass.
     *
     * @param net the network N
     * @param params θ, in the order of {@code net.parameterArray()}
     * @param points the collocation points, [B, 2]
     * @param f the source at those points, [B, 1]
     * @param options the forward Laplacian's options
     * @return the loss, a scalar
     */
    public static Tensor residualLoss(Mlp net, Tensor[] params, Tensor points, Tensor f, LaplacianOptions options) {
        LaplacianResult r = Diff.batchLaplacian(z -> u(net, params, z), points, options);
        return r.laplacian().neg().sub(f).square().mean();
    }

    /** Trains the network of {@code c} from fixed initial weights and points, then measures its error on the grid. */
    static Result train(Config c) {
        Mlp net = Mlp.of(c.sizes()).seed(3).build();
        Tensor points = TensorRandom.seed(11).uniform(0, 1, c.points(), 2);
        Tensor f = source(points);
        // Once, with the check that samples do not interact; in the loop without it (it costs a forward pass).
        double first = residualLoss(net, net.parameterArray(), points, f, LaplacianOptions.defaults()).item();
        LaplacianOptions fast = LaplacianOptions.defaults().checkIndependence(false);
        long t0 = System.nanoTime();
        double last = first;
        for (int phase = 0; phase < c.rates().length; phase++) {
            Adam adam = new Adam(c.rates()[phase]);
            for (int s = 0; s < c.steps()[phase]; s++) {
                var vg = Diff.valueAndGrad(ps -> residualLoss(net, ps, points, f, fast), net.parameterArray());
                last = vg.value().item();
                adam.step(net, vg.grads());
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        // The error on an n×n grid of the closed square (the boundary rows are 0 on both sides).
        int n = c.grid();
        double[] zs = new double[2 * n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                zs[2 * (i * n + j)] = (double) j / (n - 1);
                zs[2 * (i * n + j) + 1] = (double) i / (n - 1);
            }
        }
        Tensor grid = Tensor.of(zs, n * n, 2);
        double[] got = u(net, net.parameterArray(), grid).toArray(), want = exact(grid).toArray();
        double num = 0, den = 0, max = 0;
        double[][] error = new double[n][n];
        for (int k = 0; k < got.length; k++) {
            double e = got[k] - want[k];
            num += e * e;
            den += want[k] * want[k];
            max = Math.max(max, Math.abs(e));
            error[k / n][k % n] = e;
        }
        return new Result(first, last, Math.sqrt(num / den), max, seconds, error);
    }

    @Override
    public void run(PrintStream out) {
        Config c = config;
        Result r = train(c);
        out.printf(Locale.ROOT, "−Δu = 2π² sin(πx) sin(πy) on [0, 1]², u = 0 on the boundary: u = x(1−x)·y(1−y)·N(x, y), N a tanh MLP %s%n",
                java.util.Arrays.toString(c.sizes()));
        out.printf(Locale.ROOT, "loss mean((−Δu − f)²) on %d points, Δu from Diff.batchLaplacian inside it: Diff.grad is one reverse sweep%n",
                c.points());
        out.printf(Locale.ROOT, "Adam, %d full-batch steps (lr %s): loss %.3g → %.3g in %.1f s%n",
                c.totalSteps(), rates(c), r.firstLoss(), r.lastLoss(), r.seconds());
        out.printf(Locale.ROOT, "relative L² error against sin(πx) sin(πy) on a %d×%d grid: %.2e (goal ≤ %.0e), max |error| %.2e%n",
                c.grid(), c.grid(), r.relativeL2(), GOAL, r.maxError());
        Checks.check("the relative L² error " + r.relativeL2() + " is at most " + GOAL, r.relativeL2() <= GOAL);
        writeErrorField(png, r.error(), r.relativeL2());
        Checks.check("the PNG was written", Files.isRegularFile(png));
        out.println("error field written to " + png);
    }

    private static String rates(Config c) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < c.rates().length; i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0e×%d", c.rates()[i], c.steps()[i]));
        }
        return b.toString();
    }

    /**
     * The error field as a heat map, on every {@code stride}-th point of the grid (at most 51 per side), with a
     * colour scale symmetric about 0, to ± the maximum rounded up to one digit (blue below, white at 0, red above) and axis labels every 0.1.
     */
    static void writeErrorField(Path png, double[][] error, double relativeL2) {
        int n = error.length, stride = Math.max(1, (n - 1 + 49) / 50);
        int m = (n - 1) / stride + 1;
        List<String> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (int a = 0; a < m; a++) {
            double t = (double) a * stride / (n - 1);
            boolean labelled = Math.abs(t * 10 - Math.rint(t * 10)) < 1e-9;
            String label = labelled ? String.format(Locale.ROOT, "%.1f", t) : " ".repeat(a + 1); // distinct blank categories
            xs.add(label);
            ys.add(label);
        }
        List<Number[]> cells = new ArrayList<>();
        double max = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                double e = error[i * stride][j * stride];
                cells.add(new Number[] {j, i, e});
                max = Math.max(max, Math.abs(e));
            }
        }
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            Files.deleteIfExists(png); // so that the check after writing sees this run's file
            HeatMapChart chart = new HeatMapChartBuilder().width(780).height(620)
                    .title(String.format(Locale.ROOT, "u_θ − sin(πx) sin(πy), relative L² error %.2e", relativeL2))
                    .xAxisTitle("x").yAxisTitle("y").build();
            int k = (int) Math.floor(Math.log10(max));
            double bound = Double.parseDouble((int) Math.ceil(max / Math.pow(10, k)) + "E" + k); // 5.7e-4 → 6.0E-4, as the legend prints it
            chart.getStyler().setShowValue(false).setMin(-bound).setMax(bound)
                    .setRangeColors(new Color[] {new Color(33, 102, 172), Color.WHITE, new Color(178, 24, 43)});
            chart.getStyler().setPlotContentSize(1);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
            chart.addSeries("u_θ − u", xs, ys, cells);
            BitmapEncoder.saveBitmap(chart, png.toString().replaceAll("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs this stop alone.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Tour.run(List.of(new PoissonPinn()), System.out);
    }
}
