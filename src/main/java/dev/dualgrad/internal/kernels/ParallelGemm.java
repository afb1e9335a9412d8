package dev.dualgrad.internal.kernels;

import dev.dualgrad.internal.engine.Gang;
import dev.dualgrad.internal.engine.Pools;
import dev.dualgrad.tensor.Parallelism;

/** Splits one large product over the threads that {@link Parallelism} has in effect on this thread. */
final class ParallelGemm {
    private ParallelGemm() {}

    /**
     * C += op(A)·op(B) with {@code kernel} (arguments as {@link Kernels.Gemm}), split over the threads in
     * effect when it is large enough: by rows of C when m ≥ n, else by columns. bImmutable: B is a tensor's
     * buffer; cZero: C holds zeros (see {@link Kernels#productIntoZeros}).
     */
    static void gemm(Kernels.Gemm kernel, boolean ta, boolean tb, int m, int n, int k, double[] a, int ao, int lda,
            double[] b, int bo, int ldb, double[] c, int co, int ldc, boolean bImmutable, boolean cZero) {
        if (2L * m * k * n < Parallelism.MIN_FLOPS || Math.max(m, n) < 32) {
            kernel.gemm(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, bImmutable ? kernel.keptB(ta, tb, m, n, k, b, bo, ldb) : null, cZero);
            return;
        }
        Gang gang = Pools.acquire();
        try {
            boolean byRows = m >= n;
            int parts = gang == null ? 1 : Math.min(gang.threads(), Math.max(m, n) / 16);
            if (parts <= 1) {
                kernel.gemm(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, bImmutable ? kernel.keptB(ta, tb, m, n, k, b, bo, ldb) : null, cZero);
                return;
            }
            int len = byRows ? m : n;
            // by rows every part multiplies all of B: one answer for all (a fresh B is then one sighting, not one per
            // part); by columns each part has its own columns of B, and asks for them itself
            Object keptRows = bImmutable && byRows ? kernel.keptB(ta, tb, m, n, k, b, bo, ldb) : null;
            gang.run(parts, t -> {
                int s0 = (int) ((long) len * t / parts), s1 = (int) ((long) len * (t + 1) / parts);
                if (byRows) {
                    kernel.gemm(ta, tb, s1 - s0, n, k, a, ao + (ta ? s0 : s0 * lda), lda, b, bo, ldb, c, co + s0 * ldc, ldc, keptRows, cZero);
                } else {
                    int bp = bo + (tb ? s0 * ldb : s0);
                    Object kept = bImmutable ? kernel.keptB(ta, tb, m, s1 - s0, k, b, bp, ldb) : null;
                    kernel.gemm(ta, tb, m, s1 - s0, k, a, ao, lda, b, bp, ldb, c, co + s0, ldc, kept, cZero);
                }
            });
        } finally {
            Pools.release(gang);
        }
    }
}
