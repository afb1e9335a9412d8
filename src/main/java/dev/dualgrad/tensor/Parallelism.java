package dev.dualgrad.tensor;

import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.Supplier;

/**
 * Where large matrix products may run in parallel: a {@link ForkJoinPool} chosen by the caller, or none.
 *
 * <p>By default there is no pool and every kernel runs on the calling thread (the benchmarks' "one
 * thread"). With {@link #use(ForkJoinPool)}, a product of at least {@link #MIN_FLOPS} floating-point
 * operations is split by rows (or columns) of C into at most {@code pool.getParallelism()} blocks, one task each. The
 * kernels compute each element of C with the same sequence of operations whatever rows surround it, so
 * the parallel result is bitwise the single-threaded one (tested), whatever the pool's size.</p>
 *
 * <pre>{@code
 * ForkJoinPool pool = new ForkJoinPool(2);
 * Parallelism.use(pool);          // for every thread, until use(null)
 * Tensor j = Parallelism.with(pool, () -> Diff.jacobian(f, x)); // or for one computation on this thread
 * }</pre>
 */
public final class Parallelism {
    private Parallelism() {}

    /** Products smaller than this (2·m·k·n) stay on the calling thread: forking costs more than it saves. */
    public static final long MIN_FLOPS = 1L << 22;

    private static volatile ForkJoinPool global;
    private static final ThreadLocal<ForkJoinPool> SCOPED = new ThreadLocal<>();

    /** Sets the pool used by every thread that has no {@link #with} scope; null means single-threaded. */
    public static void use(ForkJoinPool pool) {
        global = pool;
    }

    /** Runs {@code body} on this thread with {@code pool} for its large products, then restores the previous one. */
    public static <T> T with(ForkJoinPool pool, Supplier<T> body) {
        Objects.requireNonNull(pool, "pool");
        ForkJoinPool before = SCOPED.get();
        SCOPED.set(pool);
        try {
            return body.get();
        } finally {
            if (before == null) SCOPED.remove();
            else SCOPED.set(before);
        }
    }

    /** The pool in effect on this thread, or null. */
    public static ForkJoinPool current() {
        ForkJoinPool p = SCOPED.get();
        return p != null ? p : global;
    }

    /**
     * C += op(A)·op(B) with {@code kernel} (arguments as {@link Kernels.Gemm}), split over the current pool
     * when it is large enough: by rows of C when m ≥ n, else by columns.
     */
    static void gemm(Kernels.Gemm kernel, boolean ta, boolean tb, int m, int n, int k, double[] a, int ao, int lda,
            double[] b, int bo, int ldb, double[] c, int co, int ldc) {
        ForkJoinPool pool = current();
        boolean byRows = m >= n;
        int parts = pool == null ? 1 : (int) Math.min(pool.getParallelism(), Math.max(m, n) / 16);
        if (parts <= 1 || 2L * m * k * n < MIN_FLOPS) {
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
