package dev.dualgrad.spark;

import dev.dualgrad.Diff;
import dev.dualgrad.nn.Module;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.JacobianOptions;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Per-row transforms of a model over an RDD of input rows: each row's Jacobian J = ∂f(x)/∂x of the model's
 * output with respect to its input, [C, D] for a row of D features and C outputs.
 *
 * <p>The model is broadcast once, as its spec and parameter snapshot. Each task checks its executor's
 * {@link Fingerprint} against the driver's, then cuts its partition into chunks of
 * {@link RowOptions#rowsPerChunk(int)} rows and computes each chunk's Jacobians with one
 * {@code Diff.batchJacobian} call (min(C, D) forward or reverse passes whatever the chunk's size). Rows do not
 * interact in the model, so every row's Jacobian is bitwise what {@code Diff.batchJacobian} gives in one JVM,
 * whatever the chunks and partitions. Results keep the rows' order.</p>
 *
 * <pre>{@code
 * JavaRDD<Double> norms = RowTransforms.jacobianNorms(model, rows);   // ‖J‖_F per row
 * }</pre>
 */
public final class RowTransforms {
    private RowTransforms() {}

    /**
     * A user's reduction of one row's Jacobian, run on the executors.
     *
     * @param <R> the result type (serializable, to come back to the driver)
     */
    @FunctionalInterface
    public interface RowReduction<R> extends Serializable {
        /**
         * Reduces one row's Jacobian.
         *
         * @param jacobian J = ∂f(x)/∂x of one row, [C, D]
         * @return the result for that row
         */
        R apply(Tensor jacobian);
    }

    /**
     * Each row's full Jacobian, flattened row-major ([C, D] as C·D doubles).
     *
     * @param model the model, with a {@link Module#spec()} (it is broadcast as spec and snapshot)
     * @param rows the input rows, each of the model's D features
     * @return one array of C·D doubles per row, in order
     */
    public static JavaRDD<double[]> jacobians(Module model, JavaRDD<double[]> rows) {
        return jacobians(model, rows, RowOptions.defaults());
    }

    /**
     * Each row's full Jacobian, flattened row-major.
     *
     * @param model the model, with a {@link Module#spec()}
     * @param rows the input rows
     * @param options the chunk size and memory budget
     * @return one array of C·D doubles per row, in order
     */
    public static JavaRDD<double[]> jacobians(Module model, JavaRDD<double[]> rows, RowOptions options) {
        return mapJacobians(model, rows, Tensor::toArray, options);
    }

    /**
     * Each row's Frobenius norm ‖J‖_F = √(Σ J_cd²), summed in row-major order.
     *
     * @param model the model, with a {@link Module#spec()}
     * @param rows the input rows
     * @return one norm per row, in order
     */
    public static JavaRDD<Double> jacobianNorms(Module model, JavaRDD<double[]> rows) {
        return jacobianNorms(model, rows, RowOptions.defaults());
    }

    /**
     * Each row's Frobenius norm.
     *
     * @param model the model, with a {@link Module#spec()}
     * @param rows the input rows
     * @param options the chunk size and memory budget
     * @return one norm per row, in order
     */
    public static JavaRDD<Double> jacobianNorms(Module model, JavaRDD<double[]> rows, RowOptions options) {
        return mapJacobians(model, rows, RowTransforms::frobenius, options);
    }

    /**
     * A user's reduction of each row's Jacobian.
     *
     * @param <R> the result type
     * @param model the model, with a {@link Module#spec()}
     * @param rows the input rows
     * @param reduction what to keep of each row's Jacobian [C, D]
     * @return one result per row, in order
     */
    public static <R> JavaRDD<R> mapJacobians(Module model, JavaRDD<double[]> rows, RowReduction<R> reduction) {
        return mapJacobians(model, rows, reduction, RowOptions.defaults());
    }

    /**
     * A user's reduction of each row's Jacobian, with options.
     *
     * @param <R> the result type
     * @param model the model, with a {@link Module#spec()}; one without fails here, naming the fix
     * @param rows the input rows
     * @param reduction what to keep of each row's Jacobian [C, D]
     * @param options the chunk size and memory budget
     * @return one result per row, in order
     * @throws NullPointerException when an argument is null
     */
    public static <R> JavaRDD<R> mapJacobians(Module model, JavaRDD<double[]> rows, RowReduction<R> reduction, RowOptions options) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(reduction, "reduction");
        Objects.requireNonNull(options, "options");
        Broadcast<ShippedModel> shipped = JavaSparkContext.fromSparkContext(rows.context()).broadcast(new ShippedModel(model));
        String driver = Fingerprint.current();
        return rows.mapPartitions(it -> {
            Fingerprint.check(driver);
            Module m = shipped.value().module();
            return new Chunks<>(it, options.rowsPerChunk(), options.jacobianOptions(), m, reduction);
        });
    }

    static double frobenius(Tensor j) {
        double s = 0;
        for (double v : j.toArray()) s += v * v;
        return Math.sqrt(s);
    }

    /** The results of a partition, computed a chunk at a time as they are consumed. */
    private static final class Chunks<R> implements Iterator<R> {
        private final Iterator<double[]> rows;
        private final int chunk;
        private final JacobianOptions options;
        private final Module model;
        private final RowReduction<R> reduction;
        private final ArrayDeque<R> ready = new ArrayDeque<>();

        Chunks(Iterator<double[]> rows, int chunk, JacobianOptions options, Module model, RowReduction<R> reduction) {
            this.rows = rows;
            this.chunk = chunk;
            this.options = options;
            this.model = model;
            this.reduction = reduction;
        }

        @Override
        public boolean hasNext() {
            if (ready.isEmpty() && rows.hasNext()) fill();
            return !ready.isEmpty();
        }

        @Override
        public R next() {
            if (!hasNext()) throw new NoSuchElementException();
            return ready.poll();
        }

        private void fill() {
            double[] first = rows.next();
            int d = first.length, n = 0;
            double[] x = new double[chunk * d];
            for (double[] r = first; ; r = rows.next()) {
                if (r.length != d) throw new IllegalArgumentException("RowTransforms: rows of " + d + " and " + r.length + " features in one partition");
                System.arraycopy(r, 0, x, n * d, d);
                if (++n == chunk || !rows.hasNext()) break;
            }
            Tensor j = Diff.batchJacobian(model::forward, Tensor.of(n == chunk ? x : Arrays.copyOf(x, n * d), n, d), options);
            // each row's [C, D] by select: one copy of its entries (a copy of the whole, then of each row, then
            // Tensor.of's own, were ~5% of the executors' samples in SparkBench's profile)
            for (int i = 0; i < n; i++) ready.add(reduction.apply(j.select(0, i)));
        }
    }
}
