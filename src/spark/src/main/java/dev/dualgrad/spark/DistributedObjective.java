package dev.dualgrad.spark;

import dev.dualgrad.data.Dataset;
import dev.dualgrad.nn.BlockedObjective;
import dev.dualgrad.nn.Module;
import dev.dualgrad.nn.TrainingObjective;
import dev.dualgrad.nn.ParameterSnapshot;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.ValueAndGrad;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The mean loss over a data set held by a cluster, with its gradient: bitwise equal to
 * {@link BlockedObjective} over the same rows in one JVM, for any number of partitions and executors and in
 * every run.
 *
 * <p>At construction the rows are grouped once into blocks of B rows by global row index (block b holds rows
 * [bB, (b+1)B), as in one JVM), and the blocks are cached. Each {@link #valueAndGrad(Tensor[])} broadcasts
 * the parameters once; each task checks its executor's {@link Fingerprint}, then adds its blocks' loss sums
 * and gradients ({@code BlockedObjective.Sums.addBlock}, one reverse sweep per block, single-threaded) into
 * exact accumulators, and {@code treeAggregate} merges the partitions' accumulators. Exact sums do not depend
 * on the order in which tasks finish, so neither does the result. The partial sums travel as Java-serialized
 * bytes, whatever {@code spark.serializer} is.</p>
 *
 * <p>It is a {@link TrainingObjective}: {@code Trainer.of(model, new Adam(1e-2)).minimize(objective, steps)} drives a
 * driver-side optimizer with it, and {@link #atStep(long)} gives step t's seeded mini-batch when
 * {@link DistributedOptions#sampling(double, long)} is set.</p>
 */
public final class DistributedObjective implements TrainingObjective {
    /** One block as a partition holds it: its rows in global order. */
    record Block(long index, long[] rows, double[] x, int[] labels) implements Serializable {}

    private final JavaRDD<Block> blocks;
    private final BlockedObjective.BlockLoss loss;
    private final int[] rowShape;
    private final DistributedOptions options;
    private final long step;

    private DistributedObjective(JavaRDD<Block> blocks, BlockedObjective.BlockLoss loss, int[] rowShape, DistributedOptions options, long step) {
        this.blocks = blocks;
        this.loss = loss;
        this.rowShape = rowShape;
        this.options = options;
        this.step = step;
    }

    /**
     * The mean of a block loss over the rows, in blocks of the default size.
     *
     * @param rows the rows, each with its global index
     * @param loss the loss of one block (the sum over its rows), serializable
     * @param rowShape the shape of one row's features (e.g. {64}), whose product is each row's length
     * @return the objective, its blocks cached
     */
    public static DistributedObjective of(JavaRDD<LabeledRow> rows, BlockedObjective.BlockLoss loss, int[] rowShape) {
        return of(rows, loss, rowShape, DistributedOptions.defaults());
    }

    /**
     * The mean of a block loss over the rows.
     *
     * @param rows the rows, each with its global index (unique)
     * @param loss the loss of one block (the sum over its rows), serializable
     * @param rowShape the shape of one row's features
     * @param options block size, partitions, tree depth, sampling
     * @return the objective, its blocks cached (materialized here, one pass over the rows)
     * @throws NullPointerException when an argument is null
     */
    public static DistributedObjective of(JavaRDD<LabeledRow> rows, BlockedObjective.BlockLoss loss, int[] rowShape, DistributedOptions options) {
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(rowShape, "rowShape");
        Objects.requireNonNull(options, "options");
        int b = options.blockSize();
        int parts = options.partitions() > 0 ? options.partitions() : rows.getNumPartitions();
        int width = Arrays.stream(rowShape).reduce(1, Math::multiplyExact);
        JavaRDD<Block> blocks = rows.mapToPair(r -> new Tuple2<>(r.index() / b, r)).groupByKey(new HashPartitioner(parts))
                .map(t -> block(t._1(), t._2(), width)).persist(StorageLevel.MEMORY_AND_DISK());
        blocks.count();
        return new DistributedObjective(blocks, loss, rowShape.clone(), options, 0);
    }

    /**
     * The mean of a block loss over a DataFrame's rows, with columns "index" (long), "features"
     * (array&lt;double&gt;) and "label" (int).
     *
     * @param frame the rows
     * @param loss the loss of one block (the sum over its rows), serializable
     * @param rowShape the shape of one row's features
     * @param options block size, partitions, tree depth, sampling
     * @return the objective
     */
    public static DistributedObjective of(org.apache.spark.sql.Dataset<Row> frame, BlockedObjective.BlockLoss loss, int[] rowShape,
            DistributedOptions options) {
        Objects.requireNonNull(frame, "frame");
        JavaRDD<LabeledRow> rows = frame.select("index", "features", "label").javaRDD().map(r -> {
            List<Double> f = r.getList(1);
            double[] x = new double[f.size()];
            for (int i = 0; i < x.length; i++) x[i] = f.get(i);
            return new LabeledRow(r.getLong(0), x, r.getInt(2));
        });
        return of(rows, loss, rowShape, options);
    }

    /**
     * A local data set as indexed rows, row i of {@code data} with index i.
     *
     * @param sc the Spark context
     * @param data the rows and labels
     * @param partitions the number of partitions, at least 1
     * @return the rows
     */
    public static JavaRDD<LabeledRow> rows(JavaSparkContext sc, Dataset data, int partitions) {
        Objects.requireNonNull(sc, "sc");
        Objects.requireNonNull(data, "data");
        int n = data.size(), w = n == 0 ? 0 : data.x().size() / n;
        double[] all = data.x().toArray();
        int[] labels = data.labels();
        List<LabeledRow> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) rows.add(new LabeledRow(i, Arrays.copyOfRange(all, i * w, (i + 1) * w), labels[i]));
        return sc.parallelize(rows, partitions);
    }

    private static Block block(long index, Iterable<LabeledRow> rows, int width) {
        List<LabeledRow> rs = new ArrayList<>();
        rows.forEach(rs::add);
        rs.sort((p, q) -> Long.compare(p.index(), q.index()));
        long[] idx = new long[rs.size()];
        double[] x = new double[rs.size() * width];
        int[] y = new int[rs.size()];
        for (int i = 0; i < idx.length; i++) {
            LabeledRow r = rs.get(i);
            if (r.x().length != width) throw new IllegalArgumentException("DistributedObjective: row " + r.index() + " has " + r.x().length + " features, expected " + width);
            if (i > 0 && idx[i - 1] == r.index()) throw new IllegalArgumentException("DistributedObjective: row index " + r.index() + " appears twice");
            idx[i] = r.index();
            System.arraycopy(r.x(), 0, x, i * width, width);
            y[i] = r.label();
        }
        return new Block(index, idx, x, y);
    }

    /**
     * Step t's mini-batch (this objective itself without sampling); the cached blocks are shared.
     *
     * @param step the optimizer step, ≥ 0
     * @return the objective of that step
     * @throws IllegalArgumentException when step is negative
     */
    @Override
    public DistributedObjective atStep(long step) {
        if (step < 0) throw new IllegalArgumentException("DistributedObjective.atStep: step must be ≥ 0, got " + step);
        return options.sampling() == null ? this : new DistributedObjective(blocks, loss, rowShape, options, step);
    }

    /**
     * The exact sums over all blocks, computed on the cluster.
     *
     * @param params θ, in the order of the model's parameters
     * @return the merged sums
     * @throws org.apache.spark.SparkException (unchecked in Java) when a task fails, e.g. an executor's fingerprint differs
     */
    public BlockedObjective.Sums sums(Tensor[] params) {
        Objects.requireNonNull(params, "params");
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i++) named.put(Integer.toString(i), Objects.requireNonNull(params[i], "params[" + i + "]"));
        ParameterSnapshot snapshot = ParameterSnapshot.of(named);
        int[][] shapes = snapshot.shapes();
        Broadcast<ParameterSnapshot> theta = JavaSparkContext.fromSparkContext(blocks.context()).broadcast(snapshot);
        String driver = Fingerprint.current();
        BlockedObjective.BlockLoss l = loss;
        int[] shape = rowShape;
        BlockedObjective.Sampling sampling = options.sampling();
        long t = step;
        JavaRDD<byte[]> partials = blocks.mapPartitions(it -> {
            Fingerprint.check(driver);
            Tensor[] ps = theta.value().toArray();
            BlockedObjective.Sums s = BlockedObjective.Sums.zero(shapes);
            while (it.hasNext()) s.addBlock(l, ps, dataset(it.next(), shape, sampling, t));
            return Collections.singletonList(ShippedModel.Bytes.of(s)).iterator();
        });
        Merge merge = new Merge();
        byte[] total = partials.treeAggregate(Merge.NONE, merge, merge, options.treeDepth());
        theta.unpersist();
        return total.length == 0 ? BlockedObjective.Sums.zero(shapes) : merge.decoded(total);
    }

    /**
     * Two partitions' sums, as serialized bytes, merged exactly. The empty array is the identity (no partial yet), so
     * {@code treeAggregate}'s zero costs nothing to ship or fold. On the driver the running total is the output of
     * the previous merge: the merge keeps that output's decoded sums, so each later merge decodes only the partition
     * that arrives (a 9,610-parameter model's sums are ~1.5 MB, read in 2–5 ms). The kept sums change only when
     * they are merged again, and then the output that named them is replaced, so a caller handing an older output
     * back gets it decoded from its bytes. The order of merges never changes the exact sums.
     */
    static final class Merge implements org.apache.spark.api.java.function.Function2<byte[], byte[], byte[]> {
        private static final long serialVersionUID = 1L;
        static final byte[] NONE = new byte[0];
        private transient byte[] lastOut;
        private transient BlockedObjective.Sums lastSums;

        @Override
        public synchronized byte[] call(byte[] a, byte[] b) {
            if (a.length == 0) return b;
            if (b.length == 0) return a;
            BlockedObjective.Sums sum = decoded(a).add(decoded(b));
            byte[] out = ShippedModel.Bytes.of(sum);
            lastOut = out;
            lastSums = sum;
            return out;
        }

        /** The sums serialized in {@code bytes}: the kept ones when bytes is the last output, else read. */
        synchronized BlockedObjective.Sums decoded(byte[] bytes) {
            if (bytes == lastOut) {
                BlockedObjective.Sums s = lastSums;
                lastOut = null; // handed out, to be changed by the caller: never again
                lastSums = null;
                return s;
            }
            return (BlockedObjective.Sums) ShippedModel.Bytes.read(bytes);
        }
    }

    /** A block's rows, those of step t's mini-batch when sampled, as the one-JVM BlockedObjective.block(b) gives them. */
    static Dataset dataset(Block b, int[] rowShape, BlockedObjective.Sampling sampling, long step) {
        int width = b.labels().length == 0 ? 0 : b.x().length / b.labels().length;
        if (sampling == null) { // every row: Tensor.of's copy is the only one (the selection below copied each block twice more)
            int[] shape = new int[rowShape.length + 1];
            shape[0] = b.labels().length;
            System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
            return new Dataset(Tensor.of(b.x(), shape), b.labels()); // Dataset copies the labels
        }
        int k = 0;
        double[] x = new double[b.x().length];
        int[] y = new int[b.labels().length];
        for (int i = 0; i < y.length; i++) {
            if (!sampling.keeps(step, b.rows()[i])) continue;
            System.arraycopy(b.x(), i * width, x, k * width, width);
            y[k++] = b.labels()[i];
        }
        int[] shape = new int[rowShape.length + 1];
        shape[0] = k;
        System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
        return new Dataset(Tensor.of(Arrays.copyOf(x, k * width), shape), Arrays.copyOf(y, k));
    }

    /**
     * f(θ) = (Σ_b S_b) / n and its gradient, computed on the cluster; bitwise {@link BlockedObjective}'s.
     *
     * @param params θ, in the order of the model's parameters
     * @return the mean loss and its gradients
     * @throws ArithmeticException when no rows are used
     */
    @Override
    public ValueAndGrad valueAndGrad(Tensor[] params) {
        return sums(params).mean();
    }

    /**
     * The one-JVM reference of this objective, over a local copy of the same rows.
     *
     * @param data the same rows, row i with global index i
     * @return {@code BlockedObjective.of(data, loss)} with this block size and sampling, at this step
     */
    public BlockedObjective reference(Dataset data) {
        Objects.requireNonNull(data, "data");
        BlockedObjective o = BlockedObjective.of(data, loss).blockSize(options.blockSize());
        BlockedObjective.Sampling s = options.sampling();
        return s == null ? o : o.sampling(s.fraction(), s.seed()).atStep(step);
    }

    /** Drops the cached blocks. */
    public void unpersist() {
        blocks.unpersist();
    }

    /**
     * The summed cross-entropy of a classifier as a block loss, serializable: the module travels with it.
     *
     * @param model the classifier, with a {@link Module#spec()}
     * @return {@link BlockedObjective#crossEntropySum(Module)}
     */
    public static BlockedObjective.BlockLoss crossEntropy(Module model) {
        return BlockedObjective.crossEntropySum(model);
    }
}
