package dev.dualgrad.spark.bench;

import dev.dualgrad.Diff;
import dev.dualgrad.data.Dataset;
import dev.dualgrad.data.Digits;
import dev.dualgrad.nn.BlockedObjective;
import dev.dualgrad.nn.Mlp;
import dev.dualgrad.spark.DistributedObjective;
import dev.dualgrad.spark.DistributedOptions;
import dev.dualgrad.spark.LabeledRow;
import dev.dualgrad.spark.RowOptions;
import dev.dualgrad.spark.RowTransforms;
import dev.dualgrad.tensor.ExactSum;
import dev.dualgrad.tensor.Parallelism;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Issue 19's figures (BENCHMARKS.md): per-row sensitivities of 200,000 × 64 rows through a 64-128-10 MLP in one
 * JVM (1 and 2 threads) and on Spark local[1] and local[2]; one distributed gradient over 179,700 rows (the
 * digits ×100) one JVM against local[1]/local[2]; the exact accumulator against plain summation; the session
 * start. Medians of a few repetitions after a warm-up; then, in each Spark session, Spark's task metrics per call
 * (a {@link TaskTimes} listener) and the one-JVM call alternated with Spark's in {@link #PAIRS} pairs, the overhead
 * read as the median of the per-pair ratios (a phase's figure alone scatters ±20% within one JVM on a shared
 * machine). The sensitivities' one-JVM reference produces what Spark's job does (one reduced result per row,
 * then their sum), and Spark's rows are made on the executors, as a user's would be read there. Run from src/spark (after the root build):
 * {@code mvn -B -o test-compile exec:exec ...} or {@code java <spark.jvm.options> -cp <test class path> dev.dualgrad.spark.bench.SparkBench}.
 */
public final class SparkBench {
    static final int ROWS = 200_000, D = 64, REPS = 3;

    private SparkBench() {}

    static double median(int reps, Supplier<Object> body) {
        body.get(); // warm-up
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            body.get();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }

    /** The rows are made in blocks of this many, each from its own seed, so that Spark's executors can make them. */
    static final int GENERATED = 1000;

    /** Rows [b·GENERATED, (b + 1)·GENERATED) of the sensitivities' input, row-major: the same on the driver and on executors. */
    static double[] generated(int b) {
        return TensorRandom.seed(1 + b).normal(GENERATED, D).toArray();
    }

