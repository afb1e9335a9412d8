package dev.dualgrad.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The default team serves one caller at a time and runs every part once; the thread-count property is strict. */
class PoolsTest {
    @Test
    void theDefaultServesOneCallerAtATimeAndNestedWorkRunsOnThePartsThread() throws Exception {
        assumeTrue(Pools.defaultThreads() >= 2, "a machine with one processor has no default team");
        Gang first = Pools.acquire();
        assertNotNull(first, "an idle default goes to the first caller");
        try {
            assertEquals(Pools.defaultThreads(), first.threads());
            assertNull(acquiredOnAnotherThread(), "a second caller meanwhile runs on its own thread");
            Gang[] nested = new Gang[first.threads()];
            first.run(nested.length, p -> {
                nested[p] = Pools.acquire();
                Pools.release(nested[p]);
            });
            for (Gang g : nested) assertNull(g, "work a part splits again runs on the part's thread");
        } finally {
            Pools.release(first);
        }
        assertTrue(acquiredOnAnotherThread() == first, "released, it serves the next caller");
    }

    /** What {@link Pools#acquire()} gives a new plain thread (given back at once). */
    private static Gang acquiredOnAnotherThread() throws InterruptedException {
        AtomicReference<Gang> got = new AtomicReference<>();
        Thread t = new Thread(() -> {
            Gang g = Pools.acquire();
            got.set(g);
            Pools.release(g);
        });
        t.start();
        t.join();
        return got.get();
    }

    @Test
    void aSleepingWorkerWakesForTheNextJob() throws Exception {
        Team team = new Team(2, "test-wake-");
        for (int round = 0; round < 20; round++) {
            if (round % 2 == 0) Thread.sleep(2); // longer than the spin: the worker has parked
            Thread caller = Thread.currentThread();
            CountDownLatch workerStarted = new CountDownLatch(1);
            // a part on the caller waits for a part on the worker, so the caller cannot take both: the job ends
            // only once the worker has woken and taken one (or after 10 s, and the assertion fails)
            team.run(2, p -> {
                if (Thread.currentThread() != caller) {
                    workerStarted.countDown();
                } else {
                    try {
                        workerStarted.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            assertEquals(0, workerStarted.getCount(), "round " + round + ": the worker took a part");
        }
    }

    @Test
    void everyPartRunsExactlyOnceAcrossManyJobsAwakeAndAsleep() throws Exception {
        Team team = new Team(3, "test-parts-");
        for (int job = 0; job < 3000; job++) {
            int parts = 1 + job % 7;
            AtomicIntegerArray runs = new AtomicIntegerArray(parts);
            team.run(parts, runs::incrementAndGet);
            for (int p = 0; p < parts; p++) assertEquals(1, runs.get(p), "job " + job + ", part " + p);
            if (job % 500 == 0) Thread.sleep(2); // longer than the spin: the workers park, and the next job wakes them
        }
    }

    @Test
    void aFailingPartIsRethrownAfterTheOthersHaveRunAndTheThreadsServeTheNextJob() {
        ForkJoinPool pool = new ForkJoinPool(2);
        for (Gang gang : new Gang[] {new Team(3, "test-failure-"), Gang.of(pool)}) {
            AtomicInteger others = new AtomicInteger();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> gang.run(4, p -> {
                if (p == 1) throw new IllegalStateException("part 1");
                others.incrementAndGet();
            }));
            assertEquals("part 1", e.getMessage());
            assertEquals(3, others.get(), "the other parts ran");
            AssertionError a = assertThrows(AssertionError.class, () -> gang.run(2, p -> { throw new AssertionError("an Error, as itself"); }));
            assertEquals("an Error, as itself", a.getMessage());
            AtomicIntegerArray runs = new AtomicIntegerArray(5);
            gang.run(5, runs::incrementAndGet);
            for (int p = 0; p < 5; p++) assertEquals(1, runs.get(p));
        }
        pool.shutdown();
    }

    @Test
    void theThreadCountPropertyIsAWholeNumberOfAtLeastOne() {
        assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors()), Pools.threadsProperty(null));
        assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors()), Pools.threadsProperty(" "));
        assertEquals(1, Pools.threadsProperty("1"));
        assertEquals(6, Pools.threadsProperty(" 6 "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pools.threadsProperty("all"));
        assertTrue(e.getMessage().contains("-Ddualgrad.threads=all is not a whole number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Pools.threadsProperty("0"));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pools.threadsProperty("-2"));
    }
}
