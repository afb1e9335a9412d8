package dev.dualgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several threads saving different models to one path while others load it: every load, racing the saves
 * or after them, is exactly one of the written models, never a mix, a partial file or no file.
 */
class ParameterFileConcurrencyTest {
    static final int WRITERS = 4, READERS = 2, SAVES = 30;

    /** Model k: the same names and shapes for every k, every value k + a position-dependent fraction. */
    static Map<String, Tensor> model(int k) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("0.weight", fill(k, 0, 128, 64));
        m.put("0.bias", fill(k, 1, 128));
        m.put("2.weight", fill(k, 2, 10, 128));
        m.put("2.bias", fill(k, 3, 10));
        return m;
    }

    private static Tensor fill(int k, int salt, int... shape) {
        double[] v = new double[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < v.length; i++) v[i] = k + (i * 31 + salt) % 1000 / 1000.0;
        return Tensor.of(v, shape);
    }

    /** Which model the map is exactly, or -1. */
    static int which(Map<String, Tensor> read, List<Map<String, Tensor>> models) {
        for (int k = 0; k < models.size(); k++) {
            Map<String, Tensor> m = models.get(k);
            if (!m.keySet().equals(read.keySet())) continue;
            boolean same = true;
            for (String name : m.keySet()) {
                same &= Arrays.equals(m.get(name).shape(), read.get(name).shape())
                        && Arrays.equals(Tensors.buffer(m.get(name)), Tensors.buffer(read.get(name)));
            }
            if (same) return k;
        }
        return -1;
    }

    @Test
    void concurrentSavesNeverMixAndRacingLoadsAlwaysFindOneWholeModel(@TempDir Path dir) throws Exception {
        List<Map<String, Tensor>> models = new ArrayList<>();
        for (int k = 0; k < WRITERS; k++) models.add(model(k));
        Path f = dir.resolve("shared.params");
        ParameterFile.write(f, models.get(0));

        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger loads = new AtomicInteger();
        int[] seen = new int[WRITERS];
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>(), readers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int k = w;
            writers.add(new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < SAVES; i++) ParameterFile.write(f, models.get(k));
                } catch (Throwable t) {
                    problems.add("writer " + k + ": " + t);
                }
            }));
        }
        for (int r = 0; r < READERS; r++) {
            readers.add(new Thread(() -> {
                try {
                    start.await();
                    while (writing.get()) {
                        int k = which(ParameterFile.read(f), models);
                        if (k < 0) problems.add("a racing load is none of the models");
                        else synchronized (seen) { seen[k]++; }
                        loads.incrementAndGet();
                    }
                } catch (Throwable t) {
                    problems.add("reader: " + t);
                }
            }));
        }
        writers.forEach(Thread::start);
        readers.forEach(Thread::start);
        start.countDown();
        for (Thread t : writers) t.join();
        writing.set(false);
        for (Thread t : readers) t.join();

        assertTrue(problems.isEmpty(), problems.size() + " problems, first: " + problems.peek());
        assertTrue(which(ParameterFile.read(f), models) >= 0, "the final file is one of the models");
        assertTrue(loads.get() >= 20, "the readers raced the writers: " + loads.get() + " loads");
        assertTrue(Arrays.stream(seen).filter(c -> c > 0).count() >= 2, "racing loads saw several writers' models: " + Arrays.toString(seen));
        assertEquals(Set.of("shared.params"), ParameterFileTest.names(dir), "no temporary file is left");
    }
}
