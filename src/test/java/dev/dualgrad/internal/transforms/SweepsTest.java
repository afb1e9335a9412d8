package dev.dualgrad.internal.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one seeding loop: every direction seeded exactly once, in order, one-hot, on every sample, with the
 * last (partial) chunk neither skipping nor repeating one, and each result assembled with direction j at
 * row j. The expectations are counted here from the seeds themselves, not taken from Sweeps.
 */
class SweepsTest {
    /**
     * The direction that seed row {@code dir} of a pass encodes: the one element (of one sample, parts laid end
     * to end) that is 1 on every sample, all else 0. Fails on anything else (two ones, a one on some samples only).
     */
    private static long decode(Sweeps.Space space, Tensor[] seeds, int k, int dir) {
        long found = -1, offset = 0;
        for (int p = 0; p < space.parts().length; p++) {
            int[] shape = space.parts()[p];
            int samples = space.samples(), size = Shape.size(shape) / samples;
            if (seeds[p] != null) {
                assertArrayEquals(Shape.concat(new int[] {k}, shape), seeds[p].shape(), "seed shape of part " + p);
                double[] d = Tensors.buffer(seeds[p]);
                for (int e = 0; e < size; e++) {
                    int ones = 0;
                    for (int s = 0; s < samples; s++) {
                        double v = d[(dir * samples + s) * size + e];
                        if (v == 1) ones++;
                        else if (v != 0) fail("seed value " + v);
                    }
                    if (ones == 0) continue;
                    if (ones != samples) fail("direction " + dir + " is set on " + ones + " of " + samples + " samples");
                    if (found >= 0) fail("direction " + dir + " of the pass has two ones");
                    found = offset + e;
                }
            }
            offset += size;
        }
        if (found < 0) fail("direction " + dir + " of the pass is all zero");
        return found;
    }

    /** Runs the sweep, checking every seed, and returns the directions in the order they were seeded. */
    private static List<Long> seeded(Sweeps.Space space, int chunk, List<Integer> ks) {
        List<Long> order = new ArrayList<>();
        Tensor[] r = Sweeps.sweep(space, chunk, (seeds, k) -> {
            ks.add(k);
            double[] idx = new double[k];
            for (int i = 0; i < k; i++) {
                long j = decode(space, seeds, k, i);
                order.add(j);
                idx[i] = j;
            }
            // a part that no direction of this pass lies in gets no seed at all
            long first = order.get(order.size() - k), last = order.get(order.size() - 1), offset = 0;
            for (int p = 0; p < seeds.length; p++) {
                long size = Shape.size(space.parts()[p]) / space.samples();
                boolean touched = first < offset + size && last >= offset;
                assertEquals(touched, seeds[p] != null, "seed of part " + p + " for directions " + first + ".." + last);
                offset += size;
            }
            return new Tensor[] {Tensor.of(idx, k, 1), Tensor.of(idx, k).neg()};
        });
        // the assembled results hold direction j at row j
        assertNotNull(r);
        assertEquals(2, r.length);
        long n = space.directions();
        double[] want = new double[(int) n];
        for (int j = 0; j < n; j++) want[j] = j;
        assertArrayEquals(want, Tensors.buffer(r[0]), 0);
        assertArrayEquals(new int[] {(int) n, 1}, r[0].shape());
        assertArrayEquals(want, Tensors.buffer(r[1].neg()), 0);
        return order;
    }

    @Test
    void everyDirectionOnceAndInOrderForEveryChunkIncludingThePartialLastOne() {
        // two parts of 6 and 4 elements: n = 10, the boundary between the parts falls inside chunks of 4, 7, ...
        Sweeps.Space space = Sweeps.Space.of(new int[] {2, 3}, new int[] {4});
        assertEquals(10, space.directions());
        for (int chunk = 1; chunk <= 12; chunk++) {
            List<Integer> ks = new ArrayList<>();
            List<Long> order = seeded(space, chunk, ks);
            List<Long> want = new ArrayList<>();
            for (long j = 0; j < 10; j++) want.add(j);
            assertEquals(want, order, "chunk " + chunk);
            // ⌈10 / chunk⌉ passes, all full but the last, which holds the remainder
            int passes = (10 + chunk - 1) / chunk;
            assertEquals(passes, ks.size(), "chunk " + chunk);
            assertEquals(passes, Sweeps.passes(10, chunk));
            for (int p = 0; p < passes - 1; p++) assertEquals(chunk, ks.get(p), "chunk " + chunk);
            assertEquals(10 - (passes - 1) * chunk, ks.get(passes - 1), "last pass, chunk " + chunk);
        }
    }

    @Test
    void aPerSampleSpaceSeedsEachDirectionOnEverySample() {
        Sweeps.Space space = Sweeps.Space.perSample(new int[] {3, 2, 2}); // B = 3, 4 directions of one sample
        assertEquals(3, space.samples());
        assertEquals(4, space.directions());
        for (int chunk = 1; chunk <= 5; chunk++) {
            List<Integer> ks = new ArrayList<>();
            assertEquals(List.of(0L, 1L, 2L, 3L), seeded(space, chunk, ks), "chunk " + chunk);
            assertEquals(4, ks.stream().mapToInt(Integer::intValue).sum());
        }
        // chunk 3: seeds [3, 3, 2, 2] then [1, 3, 2, 2]; the last holds e_3 on all three samples
        List<Tensor> last = new ArrayList<>();
        Sweeps.sweep(space, 3, (seeds, k) -> {
            last.add(seeds[0]);
            return new Tensor[] {Tensor.zeros(k)};
        });
        assertArrayEquals(new int[] {1, 3, 2, 2}, last.get(1).shape());
        assertArrayEquals(new double[] {0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}, Tensors.buffer(last.get(1)), 0);
    }

    @Test
    void noDirectionsMeansNoPassAndABadChunkIsRefused() {
        Tensor[] r = Sweeps.sweep(Sweeps.Space.of(new int[] {0}), 4, (seeds, k) -> fail("no pass expected"));
        assertNull(r);
        assertEquals(0, Sweeps.passes(0, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sweeps.sweep(Sweeps.Space.of(new int[] {3}), 0, (seeds, k) -> new Tensor[0]));
        assertTrue(e.getMessage().contains("chunk"), e.getMessage());
    }
}
