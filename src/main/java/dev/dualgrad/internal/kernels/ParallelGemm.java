package dev.dualgrad.internal.kernels;

import dev.dualgrad.tensor.Parallelism;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/** Splits one large product over the pool that {@link Parallelism} has in effect on this thread. */
final class ParallelGemm {
    private ParallelGemm() {}

    /**
     * C += op(A)·op(B) with {@code kernel} (arguments as {@link Kernels.Gemm}), split over the current pool
     * when it is large enough: by rows of C when m ≥ n, else by columns.
     */
    static void gemm(Kernels.Gemm kernel, boolean ta, boolean tb, int m, int n, int k, double[] a, int ao, int lda,
            double[] b, int bo, int ldb, double[] c, int co, int ldc) {
        ForkJoinPool pool = Parallelism.current();
        boolean byRows = m >= n;
        int parts = pool == null ? 1 : (int) Math.min(pool.getParallelism(), Math.max(m, n) / 16);
        if (parts <= 1 || 2L * m * k * n < Parallelism.MIN_FLOPS) {
            kernel.gemm(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc);
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[parts];
        int len = byRows ? m : n;
        for (int t = 0; t < parts; t++) {
            int s0 = (int) ((long) len * t / parts), s1 = (int) ((long) len * (t + 1) / parts);
            tasks[t] = ForkJoinTask.adapt(byRows
                    ? () -> kernel.gemm(ta, tb, s1 - s0, n, k, a, ao + (ta ? s0 : s0 * lda), lda, b, bo, ldb, c, co + s0 * ldc, ldc)
                    : () -> kernel.gemm(ta, tb, m, s1 - s0, k, a, ao, lda, b, bo + (tb ? s0 * ldb : s0), ldb, c, co + s0, ldc));
        }
        if (ForkJoinTask.inForkJoinPool() && ForkJoinTask.getPool() == pool) {
            ForkJoinTask.invokeAll(tasks);
        } else {
            for (ForkJoinTask<?> task : tasks) pool.execute(task);
            for (ForkJoinTask<?> task : tasks) task.join();
        }
    }
}
