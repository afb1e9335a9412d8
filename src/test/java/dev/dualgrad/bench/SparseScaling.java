package dev.dualgrad.bench;

import dev.dualgrad.internal.sparsity.Coloring;
import dev.dualgrad.internal.sparsity.Decompression;
import dev.dualgrad.internal.sparsity.Detection;
import dev.dualgrad.sparse.SparseHessian;
import dev.dualgrad.sparse.SparseJacobian;
import dev.dualgrad.sparse.SparseMatrix;
import dev.dualgrad.sparse.SparsityPattern;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.TensorFunction;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Issue 13's scaling goal: the sparse Rosenbrock Hessian (n = 10³, 10⁴, 10⁵) and the sparse Bratu Jacobian
 * (m×m grids, m = 32, 100, 256, 316: n = 1,024 … 99,856) must grow linearly in n, time and peak memory,
 * within 1.5× of linear across the range. For each n it times, as medians of several runs after a warm-up:
 * detection alone ({@code Detection.hessianRows} / {@code jacobianRows}), colouring alone (star, or column
 * and row colourings as {@code SparseJacobian.prepare} does both), {@code prepare} (detection, colouring,
 * decompression plan, pass sizing) and one prepared {@code evaluate}; and the peak heap of one
 * {@code prepare} and of one {@code evaluate}.
 *
 * <p>Peak heap: run with {@code -XX:+UseSerialGC -Xmn16m}. Before the measured call, {@code System.gc()}
 * (twice), the heap pools' current use summed as the baseline, every heap pool's peak reset; after it, the
 * pools' peaks summed minus the baseline. The young generation is 16 MiB, so the garbage counted in the
 * peak is bounded by it (eden fills, a minor collection empties it); the old generation's peak holds what
 * survived. The sum of per-pool peaks is an upper bound of the true simultaneous peak.</p>
 *
 * <p>The timings are meant to be taken with the JVM's default collector (a 16 MiB young generation makes them GC-bound),
 * interleaved in rounds across the n as the Harness does, and the peaks in a second JVM:</p>
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... dev.dualgrad.bench.SparseScaling all time 3
 * java -XX:+UseSerialGC -Xmn16m --add-modules jdk.incubator.vector -cp ... dev.dualgrad.bench.SparseScaling all memory
 * </pre>
 */
public final class SparseScaling {
    private SparseScaling() {}

    private static volatile Object sink;

    /** The timed steps of one problem at one n, in the table's order. */
    static final String[] STEPS = {"detect", "colour", "rest", "prepare", "evaluate"};

    /** One problem at one n: the timed steps, their samples in ms (all rounds pooled), and the two measured calls for the peaks. */
    record Case(String problem, int n, int colours, int lowerBound, int nnz, List<Supplier<Object>> steps, List<List<Double>> samples,
                Supplier<Object> prepare, Supplier<Object> evaluate) {
        Case {
            samples = new ArrayList<>();
            for (int i = 0; i < steps.size(); i++) samples.add(new ArrayList<>());
        }

        double median(int step) {
            double[] a = samples.get(step).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
        }

        double min(int step) {
            return samples.get(step).stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }
    }

    /**
     * {@code [rosenbrock|bratu|all] [time|memory|both] [rounds]}: timings are meant to be taken with the JVM's own GC
     * settings, the peaks with {@code -XX:+UseSerialGC -Xmn16m} (a 16 MiB young generation makes a GC-bound timing).
     */
    public static void main(String[] args) {
        String only = args.length > 0 ? args[0] : "all", measure = args.length > 1 ? args[1] : "both";
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<Case> rosen = new ArrayList<>(), bratu = new ArrayList<>();
        if (!only.equals("bratu")) for (int n : new int[] {1_000, 10_000, 100_000}) rosen.add(rosenbrock(n));
        if (!only.equals("rosenbrock")) for (int m : new int[] {32, 100, 256, 316}) bratu.add(bratu(m));
        List<Case> all = new ArrayList<>(rosen);
        all.addAll(bratu);
        if (!measure.equals("memory")) {
            // JIT warm-up: at n = 10⁵ detection takes ~5 calls to settle (286 ms on the first, 27 ms from the fifth), so at least 8
            for (Case c : all) for (Supplier<Object> s : c.steps) time(s, 1.0, 8, null);
            // rounds interleaved across the cases, as the Harness does, so that a noisy moment does not land on one n only
            for (int r = 0; r < rounds; r++) for (Case c : all) for (int i = 0; i < c.steps.size(); i++) time(c.steps.get(i), 0.6, 3, c.samples.get(i));
        }
        double[][] peaks = new double[all.size()][];
        if (!measure.equals("time")) for (int k = 0; k < all.size(); k++) peaks[k] = new double[] {peakMiB(all.get(k).prepare), peakMiB(all.get(k).evaluate)};
        int k = 0;
        if (!rosen.isEmpty()) print("Rosenbrock Hessian (sparse, star colouring)", rosen, Arrays.copyOfRange(peaks, k, k += rosen.size()), measure);
        if (!bratu.isEmpty()) print("Bratu Jacobian (sparse, λ = 6, m×m grid)", bratu, Arrays.copyOfRange(peaks, k, k + bratu.size()), measure);
    }

