package dev.dualgrad.taylor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.examples.PoissonPinn;
import dev.dualgrad.nn.Mlp;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.LaplacianOptions;
import dev.dualgrad.transforms.LaplacianResult;
import dev.dualgrad.transforms.PerArgument;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The Poisson PINN example: the stop trains to its goal within the tour's budget and writes its PNG, it
 * throws when the network is undertrained, and the derivatives it trains on (the forward Laplacian of the
 * hard-constrained trial function, and the gradient of the residual loss w.r.t. the parameters through
 * that pass) agree with independent routes: a closed form, the trace of {@code Diff.hessian}, second
 * differences, and central differences of the loss.
 */
class PoissonPinnTest {
    private static final Path PNG = Path.of("target", "test-output", "poisson-pinn-error.png");

    private static String capture(java.util.function.Consumer<PrintStream> run) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        run.accept(new PrintStream(buf, true, StandardCharsets.UTF_8));
        return buf.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    @Test
    void theStopTrainsToTheGoalWithinTheTourBudgetAndWritesThePng() throws Exception {
        Files.deleteIfExists(PNG);
        PoissonPinn stop = new PoissonPinn(PNG);
        String out = capture(stop::run);
        assertTrue(out.endsWith("\n"), out);
        String[] lines = out.substring(0, out.length() - 1).split("\n", -1);
        // The tour's rules (Tour.runStop, ExamplesTest): at most 8 lines, each within 120 characters once the
        // tour indents it by two; the problem one sentence, whose header "[nn/nn] problem" fits 120 too.
        assertTrue(lines.length >= 1 && lines.length <= 8, lines.length + " lines\n" + out);
        for (String l : lines) assertTrue(l.codePointCount(0, l.length()) <= 118, "too wide: " + l);
        String p = stop.problem();
        assertTrue(p.endsWith(".") && !Pattern.compile("[.?!]\\s").matcher(p).find() && Character.isUpperCase(p.charAt(0)), p);
        assertTrue(("[99/99] " + p).length() <= 120, p);
        assertFalse(Pattern.compile("(?i)\\b(seeds?|questions?)\\b").matcher(out + p).find(), out);

        Matcher m = Pattern.compile("relative L² error against sin\\(πx\\) sin\\(πy\\) on a 101×101 grid: ([0-9.e+-]+)").matcher(out);
        assertTrue(m.find(), out);
        double err = Double.parseDouble(m.group(1));
        assertTrue(err > 0 && err <= 1e-2, out);
        assertTrue(Pattern.compile("in [0-9.]+ s").matcher(out).find(), out);

        assertTrue(out.contains("written to " + PNG), out);
        BufferedImage img = ImageIO.read(PNG.toFile());
        assertTrue(img != null && img.getWidth() == 780 && img.getHeight() == 620, "not the 780×620 PNG: " + img);
    }

    @Test
    void anUndertrainedNetworkFailsTheCheck() {
        Path png = Path.of("target", "test-output", "poisson-pinn-undertrained.png");
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new PoissonPinn(png, new int[] {5, 0, 0}).run(sink));
        assertTrue(e.getMessage().contains("relative L² error"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PoissonPinn(png, new int[] {5, 5}));
        assertThrows(IllegalArgumentException.class, () -> new PoissonPinn(png, new int[] {5, -1, 0}));
    }

    /** A 2-3-3-1 tanh MLP and four points in the square, all fixed. */
    private static final Mlp NET = Mlp.of(2, 3, 3, 1).seed(5).build();
    private static final Tensor POINTS = TensorRandom.seed(1).uniform(0, 1, 4, 2);

    @Test
    void withAConstantNetworkTheLaplacianIsTheClosedForm() {
        // N ≡ c: u = c·x(1−x)·y(1−y), Δu = −2c·(y(1−y) + x(1−x)); the products of the hard constraint alone.
        double c = 1.7;
        Map<String, Tensor> ps = new LinkedHashMap<>();
        NET.parameters().forEach((k, v) -> ps.put(k, Tensor.zeros(v.shape())));
        ps.put("4.bias", Tensor.vector(c));
        Mlp constant = Mlp.of(2, 3, 3, 1).build(ps);
        Tensor[] params = constant.parameterArray();
        LaplacianResult r = Diff.batchLaplacian(z -> PoissonPinn.u(constant, params, z), POINTS);
        for (int b = 0; b < 4; b++) {
            double x = POINTS.get(b, 0), y = POINTS.get(b, 1);
            assertEquals(c * x * (1 - x) * y * (1 - y), r.value().get(b, 0), 1e-15);
            assertEquals(c * (1 - 2 * x) * y * (1 - y), r.jacobian().get(b, 0, 0), 1e-15);
            assertEquals(c * x * (1 - x) * (1 - 2 * y), r.jacobian().get(b, 0, 1), 1e-15);
            assertEquals(-2 * c * (y * (1 - y) + x * (1 - x)), r.laplacian().get(b, 0), 1e-14);
        }
    }

