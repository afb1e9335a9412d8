package dev.dualgrad.examples;

import dev.dualgrad.Diff;
import dev.dualgrad.Loss;
import dev.dualgrad.tensor.Backend;
import dev.dualgrad.nn.Activation;
import dev.dualgrad.nn.Linear;
import dev.dualgrad.nn.Mlp;
import dev.dualgrad.tensor.Parallelism;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.MultiTensorFunction;
import dev.dualgrad.transforms.PerArgument;
import dev.dualgrad.transforms.Pullback;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;

/**
 * The speed and memory controls: which matrix kernel runs, a product with a transposed operand read in
 * place, a gradient computed on every core and on a thread pool (bitwise the one-thread result), and what a tape keeps for
 * its sweep through a deep tanh network.
 */
public final class SpeedAndMemory implements Stop {
    @Override
    public String problem() {
        return "Fast, lean gradients: the matrix kernel in use, transposes read in place, a thread pool, what a tape keeps.";
    }

    @Override
    public void run(PrintStream out) {
        out.println("matrix kernel: " + Backend.matmulKernel() + "; the Vector API one needs --add-modules jdk.incubator.vector");

        // x·Wᵀ without copying Wᵀ: bitwise the product with the explicit transpose
        Tensor x = TensorRandom.seed(1).normal(64, 100), w = TensorRandom.seed(2).normal(30, 100);
        Tensor inPlace = x.matmul(w, false, true), copied = x.matmul(w.transpose());
        Checks.close("x·Wᵀ read in place = x·(Wᵀ copied)", inPlace, copied, 0);
        out.println("x.matmul(w, false, true) reads w transposed in place: shape " + Arrays.toString(inPlace.shape())
                + ", bitwise x.matmul(w.transpose())");

        // a gradient on one thread, on the default's threads (every core) and on a 2-thread pool of ours: the large
        // products and the tanh are split, the numbers do not change
        Mlp net = Mlp.of(64, 256, 10).activation(Activation.TANH).seed(3).build();
        Tensor batch = TensorRandom.seed(4).normal(256, 64);
        int[] labels = new int[256];
        for (int i = 0; i < labels.length; i++) labels[i] = i % 10;
        MultiTensorFunction loss = ps -> Loss.crossEntropy(net.forward(ps, batch), labels);
        PerArgument one = Parallelism.singleThreaded(() -> Diff.grad(loss, net.parameterArray()));
        PerArgument all = Diff.grad(loss, net.parameterArray());
        ForkJoinPool pool = new ForkJoinPool(2);
        try {
            PerArgument two = Parallelism.with(pool, () -> Diff.grad(loss, net.parameterArray()));
            for (int i = 0; i < one.size(); i++) {
                Checks.close("gradient " + i + " on the default's threads", all.get(i), one.get(i), 0);
                Checks.close("gradient " + i + " on a 2-thread pool", two.get(i), one.get(i), 0);
            }
        } finally {
            pool.shutdown();
        }
        out.println("an MLP loss's gradient by default (" + Parallelism.defaultThreads() + " threads) and on a 2-thread pool:"
                + " bitwise the one-thread one");

        // what reverse mode keeps until its sweep, by depth
        Linear[] layers = new Linear[32];
        for (int l = 0; l < layers.length; l++) layers[l] = new Linear(128, 128, 10 + l);
        Tensor h0 = TensorRandom.seed(5).normal(64, 128);
        long activation = 64 * 128;
        StringBuilder kept = new StringBuilder();
        for (int depth : new int[] {8, 16, 32}) {
            Pullback p = Diff.vjp(z -> {
                Tensor h = z;
                for (int l = 0; l < depth; l++) h = layers[l].forward(h).tanh();
                return h;
            }, h0);
            // only z's cotangent is asked for: matmul's rule for its x reads W (the weights are constants here, so x
            // itself is not kept), the bias add's rule reads nothing, tanh's reads its output only
            long weights = depth * 128L * 128;
            Checks.check("the tape keeps the weights and one activation per tanh layer, got " + p.retainedElements() + " doubles",
                    p.retainedElements() == weights + depth * activation);
            kept.append(kept.length() == 0 ? "" : " / ").append(String.format(java.util.Locale.ROOT, "%,d", p.retainedElements()));
        }
        out.println("a pullback through 8 / 16 / 32 tanh layers [64, 128] keeps " + kept + " doubles:");
        out.println("  the weights and one activation per layer, nothing more");
    }

    /**
     * Runs this stop alone.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Tour.run(java.util.List.of(new SpeedAndMemory()), System.out);
    }
}
