package dev.dualgrad.internal.engine;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The engine's side of {@code dev.dualgrad.tensor.Parallelism}: the setting in effect on each thread, the
 * default's threads, and the rules that keep the default from oversubscribing the machine.
 *
 * <p>A setting is a caller's {@link ForkJoinPool}, {@link #SINGLE} (the calling thread only) or
 * {@link #DEFAULT}. Under the default, work large enough to split runs on {@link #defaultThreads()} threads
 * ({@code -Ddualgrad.threads=N}, else the machine's processors): the calling thread and one shared
 * {@link Team} of N − 1 daemon workers, created at its first use; except where the cores are already taken
 * by the caller's own threads:</p>
 * <ul>
 * <li>on a worker thread of some other {@code ForkJoinPool} (parallel streams, the common pool, a caller's
 *     pool), which is already one of many threads meant to fill the cores;</li>
 * <li>inside an Apache Spark task ({@code org.apache.spark.TaskContext.get() != null}): Spark runs one task
 *     per core;</li>
 * <li>on one of the team's own workers (work that a part splits again runs on the part's thread);</li>
 * <li>while another thread's work holds the team: it serves one caller at a time, so a server with
 *     many request threads runs each on its own thread instead of queueing them all behind one team.</li>
 * </ul>
 * <p>A caller's own pool is used as given, without these rules. None of this changes a result: the split
 * sites compute every element with the same operations whatever the pool, so only the time differs.</p>
 */
public final class Pools {
    private Pools() {}

    /** The calling thread only. */
    public static final Object SINGLE = new Object();
    /** The library's default (see the class comment). */
    public static final Object DEFAULT = new Object();

    private static final String THREADS_PROPERTY = System.getProperty("dualgrad.threads");
    /** The parsed property, or 0 when it is malformed (then {@link #defaultThreads} throws at every use). */
    private static final int DEFAULT_THREADS = parsedOrZero(THREADS_PROPERTY);
    private static volatile Object global = DEFAULT;
    private static final ThreadLocal<Object> SCOPED = new ThreadLocal<>();
    /** Callers now running split work on the default team: 0 or 1. */
    private static final AtomicInteger DEFAULT_CALLERS = new AtomicInteger();
    private static volatile Team team;
    private static final MethodHandle SPARK_TASK_CONTEXT = sparkTaskContext();

    /**
     * The default's thread count: {@code -Ddualgrad.threads=N} (N ≥ 1), else
     * {@link Runtime#availableProcessors()} (which honours the container's CPU limit).
     *
     * @return the default's thread count, the caller included; 1 means no team
     * @throws IllegalArgumentException when the property is not a whole number ≥ 1
     */
    public static int defaultThreads() {
        return DEFAULT_THREADS > 0 ? DEFAULT_THREADS : threadsProperty(THREADS_PROPERTY);
    }

    private static int parsedOrZero(String value) {
        try {
            return threadsProperty(value);
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    static int threadsProperty(String value) {
        if (value == null || value.isBlank()) return Math.max(1, Runtime.getRuntime().availableProcessors());
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-Ddualgrad.threads=" + value + " is not a whole number of threads; give 1 for one"
                    + " thread, N for a default pool of N threads, or leave it unset for one thread per processor", e);
        }
        if (n < 1) {
            throw new IllegalArgumentException("-Ddualgrad.threads=" + value + ": the thread count must be at least 1 (1 = one thread)");
        }
        return n;
    }

    /** Sets the setting of every thread without a scope: a pool, {@link #SINGLE} or {@link #DEFAULT}. */
    public static void setGlobal(Object setting) {
        global = check(setting);
    }

    /** Runs body with {@code setting} on this thread, then restores the previous scope (also when it throws). */
    public static <T> T withScope(Object setting, Supplier<T> body) {
        check(setting);
        Object before = SCOPED.get();
        SCOPED.set(setting);
        try {
            return body.get();
        } finally {
            if (before == null) SCOPED.remove();
            else SCOPED.set(before);
        }
    }

    private static Object check(Object setting) {
        if (setting != SINGLE && setting != DEFAULT && !(setting instanceof ForkJoinPool)) throw new IllegalArgumentException(String.valueOf(setting));
        return setting;
    }

    /** The setting on this thread: its scope, else the global one. */
    private static Object setting() {
        Object s = SCOPED.get();
        return s != null ? s : global;
    }

    /**
     * The caller's pool in effect on this thread (its scope, else the global setting), or null when the
     * setting is {@link #SINGLE} or {@link #DEFAULT}.
     */
    public static ForkJoinPool callersPool() {
        Object s = setting();
        return s instanceof ForkJoinPool ? (ForkJoinPool) s : null;
    }

    /**
     * How many threads large work started on this thread would run on now: a caller's pool's
     * parallelism, the default's {@link #defaultThreads()} where the default applies (see the class
     * comment; the one-caller-at-a-time rule aside, which depends on the moment), else 1.
     */
    public static int threadsInEffect() {
        Object s = setting();
        if (s instanceof ForkJoinPool) return ((ForkJoinPool) s).getParallelism();
        return s == DEFAULT && defaultApplies() ? defaultThreads() : 1;
    }

    /** The default's rules, but for the one caller at a time. */
    private static boolean defaultApplies() {
        if (defaultThreads() < 2) return false;
        Thread t = Thread.currentThread();
        return !(t instanceof ForkJoinWorkerThread) && !Team.isWorker(t) && !inSparkTask();
    }

    /**
     * The threads for one piece of split work, or null to run it on this thread; a non-null result must be
     * given back to {@link #release} when the work is done (in a finally block).
     */
    public static Gang acquire() {
        Object s = setting();
        if (s instanceof ForkJoinPool) return Gang.of((ForkJoinPool) s);
        if (s != DEFAULT || !defaultApplies()) return null;
        if (!DEFAULT_CALLERS.compareAndSet(0, 1)) return null; // another caller holds it: this one runs on its own thread
        try {
            return team();
        } catch (RuntimeException | Error e) { // no threads to be had (OutOfMemoryError: unable to create native thread)
            DEFAULT_CALLERS.set(0);
            throw e;
        }
    }

    /** Work on the contiguous units [from, to), run as part {@code part}. */
    public interface Range {
        void run(int part, int from, int to);
    }

    /**
     * Runs [0, count) cut into {@code parts} contiguous ranges on {@code gang} (from {@link #acquire}), part t
     * taking [count·t / parts, count·(t + 1) / parts). A caller's pool in effect also takes the work inside each
     * part: its workers would otherwise see no setting of their own and run that work alone.
     */
    public static void runRanges(Gang gang, int parts, int count, Range body) {
        ForkJoinPool pool = callersPool();
        gang.run(parts, t -> {
            int from = (int) ((long) count * t / parts), to = (int) ((long) count * (t + 1) / parts);
            if (pool == null) {
                body.run(t, from, to);
            } else {
                withScope(pool, () -> {
                    body.run(t, from, to);
                    return null;
                });
            }
        });
    }

    /** Gives back what {@link #acquire} returned. */
    public static void release(Gang g) {
        if (g != null && g == team) DEFAULT_CALLERS.decrementAndGet();
    }

    private static Team team() {
        Team t = team;
        if (t == null) {
            synchronized (Pools.class) {
                t = team;
                if (t == null) team = t = new Team(defaultThreads(), "dualgrad-worker-");
            }
        }
        return t;
    }

    private static boolean inSparkTask() {
        if (SPARK_TASK_CONTEXT == null) return false;
        try {
            return SPARK_TASK_CONTEXT.invoke() != null;
        } catch (Throwable e) {
            return false;
        }
    }

    /** {@code TaskContext.get()} when Spark is on the class path, else null (looked up once). */
    private static MethodHandle sparkTaskContext() {
        try {
            Class<?> c = Class.forName("org.apache.spark.TaskContext", false, Pools.class.getClassLoader());
            return MethodHandles.publicLookup().findStatic(c, "get", MethodType.methodType(c)).asType(MethodType.methodType(Object.class));
        } catch (ReflectiveOperationException | LinkageError | SecurityException | NullPointerException e) {
            return null;
        }
    }
}
