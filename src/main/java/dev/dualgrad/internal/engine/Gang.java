package dev.dualgrad.internal.engine;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.IntConsumer;

/**
 * The threads that one piece of split work runs on: the default {@link Team}, or a caller's
 * {@link ForkJoinPool}. Split sites ask {@link Pools#acquire()} for one, cut their work into at most
 * {@link #threads()} parts, and {@link #run} them.
 */
public interface Gang {
    /** @return how many parts can run at once */
    int threads();

    /**
     * Runs part(0) … part(parts − 1), each once, and returns when all have finished; the first failure
     * is rethrown after that.
     */
    void run(int parts, IntConsumer part);

    /**
     * A caller's pool: from its own workers by {@code invokeAll} (work stealing); from any other thread, the
     * caller computes the first part and the pool the others (submitted, then joined).
     */
    static Gang of(ForkJoinPool pool) {
        return new Gang() {
            @Override
            public int threads() {
                return pool.getParallelism();
            }

            @Override
            public void run(int parts, IntConsumer part) {
                ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[parts];
                for (int t = 0; t < parts; t++) {
                    int p = t;
                    tasks[t] = ForkJoinTask.adapt(() -> part.accept(p));
                }
                if (ForkJoinTask.inForkJoinPool() && ForkJoinTask.getPool() == pool) {
                    ForkJoinTask.invokeAll(tasks);
                    return;
                }
                // the caller would only wait: it computes the first part while the pool's threads take the others
                for (int t = 1; t < parts; t++) pool.execute(tasks[t]);
                Throwable first = null;
                for (int t = 0; t < parts; t++) {
                    try {
                        if (t == 0) tasks[0].invoke();
                        else tasks[t].join();
                    } catch (RuntimeException | Error e) {
                        // a task that failed on another thread is rethrown as a copy wrapping the original: give the original
                        Throwable original = e.getCause() != null && e.getCause().getClass() == e.getClass() ? e.getCause() : e;
                        if (first == null) first = original;
                    }
                }
                Team.rethrow(first);
            }
        };
    }
}
