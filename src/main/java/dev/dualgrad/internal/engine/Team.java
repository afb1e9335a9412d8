package dev.dualgrad.internal.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The default's threads: the calling thread and {@code threads − 1} daemon workers that spin for a
 * moment after each piece of work before they sleep.
 *
 * <p>Why not a {@code ForkJoinPool}: its idle workers park at once, and waking a parked one cost as much
 * as the work on the 2-vCPU machines here: a tanh over 131,072 elements took 121 µs on one thread and
 * 128 µs split over a pool, a 128³ product 122 and 131 µs. Two threads handing work over by spinning ran
 * a loop in half its time down to parts of 12 µs (BENCHMARKS.md, issue 21). So the workers spin
 * for {@link #SPIN_NANOS} after each piece (the gaps between the products of one gradient are shorter
 * than that) and only then park, the way OpenMP runtimes keep their threads. A part is claimed by
 * whichever thread comes first, the caller included, so a worker still asleep delays nothing: the caller
 * computes its part too.</p>
 *
 * <p>One piece of work at a time: {@link Pools} gives the team to one caller at a time, and work that
 * a part itself splits runs on the part's thread.</p>
 */
final class Team implements Gang {
    /** How long an idle worker spins before it parks. */
    static final long SPIN_NANOS = 200_000;

    private final int threads;
    private final Worker[] workers;
    /** The work in progress, or null between pieces (so that no finished job keeps its arrays alive). */
    private volatile Job job;
    private long jobs;

    /** A team of {@code threads} (the caller included), its workers named {@code prefix + 1}, {@code prefix + 2}, … */
    Team(int threads, String prefix) {
        this.threads = threads;
        workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(prefix + (i + 1));
            workers[i].start();
        }
    }

    @Override
    public int threads() {
        return threads;
    }

    /** Whether the calling thread is one of the team's workers. */
    static boolean isWorker(Thread t) {
        return t instanceof Worker;
    }

    @Override
    public void run(int parts, IntConsumer part) {
        if (parts <= 1) {
            if (parts == 1) part.accept(0);
            return;
        }
        Job j = new Job(part, parts, ++jobs);
        job = j; // volatile: publishes the job; a worker that announced its sleep before this is woken below
        for (Worker w : workers) {
            if (w.sleeping) LockSupport.unpark(w);
        }
        j.work();
        long waitStart = System.nanoTime();
        while (j.finished.get() < parts) { // parts still running on workers: spin 50 µs, then give the core away
            if (System.nanoTime() - waitStart < 50_000) Thread.onSpinWait();
            else Thread.yield();
        }
        job = null;
        rethrow(j.failure);
    }

    static void rethrow(Throwable t) {
        if (t instanceof Error) throw (Error) t;
        if (t instanceof RuntimeException) throw (RuntimeException) t;
        if (t != null) throw new IllegalStateException(t);
    }

    /** One piece of work: its parts, claimed one at a time by whichever thread asks first. */
    private static final class Job {
        final IntConsumer part;
        final int parts;
        final long id;
        final AtomicInteger next = new AtomicInteger(), finished = new AtomicInteger();
        volatile Throwable failure;

        Job(IntConsumer part, int parts, long id) {
            this.part = part;
            this.parts = parts;
            this.id = id;
        }

        void work() {
            for (int p; (p = next.getAndIncrement()) < parts; ) {
                try {
                    part.accept(p);
                } catch (Throwable e) { // also a checked exception thrown sneakily: it must not end a worker
                    if (failure == null) failure = e;
                } finally {
                    finished.incrementAndGet();
                }
            }
        }
    }

    private final class Worker extends Thread {
        volatile boolean sleeping;

        Worker(String name) {
            super(name);
            setDaemon(true); // never keeps the JVM alive
            setContextClassLoader(Team.class.getClassLoader()); // not the first caller's, which it would keep alive
        }

        @Override
        public void run() {
            long last = 0; // the id of the last job this worker has seen
            long idleSince = System.nanoTime();
            while (true) {
                Job j = job;
                if (j != null && j.id != last) {
                    last = j.id;
                    j.work();
                    Thread.interrupted(); // a part's interrupt is its own: a set flag would make park return at once, forever
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    sleeping = true; // announce, then look once more: run() publishes, then looks at this flag
                    Job k = job;
                    if (k == null || k.id == last) LockSupport.park(this);
                    Thread.interrupted();
                    sleeping = false;
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}
