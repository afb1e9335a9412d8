package dev.dualgrad.bench;

import dev.dualgrad.Diff;
import dev.dualgrad.nn.Activation;
import dev.dualgrad.nn.Mlp;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.JacobianOptions;
import java.util.Arrays;
import java.util.Locale;

/**
 * What batchJacobian's independence probe costs beside the Jacobian itself: the tanh MLP 64-128-128-10 of
 * the PerSampleJacobians example, at several batch sizes, with the probe on and off, interleaved run by run.
 * A timing main, not a test: {@code java --add-modules jdk.incubator.vector -cp ... dev.dualgrad.bench.ProbeCostBench [runs]}.
 */
public final class ProbeCostBench {
    private ProbeCostBench() {}

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 21;
        Mlp model = Mlp.of(64, 128, 128, 10).activation(Activation.TANH).seed(0).build();
        JacobianOptions on = JacobianOptions.defaults(), off = on.checkIndependence(false);
        System.out.println("B      without probe   with probe   probe adds");
        for (int b : new int[] {32, 256, 1024}) {
            Tensor x = TensorRandom.seed(1).normal(b, 64);
            for (int w = 0; w < 5; w++) {
                Diff.batchJacobian(model::forward, x, on);
                Diff.batchJacobian(model::forward, x, off);
            }
            double[] tOn = new double[runs], tOff = new double[runs];
            for (int r = 0; r < runs; r++) { // interleaved, so drifts of the shared machine hit both alike
                long t0 = System.nanoTime();
                Diff.batchJacobian(model::forward, x, off);
                long t1 = System.nanoTime();
                Diff.batchJacobian(model::forward, x, on);
                long t2 = System.nanoTime();
                tOff[r] = (t1 - t0) / 1e6;
                tOn[r] = (t2 - t1) / 1e6;
            }
            double mOff = median(tOff), mOn = median(tOn);
            System.out.println(String.format(Locale.ROOT, "%-6d %9.2f ms    %9.2f ms   %+8.2f ms (%+.0f%%)", b, mOff, mOn, mOn - mOff,
                    100 * (mOn - mOff) / mOff));
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
