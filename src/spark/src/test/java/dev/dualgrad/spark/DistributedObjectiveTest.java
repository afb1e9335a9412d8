package dev.dualgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.commons.Objective;
import dev.dualgrad.data.Dataset;
import dev.dualgrad.data.Digits;
import dev.dualgrad.nn.BlockedObjective;
import dev.dualgrad.nn.Mlp;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.ValueAndGrad;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleValueChecker;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.gradient.NonLinearConjugateGradientOptimizer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The distributed gradient, bitwise the one-JVM BlockedObjective for any partition count and in every run. */
class DistributedObjectiveTest {
    static final Dataset DIGITS = Digits.load();
    static final Mlp MODEL = Mlp.of(Digits.PIXELS, 16, Digits.CLASSES).seed(1).build();
    static final int[] ROW = {Digits.PIXELS};

    static long[] bits(ValueAndGrad vg) {
        List<Long> b = new ArrayList<>();
        for (double v : vg.value().toArray()) b.add(Double.doubleToRawLongBits(v));
        for (Tensor g : vg.grads()) for (double v : g.toArray()) b.add(Double.doubleToRawLongBits(v));
        return b.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void bitwiseTheBlockedObjectiveForOneThreeFourAndSevenPartitions() {
        BlockedObjective.BlockLoss loss = DistributedObjective.crossEntropy(MODEL);
        long[] reference = bits(BlockedObjective.of(DIGITS, loss).blockSize(100).valueAndGrad(MODEL.parameterArray()));
        for (int p : new int[] {1, 3, 4, 7}) {
            JavaRDD<LabeledRow> rows = DistributedObjective.rows(SparkTestSession.context(), DIGITS, 5);
            DistributedObjective f = DistributedObjective.of(rows, loss, ROW, DistributedOptions.defaults().blockSize(100).partitions(p));
            assertArrayEquals(reference, bits(f.valueAndGrad(MODEL.parameterArray())), p + " partitions");
            f.unpersist();
        }
    }

    @Test
    void twentyRunsGiveOneResult() {
        BlockedObjective.BlockLoss loss = DistributedObjective.crossEntropy(MODEL);
        DistributedObjective f = DistributedObjective.of(DistributedObjective.rows(SparkTestSession.context(), DIGITS, 7), loss, ROW,
                DistributedOptions.defaults().blockSize(64).treeDepth(3));
        Set<List<Long>> seen = new HashSet<>();
        for (int run = 0; run < 20; run++) seen.add(Arrays.stream(bits(f.valueAndGrad(MODEL.parameterArray()))).boxed().toList());
        assertEquals(1, seen.size());
        assertArrayEquals(bits(f.reference(DIGITS).valueAndGrad(MODEL.parameterArray())), seen.iterator().next().stream().mapToLong(Long::longValue).toArray());
        f.unpersist();
    }

    @Test
    void seededMiniBatchesAndDataFramesToo() {
        BlockedObjective.BlockLoss loss = DistributedObjective.crossEntropy(MODEL);
        DistributedOptions o = DistributedOptions.defaults().blockSize(50).partitions(3).sampling(0.1, 17);
        List<Row> rows = new ArrayList<>();
        double[] x = DIGITS.x().toArray();
        for (int i = 0; i < DIGITS.size(); i++) {
            double[] r = Arrays.copyOfRange(x, i * 64, (i + 1) * 64);
            rows.add(RowFactory.create((long) i, Arrays.stream(r).boxed().toArray(Double[]::new), DIGITS.labels()[i]));
        }
        StructType schema = new StructType().add("index", DataTypes.LongType).add("features", DataTypes.createArrayType(DataTypes.DoubleType))
                .add("label", DataTypes.IntegerType);
        DistributedObjective f = DistributedObjective.of(SparkTestSession.get().createDataFrame(rows, schema).repartition(4), loss, ROW, o);
        BlockedObjective local = BlockedObjective.of(DIGITS, loss).blockSize(50).sampling(0.1, 17);
        for (long step : new long[] {0, 3}) {
            BlockedObjective.Sums s = f.atStep(step).sums(MODEL.parameterArray());
            assertTrue(s.rows() > 120 && s.rows() < 240, "rows " + s.rows());
            assertArrayEquals(bits(local.atStep(step).valueAndGrad(MODEL.parameterArray())), bits(s.mean()), "step " + step);
        }
        f.unpersist();
    }

    /** Commons Math's conjugate gradient, 8 iterations, on one training objective. */
    static PointValuePair conjugateGradient(Objective f) {
        return new NonLinearConjugateGradientOptimizer(NonLinearConjugateGradientOptimizer.Formula.POLAK_RIBIERE,
                new SimpleValueChecker(1e-12, 1e-12, 8)).optimize(new MaxEval(2_000), f.function(), f.gradient(), GoalType.MINIMIZE,
                new InitialGuess(MODEL.snapshot().values()));
    }

    @Test
    void commonsMathsConjugateGradientOnTheClusterTakesTheOneJvmPath() {
        BlockedObjective.BlockLoss loss = DistributedObjective.crossEntropy(MODEL);
        DistributedObjective distributed = DistributedObjective.of(DistributedObjective.rows(SparkTestSession.context(), DIGITS, 3), loss, ROW,
                DistributedOptions.defaults().blockSize(128).partitions(3));
        Objective onCluster = Objective.of(distributed, MODEL.snapshot());
        PointValuePair there = conjugateGradient(onCluster);
        PointValuePair here = conjugateGradient(Objective.of(distributed.reference(DIGITS), MODEL.snapshot()));
        assertArrayEquals(here.getPoint(), there.getPoint(), 0.0, "every evaluation bitwise, so every step");
        assertEquals(here.getValue(), there.getValue(), 0.0);
        double start = distributed.valueAndGrad(MODEL.parameterArray()).value().item();
        assertTrue(there.getValue() < 0.8 * start, start + " -> " + there.getValue());
        assertTrue(onCluster.gradientRecordings() > 8, "evaluations: " + onCluster.gradientRecordings());
        distributed.unpersist();
    }
}
