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
        Kernels.gemmTensorB(tb, a, 0, b, 0, c, 0, m, k, n);
        return c;
    }

    @Test
    void theFirstSecondAndLaterProductsGiveTheBitsOfFreshPanels() {
        assumeTrue(Kernels.matmulKernel().startsWith("vector"), "the cache is the vector kernel's");
        // one block, several KC and NC blocks with ragged edges, a thin B
        int[][] shapes = {{7, 5, 3}, {200, 300, 17}, {30, 1100, 2070}, {64, 784, 256}};
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
                assertEquals(packedPath, PackCache.bytesHeld() > 0, "cached from the second product: " + java.util.Arrays.toString(s) + " tb=" + tb);
                // one array holding two operands at two offsets: each product is served its own panels
                double[] b2 = random(k * n, 7 * k + n), wide = new double[2 * k * n];
                System.arraycopy(b2, 0, wide, 0, k * n);
                System.arraycopy(b, 0, wide, k * n, k * n);
                double[] expected2 = fresh(tb, a, b2, m, k, n);
                for (int call = 0; call < 3; call++) {
                    for (int half = 0; half < 2; half++) {
                        double[] c = new double[m * n];
                        Kernels.gemmTensorB(tb, a, 0, wide, half * k * n, c, 0, m, k, n);
                        assertArrayEquals(half == 0 ? expected2 : expected, c, 0.0, "operand at offset " + half * k * n + ", product " + call);
                    }
                }
            }
        }
    }

    @Test
    void theCacheStaysWithinItsBoundAndSkipsOperandsTooLargeToKeep() {
        assumeTrue(Kernels.matmulKernel().startsWith("vector"), "the cache is the vector kernel's");
        PackCache.clear();
        int m = 24, big = 1500; // 1500² doubles = 18 MB of panels: more than an entry may hold
        double[] a = random(m * big, 1), b = random(big * big, 2);
        // on one thread: split over threads by columns, each part's B would be half as large, and kept
        dev.dualgrad.tensor.Parallelism.singleThreaded(() -> {
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
