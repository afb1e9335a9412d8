package dev.dualgrad.bench;

import dev.dualgrad.Diff;
import dev.dualgrad.nn.Linear;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.LaplacianOptions;
import dev.dualgrad.transforms.TensorFunction;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Peak live memory of the forward Laplacian through a deep network (issue 18), beside the forward JVP's
 * and today's Hessian route: 64 tanh layers of width 256 (the first D = 16 → 256), then a sum over the
 * features, for a batch of B = 32 points (and for one point).
 *
 * <p>As in {@link PeakMemory}, the network calls a probe after every layer that runs a full collection
 * and reads the heap in use (the parameters and the inputs, allocated before, are subtracted). Forward
 * routes hold only the current layer's values: the primal [B, 256] (64 KiB), the JVP's one tangent beside
 * it, {@code jvpBatched}'s D tangents [D, B, 256] (1 MiB), and the forward Laplacian's D first-order rows
 * and one second-order row, [D + 1, B, 256] (1.06 MiB), so theirs should stay flat with depth. Today's
 * Laplacian route, {@code jvpBatched} (D directions) over {@code grad}, keeps a reverse tape of every
 * layer's values, each with its D tangents, so its live set grows with depth. batchLaplacian runs without
 * the independence check here (the check calls f once more, on a probe batch, which would add its own
 * samples). Run with a stop-the-world collector: {@code java -XX:+UseSerialGC ... LaplacianPeakMemory}
 * ({@code src/bench/taylor_compare.sh} does).</p>
 */
public final class LaplacianPeakMemory {
    private LaplacianPeakMemory() {}

    static final int DEPTH = 64, WIDTH = 256, BATCH = 32, D = 16;
    private static final MemoryMXBean HEAP = ManagementFactory.getMemoryMXBean();
    private static final int[] REPORTED = {1, 8, 16, 32, 64};

    private static long liveBytes() {
        System.gc();
        System.gc();
        return HEAP.getHeapMemoryUsage().getUsed();
    }

    /**
     * Prints the table (markdown) of live memory after layers 1, 8, 16, 32 and 64, the peak, and the growth
     * per layer from layer 8 to 64.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        Linear[] layers = new Linear[DEPTH];
        for (int l = 0; l < DEPTH; l++) layers[l] = new Linear(l == 0 ? D : WIDTH, WIDTH, 3 + l);
        Tensor x = TensorRandom.seed(4).normal(BATCH, D), v = TensorRandom.seed(5).normal(BATCH, D);
        Tensor x1 = TensorRandom.seed(6).normal(D), v1 = TensorRandom.seed(7).normal(D);
        Tensor dirs = TaylorBench.unitDirections(BATCH, D);
        List<Long> samples = new ArrayList<>();
        TensorFunction probed = z -> {
            Tensor h = z;
            for (int l = 0; l < DEPTH; l++) {
                h = layers[l].forward(h).tanh();
                samples.add(liveBytes());
            }
            return h.sum(-1);
        };
        TensorFunction one = z -> probed.apply(z.reshape(1, D)).reshape();
        LaplacianOptions noCheck = LaplacianOptions.defaults().checkIndependence(false);
        String[] names = {"primal (no derivatives)", "forward JVP (1 tangent)", "jvpBatched (D = 16 tangents)",
            "batchLaplacian (D = 16)", "today: jvpBatched over grad", "one point: JVP", "one point: laplacian"};
        List<Supplier<Object>> bodies = List.of(
                () -> probed.apply(x),
                () -> Diff.jvp(probed, x, v),
                () -> Diff.jvpBatched(probed, x, dirs),
                () -> Diff.batchLaplacian(probed, x, noCheck),
                () -> TaylorBench.oldLaplacian(probed, x, dirs),
                () -> Diff.jvp(one, x1, v1),
                () -> Diff.laplacian(one, x1));
        measure(samples, bodies.get(0)); // once unrecorded: the first run pays for lazily created buffers, not the depth
        long[][] r = new long[names.length][];
        for (int i = 0; i < names.length; i++) r[i] = measure(samples, bodies.get(i));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Live heap above the parameters and inputs after layer L: %d tanh layers of width %d (the first %d → %d), "
                + "batch %d, then a sum over the features (full GC after every layer; one activation [%d, %d] is %d KiB):%n%n",
                DEPTH, WIDTH, D, WIDTH, BATCH, BATCH, WIDTH, BATCH * WIDTH * 8 / 1024));
        sb.append("| after layer |");
        for (String n : names) sb.append(' ').append(n).append(" |");
        sb.append("\n|---|");
        for (int i = 0; i < names.length; i++) sb.append("---|");
        sb.append('\n');
        for (int l : REPORTED) {
            sb.append("| ").append(l).append(" |");
            for (long[] c : r) sb.append(' ').append(mib(c[l - 1])).append(" |");
            sb.append('\n');
        }
        sb.append("| peak |");
        for (long[] c : r) sb.append(' ').append(mib(max(c))).append(" |");
        sb.append("\n| growth per layer, 8 → 64 |");
        for (long[] c : r) sb.append(String.format(Locale.ROOT, " %.1f KiB |", (c[63] - c[7]) / 56.0 / 1024));
        sb.append('\n');
        System.out.print(sb);
    }

    /** Runs body once and returns the live bytes above the baseline after each layer. */
    private static long[] measure(List<Long> samples, Supplier<Object> body) {
        samples.clear();
        long base = liveBytes();
        Object keep = body.get();
        if (samples.size() != DEPTH) throw new AssertionError("expected " + DEPTH + " probes, got " + samples.size());
        long[] r = new long[samples.size()];
        for (int i = 0; i < r.length; i++) r[i] = Math.max(0, samples.get(i) - base);
        if (keep == null) throw new AssertionError();
        return r;
    }

    private static long max(long[] a) {
        long m = 0;
        for (long x : a) m = Math.max(m, x);
        return m;
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.2f MiB", bytes / (1024.0 * 1024.0));
    }
}
