package dev.dualgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dualgrad.Diff;
import dev.dualgrad.nn.Activation;
import dev.dualgrad.nn.Mlp;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;

/** Per-row Jacobians on Spark, bitwise those of one JVM's batchJacobian over all rows at once. */
class RowTransformsTest {
    static final int N = 250, D = 6, C = 4;

    @Test
    void jacobiansNormsAndReductionsEqualOneJvm() {
        Mlp model = Mlp.of(D, 9, C).activation(Activation.TANH).seed(3).build();
        Tensor x = TensorRandom.seed(5).normal(N, D);
        double[] all = x.toArray();
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < N; i++) rows.add(Arrays.copyOfRange(all, i * D, (i + 1) * D));
        double[] local = Diff.batchJacobian(model::forward, x).toArray(); // [N, C, D] in one call
        for (int partitions : new int[] {1, 3}) {
            JavaRDD<double[]> rdd = SparkTestSession.context().parallelize(rows, partitions);
            List<double[]> js = RowTransforms.jacobians(model, rdd, RowOptions.defaults().rowsPerChunk(37)).collect();
            List<Double> norms = RowTransforms.jacobianNorms(model, rdd).collect();
            List<Double> traces = RowTransforms.mapJacobians(model, rdd, j -> j.get(0, 0) + j.get(1, 1), RowOptions.defaults().memoryBudget(4096)).collect();
            assertEquals(N, js.size());
            for (int i = 0; i < N; i++) {
                double[] want = Arrays.copyOfRange(local, i * C * D, (i + 1) * C * D);
                assertArrayEquals(bits(want), bits(js.get(i)), "row " + i);
                double s = 0;
                for (double v : want) s += v * v;
                assertEquals(Math.sqrt(s), norms.get(i), 0);
                assertEquals(want[0] + want[D + 1], traces.get(i), 0);
            }
        }
    }

    static long[] bits(double[] v) {
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Double.doubleToRawLongBits(v[i]);
        return b;
    }
}
