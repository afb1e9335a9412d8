package dev.dualgrad.bench;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * Issue 20's elementwise functions on 2²⁰ elements: the primal alone, and the gradient of its sum (one
 * recording, one sweep), median of interleaved runs, in µs. The same workloads in PyTorch:
 * {@code src/bench/torch_elementwise.py}. A timing main, not a test:
 * {@code java --add-modules jdk.incubator.vector -cp ... dev.dualgrad.bench.ElementwiseBench [runs]}; prints one
 * line per op: name, primal µs, gradient µs.
 */
public final class ElementwiseBench {
    private ElementwiseBench() {}

    static final int N = 1 << 20;

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        // inputs as in the peer: x and a second operand b uniform in (−3, 3)
        Tensor x = TensorRandom.seed(1).uniform(-3, 3, N), b = TensorRandom.seed(3).uniform(-3, 3, N);
        Map<String, UnaryOperator<Tensor>> ops = new LinkedHashMap<>();
        ops.put("tanh (existing, for scale)", Tensor::tanh);
        ops.put("tan", Tensor::tan);
        ops.put("asinh", Tensor::asinh);
        ops.put("erf", Tensor::erf);
        ops.put("gelu", Tensor::gelu);
        ops.put("geluTanh", Tensor::geluTanh);
        ops.put("silu", Tensor::silu);
        ops.put("lgamma(p)", z -> z.add(3.1).lgamma());   // x + 3.1 in (0.1, 6.1): positive
        ops.put("digamma(p)", z -> z.add(3.1).digamma());
        BinaryOperator<Tensor> atan2 = Tensor::atan2, logaddexp = Tensor::logaddexp;
        ops.put("atan2(x, b)", z -> atan2.apply(z, b));
        ops.put("logaddexp(x, b)", z -> logaddexp.apply(z, b));
        System.out.println("op                          primal µs   grad µs    (n = 2^20, median of " + runs + ")");
        for (Map.Entry<String, UnaryOperator<Tensor>> e : ops.entrySet()) {
            UnaryOperator<Tensor> f = e.getValue();
            for (int w = 0; w < 5; w++) {
                f.apply(x);
                Diff.grad(z -> f.apply(z).sum(), x);
            }
            double[] tp = new double[runs], tg = new double[runs];
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                f.apply(x);
                long t1 = System.nanoTime();
                Diff.grad(z -> f.apply(z).sum(), x);
                long t2 = System.nanoTime();
                tp[r] = (t1 - t0) / 1e3;
                tg[r] = (t2 - t1) / 1e3;
            }
            System.out.println(String.format(Locale.ROOT, "%-26s %10.0f %10.0f", e.getKey(), median(tp), median(tg)));
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
