package dev.dualgrad.internal.kernels;

import dev.dualgrad.internal.engine.Gang;
import dev.dualgrad.internal.engine.Pools;

/**
 * Splits elementwise work on [0, n) into contiguous ranges over the threads in effect
 * ({@code Parallelism}), when there are several and the work is large enough. Each element is computed by
 * the same code whichever range holds it (the kernels give bitwise the same value in a vector lane and
 * in the scalar tail), so the split changes no bit.
 */
final class ParallelRanges {
    private ParallelRanges() {}

    /** Elementwise work on elements [from, to). */
    interface Range {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over [0, n): on this thread when n &lt; 2·minPerPart or one thread is in effect,
     * else in at most one range per thread, each of at least minPerPart elements, cut at multiples of 64
     * elements (a multiple of every vector width, so each range's lanes line up as one thread's would; the
     * values would be the same bits anyway, the kernels' tails computing what their lanes do).
     */
    static void run(int n, int minPerPart, Range body) {
        run(n, minPerPart, 64, body);
    }

    /** The same over [0, n) counted in units (rows, say) rather than elements: cuts at multiples of {@code align}. */
    static void run(int n, int minPerPart, int align, Range body) {
        if (n < 2 * minPerPart) {
            body.run(0, n);
            return;
        }
        Gang gang = Pools.acquire();
        try {
            int parts = gang == null ? 1 : Math.min(gang.threads(), n / minPerPart);
            if (parts <= 1) {
                body.run(0, n);
                return;
            }
            gang.run(parts, t -> body.run(cut(n, t, parts, align), cut(n, t + 1, parts, align)));
        } finally {
            Pools.release(gang);
        }
    }

    private static int cut(int n, int t, int parts, int align) {
        return t == parts ? n : (int) ((long) n * t / parts / align * align);
    }
}
