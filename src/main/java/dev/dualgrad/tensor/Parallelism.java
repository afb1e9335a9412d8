package dev.dualgrad.tensor;

import dev.dualgrad.internal.engine.Args;
import java.util.concurrent.ForkJoinPool;
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

    /**
     * Sets the pool used by every thread that has no {@link #with} scope.
     *
     * @param pool the pool, or null for single-threaded products
     * @throws IllegalArgumentException when the pool is shut down (it could run no product)
     */
    public static void use(ForkJoinPool pool) {
        if (pool != null) running(pool, "use");
        global = pool;
    }

    /**
     * Runs {@code body} on this thread with {@code pool} for its large products, then restores the
     * previous one (also when the body throws). The results are bitwise those of one thread.
     *
     * @param <T> the body's result type
     * @param pool the pool to split large products over
     * @param body the computation
     * @return what the body returned
     * @throws NullPointerException when pool is null
     * @throws IllegalArgumentException when the pool is shut down
     */
    public static <T> T with(ForkJoinPool pool, Supplier<T> body) {
        Args.nonNull(pool, "Parallelism.with", "pool");
        Args.nonNull(body, "Parallelism.with", "body");
        running(pool, "with");
        ForkJoinPool before = SCOPED.get();
        SCOPED.set(pool);
        try {
            return body.get();
        } finally {
            if (before == null) SCOPED.remove();
            else SCOPED.set(before);
        }
    }

    /** @return the pool in effect on this thread (its {@link #with} scope, else the one set by {@link #use}), or null */
    public static ForkJoinPool current() {
        ForkJoinPool p = SCOPED.get();
        return p != null ? p : global;
    }

    private static void running(ForkJoinPool pool, String op) {
        if (pool.isShutdown()) {
            throw new IllegalArgumentException("Parallelism." + op + ": pool is shut down and would reject every product; "
                    + "give a running pool, or null (use) for single-threaded products");
        }
    }
}
