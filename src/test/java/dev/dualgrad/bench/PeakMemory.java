package dev.dualgrad.bench;

import dev.dualgrad.Diff;
import dev.dualgrad.internal.kernels.PackCacheAccess;
import dev.dualgrad.nn.Linear;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.Pullback;
import dev.dualgrad.transforms.TensorFunction;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Peak live memory of a JVP and of a VJP through a deep network: 64 tanh layers of width 256, batch 128.
 *
 * <p>The network's function calls a probe after every layer; the probe runs a full collection and reads
 * the heap in use, so each sample is the live set at that depth (the parameters and the input, allocated
 * before, are subtracted). Forward mode holds the current primal and tangent only, so its live set stays
 * flat with depth; the reverse tape keeps every layer's output for the backward sweep, so its live set
 * grows by one [128, 256] activation (256 KiB) per layer. The VJP's figure is taken at the end of the
 * recording, the moment before the backward sweep starts. Run with a stop-the-world collector for exact
 * figures: {@code java -XX:+UseSerialGC ... dev.dualgrad.bench.PeakMemory} (compare.sh does).</p>
 *
 * <p>Two things outside the transforms are kept apart. The kernel's per-thread pack buffers (8 MB a thread at 8-wide
 * vectors) are allocated by a warm-up run before the baseline, not counted as the first layer's. The packed-weight
 * cache keeps the panels of a weight from its second product on (a JVP multiplies each weight twice, primal and
 * tangent: 512 KiB a layer here), bounded at 64 MB: the samples leave its bytes out, and the table reports them on a
 * line of their own.</p>
 */
public final class PeakMemory {
    private PeakMemory() {}

    static final int DEPTH = 64, WIDTH = 256, BATCH = 128;
    private static final MemoryMXBean HEAP = ManagementFactory.getMemoryMXBean();
    private static final int[] REPORTED = {1, 8, 16, 32, 64};

    /**
     * The live heap after full collections, less the packed-weight cache's panels (reported apart). The least of four
     * collections' figures: what the cache drops (its keys are weak references) took up to three to be freed.
     */
    private static long liveBytes() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            least = Math.min(least, HEAP.getHeapMemoryUsage().getUsed());
        }
        return least - PackCacheAccess.bytesHeld();
    }

    public static void main(String[] args) {
        Linear[] layers = new Linear[DEPTH];
        for (int l = 0; l < DEPTH; l++) layers[l] = new Linear(WIDTH, WIDTH, 3 + l);
        Tensor x = TensorRandom.seed(4).normal(BATCH, WIDTH), v = TensorRandom.seed(5).normal(BATCH, WIDTH);
        List<Long> samples = new ArrayList<>();
        TensorFunction probed = z -> {
            Tensor h = z;
            for (int l = 0; l < DEPTH; l++) {
                h = layers[l].forward(h).tanh();
                samples.add(liveBytes());
            }
            return h;
        };
        Diff.jvp(probed, x, v); // warm-up: every thread's pack buffers exist before any baseline
        Diff.vjp(probed, x).apply(Tensor.ones(BATCH, WIDTH));
        PackCacheAccess.clear();
        long[] jvp = measure(samples, () -> Diff.jvp(probed, x, v));
        long cachedAfterJvp = PackCacheAccess.bytesHeld();
        long[] vjp = measure(samples, () -> {
            Pullback p = Diff.vjp(probed, x);
            return p.apply(Tensor.ones(BATCH, WIDTH));
        });
        long[] primal = measure(samples, () -> probed.apply(x));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Live heap above the parameters and input after layer L, %d tanh layers of width %d, batch %d "
                + "(full GC after every layer; one activation is %d KiB):%n%n", DEPTH, WIDTH, BATCH, BATCH * WIDTH * 8 / 1024));
        sb.append("| after layer | primal (no derivatives) | forward JVP (1 tangent) | reverse VJP (tape) |\n|---|---|---|---|\n");
        for (int l : REPORTED) {
            sb.append(String.format(Locale.ROOT, "| %d | %s | %s | %s |%n", l, mib(primal[l - 1]), mib(jvp[l - 1]), mib(vjp[l - 1])));
        }
        sb.append(String.format(Locale.ROOT, "| peak | %s | %s | %s |%n", mib(max(primal)), mib(max(jvp)), mib(max(vjp))));
        sb.append(String.format(Locale.ROOT, "%nNot counted above: the packed-weight cache held %s of panels after the JVP (each weight from its "
                + "second product on; at most 64 MB) and %s at the end.%n", mib(cachedAfterJvp), mib(PackCacheAccess.bytesHeld())));
        System.out.print(sb);
    }

    /** Runs body once and returns the live bytes above the baseline after each layer. */
    private static long[] measure(List<Long> samples, java.util.function.Supplier<Object> body) {
        samples.clear();
        long base = liveBytes();
        Object keep = body.get();
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