    static Case rosenbrock(int n) {
        TensorFunction f = SparseBench::rosenbrock;
        Tensor x = TensorRandom.seed(11 + n).normal(n);
        int[][] rows = Detection.hessianRows("bench", f, x);
        SparsityPattern pattern = SparsityPattern.fromRows(n, rows);
        Coloring star = Coloring.star(pattern);
        SparseHessian h = SparseHessian.prepare(f, x);
        check(h.evaluate(x), n);
        return new Case("rosenbrock", n, h.plan().colours(), h.plan().lowerBound(), h.pattern().nonZeros(), List.of(
                () -> Detection.hessianRows("bench", f, x),
                () -> Coloring.star(pattern),
                // the rest of prepare: the CSR pattern from the rows, the star decompression plan and its lower bound
                () -> new Object[] {SparsityPattern.fromRows(n, rows), Decompression.starPlan(pattern, star), Coloring.starLowerBound(pattern)},
                () -> SparseHessian.prepare(f, x),
                () -> h.evaluate(x)), null, () -> SparseHessian.prepare(f, x), () -> h.evaluate(x));
    }

    static Case bratu(int m) {
        int n = m * m;
        TensorFunction f = SparseBench.bratu(m, SparseBench.LAMBDA);
        Tensor u = SparseBench.bratuPoint(m);
        int[][] rows = Detection.jacobianRows("bench", f, u);
        SparsityPattern pattern = SparsityPattern.fromRows(n, rows);
        Coloring columns = Coloring.columns(pattern);
        SparseJacobian j = SparseJacobian.prepare(f, u);
        check(j.evaluate(u), n);
        return new Case("bratu m=" + m, n, j.plan().colours(), j.plan().lowerBound(), j.pattern().nonZeros(), List.of(
                () -> Detection.jacobianRows("bench", f, u),
                () -> pattern.isSymmetric() ? new Coloring[] {Coloring.columns(pattern)} // prepare colours a symmetric pattern once
                        : new Coloring[] {Coloring.columns(pattern), Coloring.rows(pattern)},  // else both, to choose the mode
                () -> new Object[] {SparsityPattern.fromRows(n, rows), Decompression.forwardPlan(pattern, columns)},
                () -> SparseJacobian.prepare(f, u),
                () -> j.evaluate(u)), null, () -> SparseJacobian.prepare(f, u), () -> j.evaluate(u));
    }

    private static void check(SparseMatrix a, int n) {
        if (a.rows() != n || a.columns() != n) throw new AssertionError("expected " + n + "×" + n + ", got " + a);
    }

    /** Calls body for about {@code seconds} (at least {@code atLeast} calls, at most 50), adding each call's wall time in ms to out (unless null). */
    static void time(Supplier<Object> body, double seconds, int atLeast, List<Double> out) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        for (int i = 0; (i < atLeast || System.nanoTime() < end) && i < 50; i++) {
            long t = System.nanoTime();
            sink = body.get();
            if (out != null) out.add((System.nanoTime() - t) / 1e6);
        }
    }

    /** Peak heap of one call above the live set before it, in MiB (the method is in the class javadoc); the median of 3. */
    static double peakMiB(Supplier<Object> body) {
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
        double[] r = new double[3];
        for (int k = 0; k < r.length; k++) {
            sink = null;
            System.gc();
            System.gc();
            long base = 0;
            for (MemoryPoolMXBean p : heap) base += p.getUsage().getUsed();
            for (MemoryPoolMXBean p : heap) p.resetPeakUsage();
            Object result = body.get();
            long peak = 0;
            for (MemoryPoolMXBean p : heap) peak += p.getPeakUsage().getUsed();
            sink = result; // kept alive until the peaks are read
            r[k] = (peak - base) / (1024.0 * 1024.0);
        }
        Arrays.sort(r);
        return r[1];
    }

    private static void print(String title, List<Case> cases, double[][] peaks, String measure) {
        Case b = cases.get(0);
        boolean mem = !measure.equals("time"), time = !measure.equals("memory");
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%n%s (%s; young gen %s)%n%n", title, time ? "ms: median of all samples, in brackets the minimum" : "peaks only", youngGen()));
        sb.append("| problem | n | colours (lower bound) | nnz | detect ms | colour ms | rest of prepare ms | prepare ms | evaluate ms | peak MiB prepare | peak MiB evaluate |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (int k = 0; k < cases.size(); k++) {
            Case c = cases.get(k);
            sb.append(String.format(Locale.ROOT, "| %s | %,d | %d (%d) | %,d |", c.problem, c.n, c.colours, c.lowerBound, c.nnz));
            for (int i = 0; i < STEPS.length; i++) sb.append(time ? String.format(Locale.ROOT, " %.3g (%.3g) |", c.median(i), c.min(i)) : " |");
            sb.append(mem ? String.format(Locale.ROOT, " %.2f | %.2f |%n", peaks[k][0], peaks[k][1]) : " | |\n");
        }
        sb.append("\nPer-n cost normalised to the smallest n: (value/n) / (value₀/n₀), 1.0 = linear; time from the medians (in brackets from the minima):\n\n");
        sb.append("| problem | n | detect | colour | rest of prepare | prepare | evaluate | peak prepare | peak evaluate |\n|---|---|---|---|---|---|---|---|---|\n");
        for (int k = 0; k < cases.size(); k++) {
            Case c = cases.get(k);
            double r = (double) b.n / c.n;
            sb.append(String.format(Locale.ROOT, "| %s | %,d |", c.problem, c.n));
            for (int i = 0; i < STEPS.length; i++) {
                sb.append(time ? String.format(Locale.ROOT, " %.2f (%.2f) |", c.median(i) / b.median(i) * r, c.min(i) / b.min(i) * r) : " |");
            }
            sb.append(mem ? String.format(Locale.ROOT, " %.2f | %.2f |%n", peaks[k][0] / peaks[0][0] * r, peaks[k][1] / peaks[0][1] * r) : " | |\n");
        }
        System.out.print(sb);
    }

    private static String youngGen() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP && !p.getName().contains("Tenured")
                && !p.getName().contains("Old")).mapToLong(p -> p.getUsage().getMax()).sum() / (1024 * 1024) + " MiB max";
    }

}
