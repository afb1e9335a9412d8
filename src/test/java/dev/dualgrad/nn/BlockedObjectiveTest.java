package dev.dualgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.Loss;
import dev.dualgrad.data.Dataset;
import dev.dualgrad.tensor.Parallelism;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.ValueAndGrad;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/** Issue 19, item 3: blocks by global row index, merged exactly, bitwise the same on any number of threads. */
class BlockedObjectiveTest {
    static final Dataset DATA = data(203, 6, 3, 11);

    static Dataset data(int n, int features, int classes, long seed) {
        Tensor x = TensorRandom.seed(seed).normal(n, features);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = (int) Math.floorMod(i * 7L + seed, classes);
        return new Dataset(x, y);
    }

    static long[] bits(ValueAndGrad vg) {
        double[] all = vg.value().toArray();
        for (Tensor g : vg.grads()) {
            double[] v = g.toArray(), a = Arrays.copyOf(all, all.length + v.length);
            System.arraycopy(v, 0, a, all.length, v.length);
            all = a;
        }
        long[] b = new long[all.length];
        for (int i = 0; i < b.length; i++) b[i] = Double.doubleToRawLongBits(all[i]);
        return b;
    }

    @Test
    void theValueIsTheCorrectlyRoundedSumOfTheBlocksOverN() {
        Mlp net = Mlp.of(6, 5, 3).seed(2).build();
        BlockedObjective f = BlockedObjective.of(net, DATA).blockSize(16);
        assertEquals(13, f.blockCount());
        ValueAndGrad vg = f.valueAndGrad(net.parameterArray());
        // independently: each block's summed loss by a plain loop of Diff calls, summed in BigDecimal
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal g00 = BigDecimal.ZERO;
        for (int from = 0; from < DATA.size(); from += 16) {
            int[] idx = new int[Math.min(16, DATA.size() - from)];
            for (int i = 0; i < idx.length; i++) idx[i] = from + i;
            Dataset b = DATA.rows(idx);
            ValueAndGrad one = Diff.valueAndGrad(ps -> Loss.crossEntropy(net.forward(ps, b.x()), b.labels()).mul(idx.length), net.parameterArray());
            ValueAndGrad sumForm = Diff.valueAndGrad(ps -> BlockedObjective.crossEntropySum(net).loss(ps, b.x(), b.labels()), net.parameterArray());
            assertEquals(one.value().item(), sumForm.value().item(), 1e-12 * idx.length);
            sum = sum.add(new BigDecimal(sumForm.value().item()));
            g00 = g00.add(new BigDecimal(sumForm.grads().get(0).toArray()[0]));
        }
        assertEquals(Double.parseDouble(sum.toString()) / DATA.size(), vg.value().item(), 0);
        assertEquals(Double.parseDouble(g00.toString()) / DATA.size(), vg.grads().get(0).toArray()[0], 0);
        // and it is the mean loss over all rows, to rounding
        double direct = Loss.crossEntropy(net.forward(DATA.x()), DATA.labels()).item();
        assertEquals(direct, vg.value().item(), 1e-13);
    }

