package dev.dualgrad.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The elementwise kernels (broadcast arithmetic, sums and maxima over axes, tanh, the strong-zero products) give
 * bitwise the same values with the Vector API module and without it: the same program runs in two child JVMs, one
 * with the module and one with {@code -Ddualgrad.vector=false}, and prints a digest of every result's bits. Matrix
 * products are left out: the plain gemm's order of operations is its own.
 */
class VectorOrPlainElementwiseTest {
    /** The child: each case's result digested, one line per case. */
    static final class Digests {
        public static void main(String[] args) {
            Tensor t = TensorRandom.seed(1).normal(5, 33, 17), p = TensorRandom.seed(2).normal(33, 17), row = TensorRandom.seed(3).normal(17);
            Tensor pairs = TensorRandom.seed(4).normal(40, 3), wide = TensorRandom.seed(5).normal(9, 100, 2);
            Tensor withZeros = t.mul(t.gt(0.3)); // exact zeros for the strong-zero product
            print("mul", t.mul(p));
            print("add row", t.add(row));
            print("sub scalar", Tensor.scalar(2.5).sub(t));
            print("div", t.div(p.abs().add(0.5)));
            print("pairwise", pairs.unsqueeze(1).sub(pairs.unsqueeze(0)));
            for (int axis = 0; axis < 3; axis++) {
                print("sum " + axis, wide.sum(axis));
                print("max " + axis, wide.max(axis));
                print("sum kept " + axis, t.sum(axis, true));
            }
            print("tanh", t.mul(7).tanh());
            print("strong zero", dev.dualgrad.internal.engine.Tensors.mulStrongZero(withZeros, t.reciprocal()));
            System.out.println("done");
        }

        private static void print(String name, Tensor y) {
            double[] v = y.toArray();
            long[] bits = new long[v.length];
            for (int i = 0; i < v.length; i++) bits[i] = Double.doubleToLongBits(v[i]); // NaN payloads are not Java values
            System.out.println(name + " " + Arrays.toString(y.shape()) + " " + Arrays.hashCode(bits));
        }
    }

    @Test
    void theVectorAndPlainKernelsGiveTheSameBits() throws Exception {
        List<String> vector = run("--add-modules", "jdk.incubator.vector"), plain = run("-Ddualgrad.vector=false");
        assertTrue(vector.contains("done") && vector.size() > 10, String.join("\n", vector));
        assertEquals(vector, plain);
    }

    /** Runs {@link Digests} in a new JVM with these options; its stdout by line, the incubator's notice dropped. */
    private static List<String> run(String... options) throws Exception {
        return ChildJvm.run(Digests.class, options);
    }
}