    public static void main(String[] args) {
        Mlp model = Mlp.of(D, 128, 10).seed(0).build();
        double[] all = new double[ROWS * D];
        List<Integer> blockIds = new ArrayList<>();
        for (int b = 0; b < ROWS / GENERATED; b++) {
            System.arraycopy(generated(b), 0, all, b * GENERATED * D, GENERATED * D);
            blockIds.add(b);
        }
        Dataset digits = Digits.load();
        Dataset big = digits.rows(repeat(digits.size(), 100)); // 179,700 rows
        BlockedObjective blocked = BlockedObjective.of(model, big);

        Supplier<Object> sens = () -> {
            double s = 0;
            for (int from = 0; from < ROWS; from += 1024) {
                Tensor chunk = Tensor.of(Arrays.copyOfRange(all, from * D, Math.min(ROWS, from + 1024) * D), Math.min(1024, ROWS - from), D);
                for (double v : Diff.batchJacobian(model::forward, chunk).toArray()) s += v;
            }
            return s;
        };
        // the same output as Spark's job, in one JVM: each row's Jacobian by select, reduced by the same reduction, one
        // boxed result per row in order, then summed as Spark's reduce does. The whole-chunk sum above skips the per-row
        // work, so against it the "overhead" of Spark's job included per-row work any one-JVM user of per-row results does
        RowTransforms.RowReduction<Double> rowSum = SparkBench::sumOf;
        Supplier<Object> sensRows = () -> {
            List<Double> results = new ArrayList<>(ROWS);
            for (int from = 0; from < ROWS; from += 1024) {
                int n = Math.min(1024, ROWS - from);
                Tensor j = Diff.batchJacobian(model::forward, Tensor.of(Arrays.copyOfRange(all, from * D, (from + n) * D), n, D));
                for (int i = 0; i < n; i++) results.add(rowSum.apply(j.select(0, i)));
            }
            double s = 0;
            for (Double r : results) s += r;
            return s;
        };
        // one thread pinned (the default uses every core since issue 21); two: the default, the machine's 2 cores
        double sens1 = median(REPS, () -> Parallelism.singleThreaded(sens));
        double sens2 = median(REPS, sens);
        double rows1 = median(REPS, () -> Parallelism.singleThreaded(sensRows));
        double rows2 = median(REPS, sensRows);
        double grad1 = median(REPS, () -> Parallelism.singleThreaded(() -> blocked.valueAndGrad(model.parameterArray())));
        double grad2 = median(REPS, () -> blocked.valueAndGrad(model.parameterArray()));

        // the accumulator: the blocks' gradients (9,610 values each) added exactly vs with +=, then rounded
        Tensor[] g = blocked.valueAndGrad(model.parameterArray()).grads().toArray();
        int blocks = blocked.blockCount();
        double exact = median(5, () -> {
            ExactSum[] s = new ExactSum[g.length];
            for (int i = 0; i < g.length; i++) s[i] = ExactSum.ofShape(g[i].shape());
            for (int b = 0; b < blocks; b++) for (int i = 0; i < g.length; i++) s[i].add(g[i]);
            double z = 0;
            for (ExactSum e : s) z += e.result().toArray()[0];
            return z;
        });
        double plain = median(5, () -> {
            double[][] s = new double[g.length][];
            for (int i = 0; i < g.length; i++) s[i] = new double[g[i].size()];
            for (int b = 0; b < blocks; b++) for (int i = 0; i < g.length; i++) {
                double[] v = g[i].toArray();
                for (int k = 0; k < v.length; k++) s[i][k] += v[k];
            }
            return s;
        });

        PrintStream out = System.out; // each figure as soon as it is measured
        out.print(String.format(Locale.ROOT, "one JVM: sensitivities %d x %d: 1 thread %.0f ms, 2 threads %.0f ms (per-row results as Spark's job: %.0f ms, %.0f ms); gradient over %d rows (%d blocks): 1 thread %.0f ms, 2 threads %.0f ms%n",
                ROWS, D, sens1, sens2, rows1, rows2, big.size(), blocks, grad1, grad2));
        out.print(String.format(Locale.ROOT, "accumulator: %d blocks x %d values: exact %.1f ms, plain += %.1f ms (exact = %.1f%% of the 1-thread gradient)%n",
                blocks, model.parameterCount(), exact, plain, 100 * exact / grad1));

        for (String master : new String[] {"local[1]", "local[2]"}) {
            long t0 = System.nanoTime();
            SparkSession spark = SparkSession.builder().master(master).appName("bench").config("spark.ui.enabled", "false").getOrCreate();
            double start = (System.nanoTime() - t0) / 1e6;
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            TaskTimes tasks = new TaskTimes();
            sc.sc().addSparkListener(tasks);
            int parts = master.equals("local[1]") ? 1 : 2;
            // made on the executors from block numbers: sc.parallelize(rows) would put 51 MB of rows in each task's
            // partition, shipped and deserialised at every call although cached (README, "Running on Spark")
            JavaRDD<double[]> rdd = sc.parallelize(blockIds, 2 * parts).flatMap(b -> {
                double[] block = generated(b);
                List<double[]> rs = new ArrayList<>(GENERATED);
                for (int i = 0; i < GENERATED; i++) rs.add(Arrays.copyOfRange(block, i * D, (i + 1) * D));
                return rs.iterator();
            }).cache();
            rdd.count();
            Supplier<Object> sparkSensCall = () -> RowTransforms.mapJacobians(model, rdd, rowSum, RowOptions.defaults().rowsPerChunk(1024)).reduce(Double::sum);
            sparkSensCall.get(); // the first call after the session starts, left out of the task metrics
            tasks.summary(1);
            tasks.reset();
            double sparkSens = median(REPS, sparkSensCall);
            String sensTasks = tasks.summary(REPS + 1);
            JavaRDD<LabeledRow> data = DistributedObjective.rows(sc, big, 2 * parts);
            DistributedObjective f = DistributedObjective.of(data, DistributedObjective.crossEntropy(model), new int[] {D}, DistributedOptions.defaults());
            f.valueAndGrad(model.parameterArray()); // likewise
            tasks.summary(1);
            tasks.reset();
            double sparkGrad = median(REPS, () -> f.valueAndGrad(model.parameterArray()));
            String gradTasks = tasks.summary(REPS + 1);
            boolean same = Arrays.equals(bits(f.valueAndGrad(model.parameterArray()).grads().get(0)), bits(g[0]));
            out.print(String.format(Locale.ROOT, "%s: session start %.0f ms; sensitivities %.0f ms; gradient %.0f ms (bitwise the one JVM's: %s)%n",
                    master, start, sparkSens, sparkGrad, same));
            out.print(String.format(Locale.ROOT, "  %s tasks per call: sensitivities %s; gradient %s%n", master, sensTasks, gradTasks));
            // the one-JVM work and Spark's alternated, call by call, with the session and its cached data alive: the
            // within-JVM scatter of either alone is ±20% on a shared machine, so the overhead is read from the pairs
            Supplier<Object> oneSens = parts == 1 ? () -> Parallelism.singleThreaded(sensRows) : sensRows;
            Supplier<Object> oneGrad = parts == 1 ? () -> Parallelism.singleThreaded(() -> blocked.valueAndGrad(model.parameterArray()))
                    : () -> blocked.valueAndGrad(model.parameterArray());
            out.print(String.format(Locale.ROOT, "  %s alternated with one JVM (%d thread%s; sensitivities with per-row results), %d pairs: sensitivities %s; gradient %s%n", master, parts,
                    parts == 1 ? "" : "s", PAIRS, paired(oneSens, sparkSensCall), paired(oneGrad, () -> f.valueAndGrad(model.parameterArray()))));
            spark.stop();
        }
    }