    @Test
    void insideAnotherTransformTheBlocksRunOnTheCallingThreadAndRefuseAsOneThreadDoes() {
        // A block loss closing over a tensor of an outer JVP: the exact sums read values, which is refused with the
        // same message on one thread and under the default (whose workers would not see the JVP's level at all).
        Mlp net = Mlp.of(6, 5, 3).seed(4).build();
        BlockedObjective.BlockLoss base = BlockedObjective.crossEntropySum(net);
        java.util.function.Supplier<String> message = () -> assertThrows(RuntimeException.class,
                () -> Diff.jvp(s -> {
                    BlockedObjective f = BlockedObjective.of(DATA, (ps, x, y) -> base.loss(ps, x, y).mul(s.sum())).blockSize(10);
                    return f.valueAndGrad(net.parameterArray()).value();
                }, Tensor.scalar(2.0), Tensor.scalar(1.0))).getMessage();
        String one = Parallelism.singleThreaded(message).replaceAll("jvp#\\d+", "jvp#N"); // the level's number counts up
        assertTrue(one.contains("item() on a tensor that carries a tangent of jvp#N"), one);
        assertEquals(one, message.get().replaceAll("jvp#\\d+", "jvp#N"));
        ForkJoinPool pool = new ForkJoinPool(3); // its workers would run every block, were they not kept on this thread
        try {
            assertEquals(one, Parallelism.with(pool, message).replaceAll("jvp#\\d+", "jvp#N"));
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void anyNumberOfThreadsGivesTheSameBits() {
        Mlp net = Mlp.of(6, 5, 3).seed(4).build();
        BlockedObjective f = BlockedObjective.of(net, DATA).blockSize(10);
        long[] one = bits(f.valueAndGrad(net.parameterArray()));
        for (int threads : new int[] {2, 3, 7}) {
            ForkJoinPool pool = new ForkJoinPool(threads);
            try {
                assertArrayEquals(one, bits(Parallelism.with(pool, () -> f.valueAndGrad(net.parameterArray()))), threads + " threads");
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void miniBatchesAreSeededByStepAndGlobalRow() {
        Mlp net = Mlp.of(6, 5, 3).seed(4).build();
        BlockedObjective f = BlockedObjective.of(net, DATA).blockSize(10).sampling(0.25, 9);
        BlockedObjective.Sampling s = new BlockedObjective.Sampling(0.25, 9);
        for (long step : new long[] {0, 1, 5}) {
            int kept = 0;
            for (int r = 0; r < DATA.size(); r++) if (s.keeps(step, r)) kept++;
            assertEquals(kept, f.atStep(step).sums(net.parameterArray()).rows());
            assertTrue(kept > 25 && kept < 80, "kept " + kept);
        }
        assertTrue(!Arrays.equals(bits(f.atStep(1).valueAndGrad(net.parameterArray())), bits(f.atStep(2).valueAndGrad(net.parameterArray()))));
        assertArrayEquals(bits(f.atStep(3).valueAndGrad(net.parameterArray())), bits(f.atStep(3).valueAndGrad(net.parameterArray())));
        assertThrows(IllegalArgumentException.class, () -> f.atStep(-1));
        assertThrows(IllegalArgumentException.class, () -> f.sampling(0, 1));
        assertThrows(IllegalArgumentException.class, () -> f.blockSize(0));
        assertThrows(IndexOutOfBoundsException.class, () -> f.block(f.blockCount()));
        assertThrows(ArithmeticException.class, () -> BlockedObjective.of(net, data(0, 6, 3, 1)).valueAndGrad(net.parameterArray()));
    }

    @Test
    void trainerMinimizesItAndEqualsTheHandWrittenLoop() {
        Mlp a = Mlp.of(6, 5, 3).seed(4).build(), b = Mlp.of(6, 5, 3).seed(4).build();
        double[] losses = Trainer.of(a, new Adam(0.05)).minimize(BlockedObjective.of(a, DATA).blockSize(32), 15);
        assertTrue(losses[14] < losses[0] - 0.03, Arrays.toString(losses));
        Adam opt = new Adam(0.05);
        for (int t = 0; t < 15; t++) opt.step(b, BlockedObjective.of(b, DATA).blockSize(32).valueAndGrad(b.parameterArray()).grads());
        assertEquals(b.snapshot(), a.snapshot());
        assertThrows(IllegalArgumentException.class, () -> Trainer.of(a, new Sgd(0.1)).minimize(ps -> null, -1));
    }

    @Test
    void sumsMergeAndTravel() throws Exception {
        Mlp net = Mlp.of(6, 5, 3).seed(4).build();
        BlockedObjective f = BlockedObjective.of(net, DATA).blockSize(50);
        BlockedObjective.Sums left = BlockedObjective.Sums.zero(net.snapshot().shapes()), right = BlockedObjective.Sums.zero(net.snapshot().shapes());
        for (int b = f.blockCount() - 1; b >= 0; b--) (b % 2 == 0 ? left : right).addBlock(f.loss(), net.parameterArray(), f.block(b));
        BlockedObjective.Sums back = (BlockedObjective.Sums) ModelsThatTravelTest.roundTrip(right);
        assertArrayEquals(bits(f.valueAndGrad(net.parameterArray())), bits(back.add(left).mean()));
        assertEquals(DATA.size(), back.rows());
    }
}
