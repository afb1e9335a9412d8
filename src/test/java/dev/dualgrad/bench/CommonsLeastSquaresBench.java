package dev.dualgrad.bench;

import dev.dualgrad.commons.LeastSquares;
import dev.dualgrad.commons.LeastSquaresModel;
import dev.dualgrad.commons.ParametricModel;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresOptimizer.Optimum;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresProblem;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.fitting.leastsquares.MultivariateJacobianFunction;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.util.Pair;

/**
 * Issue 12's benchmark: Levenberg–Marquardt fits (Commons Math 3.6.1) with the Jacobian from dualgrad
 * ({@link LeastSquares#curveFit}, the problem built inside the timed fit, so its probe evaluation counts; and
 * {@link LeastSquares#model} built once, its plan reused),
 * from a hand-written analytic Jacobian in plain Java loops (the ideal), and from forward differences
 * (n + 1 evaluations per Jacobian) of the plain-Java model and of the dualgrad model. Two problems, 10,000
 * points each: y = a·exp(−b·t) + c (3 parameters, run to convergence) and a 1-16-1 tanh MLP (49 parameters,
 * 5 LM iterations per fit, stopped by a checker so every variant does the same work). Runs interleaved;
 * prints the median time per fit, evaluations and iterations.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:$(cat cp.txt)
 * dev.dualgrad.bench.CommonsLeastSquaresBench [runs [decay|mlp|all|evals]]}</p>
 *
 * <p>{@code evals}: the MLP's evaluations alone (value and Jacobian at the start, as the optimizer asks), runs times
 * interleaved: curveFit's default plan, curveFit with forward mode on the whole problem requested (the plan before
 * the block-by-block route), and the hand-written Jacobian; then curveFit's setup with each plan.</p>
 */
public final class CommonsLeastSquaresBench {
    private CommonsLeastSquaresBench() {}

    static final int POINTS = 10_000, HIDDEN = 16, MLP_PARAMETERS = 3 * HIDDEN + 1, MLP_ITERATIONS = 5;