    @Test
    void theLaplacianOfTheTrialFunctionIsTheHessianTraceAndTheSecondDifferences() {
        Tensor[] params = NET.parameterArray();
        LaplacianResult r = Diff.batchLaplacian(z -> PoissonPinn.u(NET, params, z), POINTS);
        assertEquals(java.util.List.of(4, 1), java.util.List.of(r.laplacian().dim(0), r.laplacian().dim(1)));
        double h = 1e-4;
        for (int b = 0; b < 4; b++) {
            Tensor xb = POINTS.slice(0, b, b + 1);
            Tensor hess = Diff.hessian(z -> PoissonPinn.u(NET, params, z).sum(), xb);   // [1, 2, 1, 2]
            double trace = hess.get(0, 0, 0, 0) + hess.get(0, 1, 0, 1);
            assertEquals(trace, r.laplacian().get(b, 0), 1e-13 * Math.max(1, Math.abs(trace)));
            Tensor jac = Diff.jacobian(z -> PoissonPinn.u(NET, params, z).sum(), xb);    // [1, 2]
            assertEquals(jac.get(0, 0), r.jacobian().get(b, 0, 0), 1e-14);
            assertEquals(jac.get(0, 1), r.jacobian().get(b, 0, 1), 1e-14);
            double x = POINTS.get(b, 0), y = POINTS.get(b, 1);
            double fd = (at(params, x + h, y) + at(params, x - h, y) + at(params, x, y + h) + at(params, x, y - h) - 4 * at(params, x, y)) / (h * h);
            assertEquals(fd, r.laplacian().get(b, 0), 1e-5 * Math.max(1, Math.abs(fd)));
        }
    }

    private static double at(Tensor[] params, double x, double y) {
        return PoissonPinn.u(NET, params, Tensor.of(new double[] {x, y}, 1, 2)).item();
    }

    @Test
    void theGradientOfTheResidualLossMatchesCentralDifferencesAndTheHessianTraceRoute() {
        Tensor[] params = NET.parameterArray();
        Tensor f = PoissonPinn.source(POINTS);
        LaplacianOptions o = LaplacianOptions.defaults();
        PerArgument g = Diff.grad(ps -> PoissonPinn.residualLoss(NET, ps, POINTS, f, o), params);
        double h = 1e-5;
        int checked = 0;
        for (int i = 0; i < params.length; i++) {
            double[] base = params[i].toArray(), gi = g.get(i).toArray();
            for (int j = 0; j < base.length; j++) {
                double[] up = base.clone(), dn = base.clone();
                up[j] += h;
                dn[j] -= h;
                Tensor[] pu = params.clone(), pd = params.clone();
                pu[i] = Tensor.of(up, params[i].shape());
                pd[i] = Tensor.of(dn, params[i].shape());
                double fd = (PoissonPinn.residualLoss(NET, pu, POINTS, f, o).item() - PoissonPinn.residualLoss(NET, pd, POINTS, f, o).item()) / (2 * h);
                assertEquals(fd, gi[j], 1e-7 * Math.max(1, Math.abs(fd)), "parameter " + i + " element " + j);
                checked++;
            }
        }
        assertEquals(NET.parameterCount(), checked);

        // The same loss with each Laplacian as the trace of Diff.hessian (reverse over forward over reverse, per point).
        PerArgument viaHessian = Diff.grad(ps -> {
            Tensor total = Tensor.scalar(0);
            for (int b = 0; b < 4; b++) {
                Tensor hess = Diff.hessian(z -> PoissonPinn.u(NET, ps, z).sum(), POINTS.slice(0, b, b + 1));
                Tensor lap = hess.at(0, 0, 0, 0).add(hess.at(0, 1, 0, 1));
                total = total.add(lap.neg().sub(f.at(b, 0)).square());
            }
            return total.div(4);
        }, params);
        for (int i = 0; i < params.length; i++) {
            double[] a = g.get(i).toArray(), b = viaHessian.get(i).toArray();
            for (int j = 0; j < a.length; j++) assertEquals(b[j], a[j], 1e-12 * Math.max(1, Math.abs(b[j])), "parameter " + i + " element " + j);
        }
    }
}