    /**
     * Spark's own task metrics, summed over the tasks that ended since {@link #reset}: where a job's wall time goes
     * inside its tasks (run, of it CPU and GC, deserialisation, result serialisation) and between them.
     */
    static final class TaskTimes extends org.apache.spark.scheduler.SparkListener {
        private long tasks, duration, run, cpuNs, gc, deserialize, resultSerialize;

        synchronized void reset() {
            tasks = duration = run = cpuNs = gc = deserialize = resultSerialize = 0;
        }

        @Override
        public synchronized void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
            org.apache.spark.executor.TaskMetrics m = end.taskMetrics();
            if (m == null) return;
            tasks++;
            duration += end.taskInfo().duration();
            run += m.executorRunTime();
            cpuNs += m.executorCpuTime();
            gc += m.jvmGCTime();
            deserialize += m.executorDeserializeTime();
            resultSerialize += m.resultSerializationTime();
        }

        /** Per call (the sums over {@code calls} calls, after a pause for the last events): the tasks' wall duration, run time, CPU, GC, (de)serialisation. */
        String summary(int calls) {
            try { // the listener bus delivers task ends asynchronously: let the last ones arrive
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                return format(calls);
            }
        }

        private String format(int calls) {
            return String.format(Locale.ROOT, "%d tasks, duration %.0f ms, run %.0f ms (CPU %.0f, GC %.0f), deserialise %.0f, result serialise %.0f",
                    tasks / calls, (double) duration / calls, (double) run / calls, cpuNs / 1e6 / calls, (double) gc / calls,
                    (double) deserialize / calls, (double) resultSerialize / calls);
        }
    }

    static final int PAIRS = 5;

    /** {@link #PAIRS} calls of each, alternated: both medians and the median of the per-pair ratios b / a. */
    static String paired(Supplier<Object> a, Supplier<Object> b) {
        double[] ta = new double[PAIRS], tb = new double[PAIRS], ratio = new double[PAIRS];
        for (int i = 0; i < PAIRS; i++) {
            long t0 = System.nanoTime();
            a.get();
            long t1 = System.nanoTime();
            b.get();
            long t2 = System.nanoTime();
            ta[i] = (t1 - t0) / 1e6;
            tb[i] = (t2 - t1) / 1e6;
            ratio[i] = tb[i] / ta[i];
        }
        Arrays.sort(ta);
        Arrays.sort(tb);
        Arrays.sort(ratio);
        return String.format(Locale.ROOT, "one JVM %.0f ms, Spark %.0f ms, Spark / one JVM %.3f (pairs %.3f–%.3f)", ta[PAIRS / 2], tb[PAIRS / 2],
                ratio[PAIRS / 2], ratio[0], ratio[PAIRS - 1]);
    }

    /** The per-row reduction of the sensitivities job: the sum of a row's Jacobian entries, in row-major order. */
    static double sumOf(Tensor jacobian) {
        double s = 0;
        for (double v : jacobian.toArray()) s += v;
        return s;
    }

    static int[] repeat(int n, int times) {
        int[] idx = new int[n * times];
        for (int i = 0; i < idx.length; i++) idx[i] = i % n;
        return idx;
    }

    static long[] bits(Tensor t) {
        return Arrays.stream(t.toArray()).mapToLong(Double::doubleToRawLongBits).toArray();
    }
}
