package dev.dualgrad.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** B's cached panels give the bits of packing afresh, from the second product on, and the cache stays bounded. */
class PackCacheTest {
    private static double[] random(int n, long seed) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextGaussian();
        return v;
    }

    private static double[] fresh(boolean tb, double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        Kernels.gemm(false, tb, a, 0, b, 0, c, 0, m, k, n);
        return c;
    }

    private static double[] viaCache(boolean tb, double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        Kernels.productIntoZeros(false, tb, a, 0, b, 0, c, 0, m, k, n, true);
        return c;
    }

    private static <T> T oneThread(java.util.function.Supplier<T> body) {
        return dev.dualgrad.tensor.Parallelism.singleThreaded(body);
    }

    @Test
    void theFirstSecondAndLaterProductsGiveTheBitsOfFreshPanels() {
        assumeTrue(Kernels.matmulKernel().startsWith("vector"), "the cache is the vector kernel's");
        // on one thread, so that each product is one operand: one block; several KC and NC blocks on both widths
        // with ragged edges (NC = 1024 or 2048, KC = 256 or 512); a thin B; the MLP's first layer
        int[][] shapes = {{7, 5, 3}, {200, 300, 17}, {30, 600, 2100}, {64, 784, 256}};
        oneThread(() -> {
            for (int[] s : shapes) {
                for (boolean tb : new boolean[] {false, true}) {
                    int m = s[0], k = s[1], n = s[2];
                    double[] a = random(m * k, m + k), b = random(k * n, k + n);
                    PackCache.clear();
                    double[] expected = fresh(tb, a, b, m, k, n);
                    for (int call = 0; call < 3; call++) {
                        assertArrayEquals(expected, viaCache(tb, a, b, m, k, n), 0.0, java.util.Arrays.toString(s) + " tb=" + tb + ", product " + call);
                    }
                    // the packed path (the unpacked one serves m ≤ 16 without transposes), more than one panel of A, a B worth keeping
                    boolean packedPath = m > VectorGemm.MR && n > 1 && (m > 16 || tb) && k * n >= VectorGemm.CACHE_MIN_B;
                    String what = java.util.Arrays.toString(s) + " tb=" + tb;
                    assertEquals(packedPath, PackCache.bytesHeld() > 0, "kept from the second product: " + what);
                    assertEquals(packedPath ? 1 : 0, PackCache.hits(), "the third product was served the kept panels: " + what);
                    // one array holding two operands at two offsets: each product is served its own panels
                    double[] b2 = random(k * n, 7 * k + n), wide = new double[2 * k * n];
                    System.arraycopy(b2, 0, wide, 0, k * n);
                    System.arraycopy(b, 0, wide, k * n, k * n);
                    double[] expected2 = fresh(tb, a, b2, m, k, n);
                    for (int call = 0; call < 3; call++) {
                        for (int half = 0; half < 2; half++) {
                            double[] c = new double[m * n];
                            Kernels.productIntoZeros(false, tb, a, 0, wide, half * k * n, c, 0, m, k, n, true);
                            assertArrayEquals(half == 0 ? expected2 : expected, c, 0.0, "operand at offset " + half * k * n + ", product " + call);
                        }
                    }
                }
            }
            return null;
        });
    }

    @Test
    void oneSquareArrayReadAsBAndAsBTransposedIsTwoOperands() {
        assumeTrue(Kernels.matmulKernel().startsWith("vector"), "the cache is the vector kernel's");
        int m = 40, k = 300;
        double[] a = random(m * k, 5), w = random(k * k, 6);
        double[] plain = fresh(false, a, w, m, k, k), transposed = fresh(true, a, w, m, k, k);
        PackCache.clear();
        oneThread(() -> {
            for (int call = 0; call < 3; call++) {
                assertArrayEquals(plain, viaCache(false, a, w, m, k, k), 0.0, "x·W, product " + call);
                assertArrayEquals(transposed, viaCache(true, a, w, m, k, k), 0.0, "x·Wᵀ, product " + call);
            }
            return null;
        });
        assertEquals(2, PackCache.hits());
    }

    @Test
    void aProductSplitByRowsIsOneSightingAndConcurrentCallersGetTheSameBits() throws Exception {
        assumeTrue(Kernels.matmulKernel().startsWith("vector"), "the cache is the vector kernel's");
        int m = 512, k = 784, n = 256; // 205 MFLOP, m ≥ n: split by rows, every part multiplying all of B
        double[] a = random(m * k, 8), b = random(k * n, 9);
        double[] expected = oneThread(() -> fresh(false, a, b, m, k, n));
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(3);
        try {
            PackCache.clear();
            double[] first = dev.dualgrad.tensor.Parallelism.with(pool, () -> viaCache(false, a, b, m, k, n));
            assertArrayEquals(expected, first, 0.0);
            assertEquals(0, PackCache.bytesHeld(), "a B's first product, split in three, is still its first sighting");
            java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                java.util.List<java.util.concurrent.Future<double[]>> results = new java.util.ArrayList<>();
                for (int c = 0; c < 8; c++) results.add(callers.submit(() -> viaCache(false, a, b, m, k, n)));
                for (java.util.concurrent.Future<double[]> f : results) assertArrayEquals(expected, f.get(), 0.0);
            } finally {
                callers.shutdown();
            }
            assertTrue(PackCache.bytesHeld() > 0 && PackCache.hits() > 0, "kept, and served");
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void theKeptPanelsOfACollectedTensorAreDropped() throws Exception {
        assumeTrue(Kernels.matmulKernel().startsWith("vector"), "the cache is the vector kernel's");
        PackCache.clear();
        int m = 40, k = 300, n = 300;
        double[] a = random(m * k, 10);
        oneThread(() -> {
            double[] b = random(k * n, 11); // reachable only inside this block
            viaCache(false, a, b, m, k, n);
            viaCache(false, a, b, m, k, n);
            return null;
        });
        assertTrue(PackCache.bytesHeld() > 0);
        for (int i = 0; i < 50 && PackCache.bytesHeld() > 0; i++) {
            System.gc();
            Thread.sleep(20);
            PackCache.dropCollected();
        }
        assertEquals(0, PackCache.bytesHeld(), "the panels went with their array");
    }

    @Test
    void theCacheStaysWithinItsBoundAndSkipsOperandsTooLargeToKeep() {
        assumeTrue(Kernels.matmulKernel().startsWith("vector"), "the cache is the vector kernel's");
        PackCache.clear();
        int m = 24, big = 1500; // 1500² doubles = 18 MB of panels: more than an entry may hold
        double[] a = random(m * big, 1), b = random(big * big, 2);
        // on one thread: split over threads by columns, each part's B would be half as large, and kept
        oneThread(() -> {
            for (int call = 0; call < 3; call++) viaCache(false, a, b, m, big, big);
            return null;
        });
        assertEquals(0, PackCache.bytesHeld(), "too large to keep");
        int k = 1000, n = 1000; // 8 MB each: ten of them would pass the 64 MB bound
        double[] a2 = random(m * k, 3);
        double[][] bs = new double[10][];
        for (int i = 0; i < bs.length; i++) {
            bs[i] = random(k * n, 10 + i);
            viaCache(false, a2, bs[i], m, k, n);
            viaCache(false, a2, bs[i], m, k, n);
            assertTrue(PackCache.bytesHeld() <= PackCache.MAX_BYTES, "after " + (i + 1) + " operands: " + PackCache.bytesHeld());
        }
        assertTrue(PackCache.bytesHeld() >= PackCache.MAX_BYTES / 2, "it does keep panels: " + PackCache.bytesHeld());
        PackCache.clear();
    }
}