    record Variant(String name, Supplier<Optimum> fit) {}

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        System.out.println("machine: " + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores, java "
                + System.getProperty("java.version") + "; median of " + runs + " interleaved fits after "
                + WARM_UP_SECONDS + " s of interleaved warm-up fits (-Dbench.warmup=seconds)");
        String which = args.length > 1 ? args[1] : "all";
        if (which.equals("evals")) {
            evaluations(runs);
            return;
        }
        if (!which.equals("mlp")) report("exponential decay y = a·exp(−b·t) + c, 3 parameters, " + POINTS + " points, LM to convergence", decay(), runs);
        if (!which.equals("decay")) report("tanh MLP 1-" + HIDDEN + "-1, " + MLP_PARAMETERS + " parameters, " + POINTS + " points, " + MLP_ITERATIONS + " LM iterations", mlp(), runs);
    }

    // ------------------------------------------------------------------ the exponential decay

    static Variant[] decay() {
        double[] t = new double[POINTS], y = new double[POINTS];
        double[] noise = TensorRandom.seed(7).normal(POINTS).mul(0.01).toArray();
        for (int i = 0; i < POINTS; i++) {
            t[i] = 5.0 * i / (POINTS - 1);
            y[i] = 2.5 * Math.exp(-1.3 * t[i]) + 0.5 + noise[i];
        }
        double[] start = {1, 1, 0};
        Tensor tt = Tensor.vector(t), yt = Tensor.vector(y);
        ParametricModel model = (p, x) -> p.at(0).mul(x.mul(p.at(1)).neg().exp()).add(p.at(2));
        PlainModel plain = (p, out) -> {
            for (int i = 0; i < POINTS; i++) out[i] = p[0] * Math.exp(-p[1] * t[i]) + p[2];
        };
        MultivariateJacobianFunction analytic = point -> {
            double a = point.getEntry(0), b = point.getEntry(1), c = point.getEntry(2);
            double[] v = new double[POINTS];
            double[][] j = new double[POINTS][];
            for (int i = 0; i < POINTS; i++) {
                double e = Math.exp(-b * t[i]);
                v[i] = a * e + c;
                j[i] = new double[] {e, -a * t[i] * e, 1};
            }
            return new Pair<>(new ArrayRealVector(v, false), new Array2DRowRealMatrix(j, false));
        };
        return variants(model, tt, yt, y, start, plain, analytic, 0);
    }

    // ------------------------------------------------------------------ the MLP

    static Variant[] mlp() {
        double[] x = new double[POINTS], y = new double[POINTS];
        double[] noise = TensorRandom.seed(8).normal(POINTS).mul(0.05).toArray();
        for (int i = 0; i < POINTS; i++) {
            x[i] = -1 + 2.0 * i / (POINTS - 1);
            y[i] = Math.sin(3 * x[i]) + noise[i];
        }
        double[] start = TensorRandom.seed(9).normal(MLP_PARAMETERS).mul(0.5).toArray();
        int h = HIDDEN;
        Tensor xt = Tensor.of(x, POINTS, 1), yt = Tensor.vector(y);
        // p = [W1 (h), b1 (h), W2 (h), b2 (1)]: y = W2·tanh(W1 x + b1) + b2
        ParametricModel model = mlpModel();
        PlainModel plain = (p, out) -> {
            for (int i = 0; i < POINTS; i++) {
                double s = p[3 * h];
                for (int k = 0; k < h; k++) s += p[2 * h + k] * Math.tanh(p[k] * x[i] + p[h + k]);
                out[i] = s;
            }
        };
        MultivariateJacobianFunction analytic = mlpAnalytic(x);
        return variants(model, xt, yt, y, start, plain, analytic, MLP_ITERATIONS);
    }

    /** The MLP problem's three Jacobians, each evaluated at the start runs times, interleaved; medians and best. */
    static void evaluations(int runs) {
        double[] x = new double[POINTS];
        for (int i = 0; i < POINTS; i++) x[i] = -1 + 2.0 * i / (POINTS - 1);
        Tensor xt = Tensor.of(x, POINTS, 1), y = Tensor.vector(new double[POINTS]), start = TensorRandom.seed(9).normal(MLP_PARAMETERS).mul(0.5);
        ParametricModel model = mlpModel();
        java.util.function.Supplier<LeastSquaresProblem> blocked = () -> LeastSquares.curveFit(model, xt, y, start).build();
        java.util.function.Supplier<LeastSquaresProblem> whole = () -> LeastSquares.curveFit(model, xt, y, start,
                dev.dualgrad.transforms.JacobianOptions.defaults().mode(dev.dualgrad.transforms.JacobianMode.FORWARD)).build();
        LeastSquaresProblem[] problems = {blocked.get(), whole.get(), builder(mlpAnalytic(x), new double[POINTS], start.toArray()).build()};
        String[] names = {"curveFit (default plan)", "curveFit, forward mode on the whole", "hand-written analytic"};
        double[][] ms = new double[problems.length][runs];
        for (int w = 0; w < 5; w++) for (LeastSquaresProblem p : problems) p.evaluate(p.getStart()).getJacobian();
        for (int r = 0; r < runs; r++) {
            for (int i = 0; i < problems.length; i++) {
                long t0 = System.nanoTime();
                problems[i].evaluate(problems[i].getStart()).getJacobian();
                ms[i][r] = (System.nanoTime() - t0) / 1e6;
            }
        }
        System.out.println("\nMLP value and Jacobian at the start, " + runs + " interleaved evaluations each");
        for (int i = 0; i < problems.length; i++) {
            double[] sorted = ms[i].clone();
            Arrays.sort(sorted);
            System.out.println(String.format(Locale.ROOT, "  %-40s median %7.2f ms, best %7.2f ms", names[i], median(ms[i]), sorted[0]));
        }
        double[][] setup = new double[2][Math.max(3, runs / 10)];
        for (int r = 0; r < setup[0].length; r++) {
            for (int i = 0; i < 2; i++) {
                long t0 = System.nanoTime();
                (i == 0 ? blocked : whole).get();
                setup[i][r] = (System.nanoTime() - t0) / 1e6;
            }
        }
        System.out.println(String.format(Locale.ROOT, "  curveFit setup: default plan median %.1f ms, forward on the whole median %.1f ms",
                median(setup[0]), median(setup[1])));
    }

    /** p = [W1 (h), b1 (h), W2 (h), b2 (1)]: y = W2·tanh(W1 x + b1) + b2. */
    static ParametricModel mlpModel() {
        int h = HIDDEN;
        return (p, in) -> in.matmul(p.slice(0, 0, h).reshape(1, h)).add(p.slice(0, h, 2 * h)).tanh()
                .matmul(p.slice(0, 2 * h, 3 * h).reshape(h, 1)).reshape(-1).add(p.at(3 * h));
    }

    /** The MLP's value and Jacobian by the per-sample closed form, plain Java. */
    static MultivariateJacobianFunction mlpAnalytic(double[] x) {
        int h = HIDDEN;
        return point -> {
            double[] p = point.toArray(), v = new double[POINTS];
            double[][] j = new double[POINTS][];
            for (int i = 0; i < POINTS; i++) {
                double[] row = new double[MLP_PARAMETERS];
                double s = p[3 * h];
                for (int k = 0; k < h; k++) {
                    double a = Math.tanh(p[k] * x[i] + p[h + k]), da = p[2 * h + k] * (1 - a * a);
                    s += p[2 * h + k] * a;
                    row[k] = da * x[i];   // ∂y/∂W1ₖ
                    row[h + k] = da;      // ∂y/∂b1ₖ
                    row[2 * h + k] = a;   // ∂y/∂W2ₖ
                }
                row[3 * h] = 1;           // ∂y/∂b2
                v[i] = s;
                j[i] = row;
            }
            return new Pair<>(new ArrayRealVector(v, false), new Array2DRowRealMatrix(j, false));
        };
    }

    // ------------------------------------------------------------------ the variants

    /** f(p) into out, plain Java. */
    interface PlainModel {
        void eval(double[] p, double[] out);
    }

    static Variant[] variants(ParametricModel model, Tensor inputs, Tensor observed, double[] y, double[] start, PlainModel plain,
            MultivariateJacobianFunction analytic, int iterations) {
        Tensor startT = Tensor.vector(start);
        MultivariateJacobianFunction fdPlain = forwardDifferences(start.length, plain);
        MultivariateJacobianFunction fdTensor = forwardDifferences(start.length, (p, out) -> {
            double[] v = model.predict(Tensor.vector(p), inputs).toArray();
            System.arraycopy(v, 0, out, 0, v.length);
        });
        LeastSquaresModel planned = LeastSquares.model(p -> model.predict(p, inputs)); // its plan made once, at the first fit
        return new Variant[] {
            new Variant("dualgrad (curveFit)", () -> fit(limit(LeastSquares.curveFit(model, inputs, observed, startT), iterations))),
            new Variant("dualgrad (LeastSquares.model, plan reused)", () -> fit(limit(builder(planned, y, start), iterations))),
            new Variant("hand-written analytic", () -> fit(limit(builder(analytic, y, start), iterations))),
            new Variant("forward differences of the plain-Java model", () -> fit(limit(builder(fdPlain, y, start), iterations))),
            new Variant("forward differences of the dualgrad model", () -> fit(limit(builder(fdTensor, y, start), iterations))),
        };
    }

    static LeastSquaresBuilder builder(MultivariateJacobianFunction f, double[] y, double[] start) {
        return new LeastSquaresBuilder().model(f).target(y).start(start).maxEvaluations(1000).maxIterations(1000);
    }

    /** A fixed number of iterations (0: to convergence), so that every variant does the same work. */
    static LeastSquaresBuilder limit(LeastSquaresBuilder b, int iterations) {
        return iterations == 0 ? b : b.checker((i, previous, current) -> i >= iterations);
    }

    static Optimum fit(LeastSquaresBuilder b) {
        LeastSquaresProblem p = b.build();
        return new LevenbergMarquardtOptimizer().optimize(p);
    }

    /** J[i][j] ≈ (f(p + h eⱼ)ᵢ − f(p)ᵢ) / h with h = √ε·max(1, |pⱼ|): n + 1 evaluations. */
    static MultivariateJacobianFunction forwardDifferences(int n, PlainModel f) {
        return point -> {
            double[] p = point.toArray(), v = new double[POINTS], w = new double[POINTS];
            f.eval(p, v);
            double[][] j = new double[POINTS][n];
            for (int c = 0; c < n; c++) {
                double h = 1.49e-8 * Math.max(1, Math.abs(p[c])), keep = p[c];
                p[c] = keep + h;
                f.eval(p, w);
                p[c] = keep;
                for (int i = 0; i < POINTS; i++) j[i][c] = (w[i] - v[i]) / h;
            }
            return new Pair<>(new ArrayRealVector(v, false), new Array2DRowRealMatrix(j, false));
        };
    }

    static void report(String title, Variant[] vs, int runs) {
        double[][] ms = new double[vs.length][runs];
        Optimum[] last = new Optimum[vs.length];
        int warmUps = warmUp(vs);
        for (int r = 0; r < runs; r++) {
            for (int i = 0; i < vs.length; i++) {
                long t0 = System.nanoTime();
                last[i] = vs[i].fit.get();
                ms[i][r] = (System.nanoTime() - t0) / 1e6;
            }
        }
        System.out.println("\n" + title + " (after " + warmUps + " interleaved warm-up rounds)");
        double ideal = median(ms[2]);
        for (int i = 0; i < vs.length; i++) {
            double m = median(ms[i]);
            System.out.println(String.format(Locale.ROOT, "  %-46s %9.2f ms per fit (%.2f× hand-written)  %3d evaluations, %3d iterations, cost %.6g",
                    vs[i].name, m, m / ideal, last[i].getEvaluations(), last[i].getIterations(), last[i].getCost()));
        }
    }

    /**
     * Interleaved warm-up rounds, every variant once per round, until {@link #WARM_UP_SECONDS} have passed (at least
     * one round): a 3-parameter fit takes a few ms, and after a single warm-up fit C2 has not yet compiled the
     * engine's paths, which inflated the dualgrad ratios (2.6× after one fit, 1.4× after a second of them).
     */
    static int warmUp(Variant[] vs) {
        long end = System.nanoTime() + (long) (WARM_UP_SECONDS * 1e9);
        int rounds = 0;
        do {
            for (Variant v : vs) v.fit.get();
            rounds++;
        } while (System.nanoTime() < end);
        return rounds;
    }

    static final double WARM_UP_SECONDS = Double.parseDouble(System.getProperty("bench.warmup", "5"));

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

}
