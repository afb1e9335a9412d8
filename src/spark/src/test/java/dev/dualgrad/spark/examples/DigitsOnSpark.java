package dev.dualgrad.spark.examples;

import dev.dualgrad.data.Dataset;
import dev.dualgrad.data.Digits;
import dev.dualgrad.nn.Adam;
import dev.dualgrad.nn.BlockedObjective;
import dev.dualgrad.nn.Mlp;
import dev.dualgrad.nn.Trainer;
import dev.dualgrad.spark.DistributedObjective;
import dev.dualgrad.spark.DistributedOptions;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The digits classifier trained on Spark (a driver-side Adam over the distributed objective) and in one JVM
 * (the same Adam over the BlockedObjective): the same final parameters, bit for bit, hence the same accuracy.
 * Run with the JVM options of the README's "Running on Spark" section, or through spark-submit.
 */
public final class DigitsOnSpark {
    /** What the two runs ended with. */
    public record Result(Mlp onSpark, Mlp oneJvm, double sparkAccuracy, double oneJvmAccuracy, double firstLoss, double lastLoss) {}

    private DigitsOnSpark() {}

    /**
     * Trains both ways.
     *
     * @param sc the Spark context
     * @param steps the number of Adam steps
     * @return both models and their test accuracies
     */
    public static Result run(JavaSparkContext sc, int steps) {
        Dataset[] split = Digits.load().split(0.8, 42);
        Dataset train = split[0], test = split[1];
        Mlp onSpark = Mlp.of(Digits.PIXELS, 32, Digits.CLASSES).seed(0).build();
        Mlp oneJvm = Mlp.of(Digits.PIXELS, 32, Digits.CLASSES).seed(0).build();

        DistributedObjective distributed = DistributedObjective.of(DistributedObjective.rows(sc, train, 4),
                DistributedObjective.crossEntropy(onSpark), new int[] {Digits.PIXELS}, DistributedOptions.defaults().blockSize(128));
        double[] losses = Trainer.of(onSpark, new Adam(0.05)).minimize(distributed, steps);
        distributed.unpersist();

        Trainer.of(oneJvm, new Adam(0.05)).minimize(BlockedObjective.of(oneJvm, train).blockSize(128), steps);
        return new Result(onSpark, oneJvm, Trainer.accuracy(onSpark, test), Trainer.accuracy(oneJvm, test), losses[0], losses[steps - 1]);
    }

    /**
     * Trains on Spark local mode and in one JVM, and prints the comparison.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("digits").config("spark.ui.enabled", "false").getOrCreate();
        try {
            Result r = run(JavaSparkContext.fromSparkContext(spark.sparkContext()), 40);
            boolean same = r.onSpark().snapshot().equals(r.oneJvm().snapshot());
            System.out.printf(Locale.ROOT, "loss %.3f -> %.3f; test accuracy on Spark %.1f%%, one JVM %.1f%%; parameters bitwise equal: %s%n",
                    r.firstLoss(), r.lastLoss(), 100 * r.sparkAccuracy(), 100 * r.oneJvmAccuracy(), same);
            if (!same) throw new IllegalStateException("the Spark run and the one-JVM run differ");
        } finally {
            spark.stop();
        }
    }
}
