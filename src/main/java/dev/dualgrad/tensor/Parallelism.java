package dev.dualgrad.tensor;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Pools;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;

/**
 * How many threads dualgrad's large products and large elementwise work may use. The results are
 * bitwise the same whatever the setting: every element is computed by the same operations in the same
 * order on whichever thread computes it (tested on the kernels and on whole gradients, JVPs and batch
 * Jacobians), so threads change the time and nothing else.
 *
 * <p><b>The default uses every core.</b> A matrix product of at least {@link #MIN_FLOPS} floating-point
 * operations is split by rows (or columns) of C, and a large elementwise op (tanh, the strong-zero
 * product, broadcast arithmetic) by ranges of elements, over {@link #defaultThreads()} threads: the
 * calling thread and a shared team of daemon workers, created at first use, that spin for 0.2 ms after
 * each piece of work before they sleep (so that the products of one gradient find them awake). Smaller
 * work stays on the calling thread, where splitting would cost more than it saves. The default does not
 * stack its threads on top of threads that already fill the cores: it runs everything on the calling
 * thread</p>
 * <ul>
 * <li>on a worker of another {@link ForkJoinPool} (a parallel stream's, the common pool's, the caller's own
 *     pool's),</li>
 * <li>inside an Apache Spark task (Spark already runs one task per core),</li>
 * <li>on one of its own workers (work that a part splits again runs on the part's thread),</li>
 * <li>while another thread's work holds the default's threads (they serve one caller at a time; a server
 *     with many request threads then runs the others on their own threads, so the cores are shared by
 *     those threads and the default's N − 1 workers).</li>
 * </ul>
 * <p>What these rules cannot see (a thread that starts a parallel stream and helps run it, a caller's own
 * threads outside any pool) is the caller's to say, by one of the settings below.</p>
 *
 * <p><b>One thread</b>: start the JVM with {@code -Ddualgrad.threads=1}, or call {@code use(null)}, or
 * run one computation with {@link #singleThreaded}. Do so wherever your own threads already keep the
 * cores busy in a way the rules above cannot see. {@code -Ddualgrad.threads=N} sizes the default
 * instead.</p>
 *
 * <pre>{@code
 * Tensor g = Diff.grad(loss, params).get(0);                        // default: all cores for large work
 * Tensor h = Parallelism.singleThreaded(() -> Diff.hessian(f, x));   // this computation on this thread only
 * ForkJoinPool pool = new ForkJoinPool(4);
 * Tensor j = Parallelism.with(pool, () -> Diff.jacobian(f, x));      // or on a pool of your own
 * Parallelism.use(null);                                            // every thread: one thread, until
 * Parallelism.useDefault();                                         // the default again
 * }</pre>
 */
public final class Parallelism {
    private Parallelism() {}

    /** Products smaller than this (2·m·k·n, 2 MFLOP) stay on the calling thread: splitting costs more than it saves. */
    public static final long MIN_FLOPS = 1L << 21;

    /**
     * The default's thread count, the calling thread included: {@code -Ddualgrad.threads=N} when given (N ≥ 1), else
     * {@link Runtime#availableProcessors()}; 1 means the default runs everything on the calling thread.
     *
     * @return the default thread count
     * @throws IllegalArgumentException when {@code dualgrad.threads} is not a whole number ≥ 1: then every
     *     large product or elementwise op under the default throws it too, naming the property
     */
    public static int defaultThreads() {
        return Pools.defaultThreads();
    }

    /**
     * Sets the pool used by every thread that has no {@link #with} or {@link #singleThreaded} scope.
     *
     * @param pool the pool, or null for one thread (the calling one) everywhere
     * @throws IllegalArgumentException when the pool is shut down (it could run no product)
     */
    public static void use(ForkJoinPool pool) {
        if (pool != null) running(pool, "use");
        Pools.setGlobal(pool == null ? Pools.SINGLE : pool);
    }

    /** Restores the default for every thread without a scope: all cores for large work, under the rules of the class comment. */
    public static void useDefault() {
        Pools.setGlobal(Pools.DEFAULT);
    }

    /**
     * Runs {@code body} on this thread with {@code pool} for its large work, then restores the previous
     * setting (also when the body throws). The results are bitwise those of one thread.
     *
     * @param <T> the body's result type
     * @param pool the pool to split large work over
     * @param body the computation
     * @return what the body returned
     * @throws NullPointerException when pool or body is null
     * @throws IllegalArgumentException when the pool is shut down
     */
    public static <T> T with(ForkJoinPool pool, Supplier<T> body) {
        Args.nonNull(pool, "Parallelism.with", "pool");
        Args.nonNull(body, "Parallelism.with", "body");
        running(pool, "with");
        return Pools.withScope(pool, body);
    }

    /**
     * Runs {@code body} with all of its work on the calling thread, then restores the previous setting
     * (also when the body throws).
     *
     * @param <T> the body's result type
     * @param body the computation
     * @return what the body returned
     * @throws NullPointerException when body is null
     */
    public static <T> T singleThreaded(Supplier<T> body) {
        Args.nonNull(body, "Parallelism.singleThreaded", "body");
        return Pools.withScope(Pools.SINGLE, body);
    }

    /**
     * The pool of the caller's that is in effect on this thread: its {@link #with} pool, else the one set
     * by {@link #use}; null under the default and under one thread ({@link #threads()} tells those apart).
     *
     * @return the caller's pool, or null
     */
    public static ForkJoinPool current() {
        return Pools.callersPool();
    }

    /**
     * How many threads large work started on this thread would run on now: the caller's pool's
     * parallelism; under the default, {@link #defaultThreads()} where the default applies (see the class
     * comment; whether another thread holds the default's threads at that moment aside), else 1.
     *
     * @return the thread count, at least 1
     */
    public static int threads() {
        return Pools.threadsInEffect();
    }

    private static void running(ForkJoinPool pool, String op) {
        if (pool.isShutdown()) {
            throw new IllegalArgumentException("Parallelism." + op + ": pool is shut down and would reject every product; "
                    + "give a running pool, or null (use) for single-threaded products");
        }
    }
}
