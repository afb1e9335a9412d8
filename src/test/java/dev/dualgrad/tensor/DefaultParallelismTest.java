package dev.dualgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.Loss;
import dev.dualgrad.nn.Activation;
import dev.dualgrad.nn.Mlp;
import dev.dualgrad.transforms.MultiTensorFunction;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The default (all cores for large work) gives bitwise the numbers of one thread and of any pool, and
 * keeps to one thread where the cores are already the caller's.
 */
class DefaultParallelismTest {
    private final Mlp net = Mlp.of(64, 256, 10).activation(Activation.TANH).seed(5).build();
    private final Tensor x = TensorRandom.seed(6).normal(512, 64);
    private final int[] t = new int[512];

    {
        for (int i = 0; i < t.length; i++) t[i] = i % 10;
    }

    /** Every result the computation returns, flattened, under one setting. */
    private double[][] run(Supplier<double[][]> body, String setting) {
        switch (setting) {
            case "one thread": return Parallelism.singleThreaded(body);
            case "default": return body.get();
            default: {
                ForkJoinPool pool = new ForkJoinPool(Integer.parseInt(setting));
                try {
                    return Parallelism.with(pool, body);
                } finally {
                    pool.shutdown();
                }
            }
        }
    }

    private double[][] workloads() {
        Tensor[] ps = net.parameterArray();
        MultiTensorFunction loss = p -> Loss.crossEntropy(net.forward(p, x), t);
        Tensor[] g = Diff.grad(loss, ps).toArray();
        Tensor bias = TensorRandom.seed(8).normal(256);
        Tensor big = TensorRandom.seed(9).normal(512, 256);
        return new double[][] {
            g[0].toArray(), g[1].toArray(), g[2].toArray(), g[3].toArray(),
            Diff.batchJacobian(net::forward, x).toArray(),
            Diff.jvp(z -> net.forward(z), x, TensorRandom.seed(7).normal(512, 64)).tangent().toArray(),
            big.tanh().toArray(),                          // split by ranges of elements
            big.add(bias).toArray(),                       // a broadcast split by rows
            big.mul(big.tanh()).toArray(),                 // contiguous, split by elements
            big.reshape(8, 64, 256).mul(TensorRandom.seed(10).normal(8, 1, 256)).toArray(), // rows over two outer axes
        };
    }

    @Test
    void theDefaultAndEveryPoolGiveBitwiseTheNumbersOfOneThread() {
        double[][] one = run(this::workloads, "one thread");
        for (String setting : new String[] {"default", "2", "3"}) {
            double[][] other = run(this::workloads, setting);
            for (int i = 0; i < one.length; i++) assertArrayEquals(one[i], other[i], 0.0, setting + ", result " + i);
        }
    }

    @Test
    void manyCallersAtOnceEachGetTheBitsOfOneThread() throws Exception {
        // Six threads computing at the same time under the default: one holds the team at a time, the others run on
        // their own threads, handing it over call by call; every result must still be the one-thread result.
        double[][] one = run(this::workloads, "one thread");
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            java.util.List<java.util.concurrent.Future<double[][]>> results = new java.util.ArrayList<>();
            for (int c = 0; c < 12; c++) results.add(callers.submit(this::workloads));
            for (java.util.concurrent.Future<double[][]> f : results) {
                double[][] r = f.get();
                for (int i = 0; i < one.length; i++) assertArrayEquals(one[i], r[i], 0.0, "result " + i);
            }
        } finally {
            callers.shutdown();
        }
    }

    @Test
    void splitBroadcastsAgreeWithAPlainLoop() {
        // An independent reference for the row split's odometer starts: y[i,j,k] = a[i,j,k] + b[i,0,k]. With
        // q = 301 rows per i, no cut (at 602 and 1204 of 1806 rows) falls at j = 0: the starts' inner index is tested too.
        int p = 6, q = 301, r = 250;
        Tensor a = TensorRandom.seed(11).normal(p, q, r), b = TensorRandom.seed(12).normal(p, 1, r);
        double[] ad = a.toArray(), bd = b.toArray();
        ForkJoinPool pool = new ForkJoinPool(3);
        try {
            double[] y = Parallelism.with(pool, () -> a.add(b)).toArray();
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < q; j++) {
                    for (int k = 0; k < r; k++) {
                        int o = (i * q + j) * r + k;
                        assertEquals(ad[o] + bd[i * r + k], y[o], 0.0, "y[" + i + "," + j + "," + k + "]");
                    }
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void theDefaultUsesEveryCoreOnAPlainThreadAndOneThreadWhereTheCoresAreTaken() throws Exception {
        assumeTrue(Parallelism.defaultThreads() >= 2, "a machine with one processor has no default threads");
        assertEquals(Parallelism.defaultThreads(), Parallelism.threads(), "the default, on a plain thread");
        assertNull(Parallelism.current(), "no caller's pool");
        TensorRandom.seed(1).normal(512, 512).matmul(TensorRandom.seed(2).normal(512, 512));
        Thread caller = Thread.currentThread();
        java.util.Set<String> ran = java.util.concurrent.ConcurrentHashMap.newKeySet();
        // which threads compute: a broadcast large enough to be split, whose row kernel records its thread
        dev.dualgrad.internal.kernels.RowKernel recording = (a, ao, as, b, bo, bs, y, yo, n) -> {
            if (Thread.currentThread() != caller) ran.add(Thread.currentThread().getName());
        };
        Tensor rows = TensorRandom.seed(1).normal(2048, 256), bias = TensorRandom.seed(2).normal(256);
        for (int i = 0; i < 200 && ran.isEmpty(); i++) dev.dualgrad.internal.kernels.Kernels.broadcast(recording, rows, bias, new int[] {2048, 256});
        assertTrue(!ran.isEmpty() && ran.stream().allMatch(n -> n.startsWith("dualgrad-worker-")),
                "the default's workers computed rows of a large broadcast: " + ran);

        assertEquals(1, Parallelism.singleThreaded(Parallelism::threads), "singleThreaded");
        ForkJoinPool other = new ForkJoinPool(3);
        try {
            assertEquals(1, other.submit(Parallelism::threads).get(), "on a worker of another pool, the default is one thread");
            assertSame(other, Parallelism.with(other, Parallelism::current));
            assertEquals(3, Parallelism.with(other, Parallelism::threads));
            assertEquals(3, other.submit(() -> Parallelism.with(other, Parallelism::threads)).get(), "a pool given explicitly is used as given");
            Parallelism.use(null);
            try {
                assertEquals(1, Parallelism.threads(), "use(null)");
                assertNull(Parallelism.current());
                assertSame(other, Parallelism.with(other, Parallelism::current), "a scope overrides the global setting");
            } finally {
                Parallelism.useDefault();
            }
            assertEquals(Parallelism.defaultThreads(), Parallelism.threads(), "useDefault");
        } finally {
            other.shutdown();
        }
    }
}
