package dev.dualgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.data.Digits;
import dev.dualgrad.nn.Activation;
import dev.dualgrad.nn.BlockedObjective;
import dev.dualgrad.nn.Linear;
import dev.dualgrad.nn.Mlp;
import dev.dualgrad.nn.Module;
import dev.dualgrad.nn.ParameterSnapshot;
import dev.dualgrad.nn.Sequential;
import dev.dualgrad.tensor.ExactSum;
import dev.dualgrad.tensor.Parallelism;
import dev.dualgrad.tensor.Tensor;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/** The kernel check, the module that travels in a closure, the module without a spec, Kryo. */
class SafetyTest {
    @Test
    void insideASparkTaskTheDefaultRunsOnOneThreadAndOnTheDriverOnAll() {
        // Spark runs one task per core: dualgrad's default pool would oversubscribe them (Parallelism's rules).
        List<Integer> threads = SparkTestSession.context().parallelize(List.of(1, 2, 3, 4), 4).map(i -> Parallelism.threads()).collect();
        assertEquals(List.of(1, 1, 1, 1), threads);
        assertEquals(Parallelism.defaultThreads(), Parallelism.threads(), "the driver's own thread keeps the default");
    }

    @Test
    void anExecutorWithAnotherFingerprintFailsBeforeComputing() {
        Mlp model = Mlp.of(3, 4, 2).build();
        JavaRDD<double[]> rows = SparkTestSession.context().parallelize(List.of(new double[] {1, 2, 3}, new double[] {4, 5, 6}), 2);
        Fingerprint.forgeExecutorFingerprint("dualgrad 0.0.1, kernel plain, Java 17, amd64");
        try {
            Exception e = assertThrows(Exception.class, () -> RowTransforms.jacobians(model, rows).collect());
            assertTrue(e.getMessage().contains("this executor runs [dualgrad 0.0.1, kernel plain") && e.getMessage().contains(Fingerprint.current())
                    && e.getMessage().contains("spark.executor.extraJavaOptions"), e.getMessage());
            BlockedObjective.BlockLoss loss = DistributedObjective.crossEntropy(model);
            JavaRDD<LabeledRow> data = SparkTestSession.context().parallelize(List.of(new LabeledRow(0, new double[] {1, 2, 3}, 1)), 1);
            DistributedObjective f = DistributedObjective.of(data, loss, new int[] {3});
            e = assertThrows(Exception.class, () -> f.valueAndGrad(model.parameterArray()));
            assertTrue(e.getMessage().contains("this executor runs [dualgrad 0.0.1"), e.getMessage());
        } finally {
            Fingerprint.forgeExecutorFingerprint(null);
        }
        assertEquals(2, RowTransforms.jacobians(model, rows).count());
        assertTrue(Fingerprint.current().contains(Fingerprint.dualgradVersion()) && !Fingerprint.dualgradVersion().equals("unknown"), Fingerprint.current());
    }

    @Test
    void aModuleCapturedInAClosureTravelsAndOneWithoutASpecSaysHowToFixIt() {
        Mlp model = Mlp.of(3, 4, 2).seed(4).build();
        JavaRDD<double[]> rows = SparkTestSession.context().parallelize(List.of(new double[] {1, 2, 3}, new double[] {-1, 0, 2}), 2);
        List<double[]> out = rows.map(r -> model.forward(Tensor.of(r, 1, 3)).toArray()).collect(); // the natural code
        assertArrayEquals(model.forward(Tensor.of(new double[] {-1, 0, 2}, 1, 3)).toArray(), out.get(1), 0);
        Module noSpec = new Sequential(new Linear(3, 2, 0), new Activation("swish", t -> t.mul(t.sigmoid())));
        Exception e = assertThrows(Exception.class, () -> rows.map(r -> noSpec.forward(Tensor.of(r, 1, 3)).toArray()).collect());
        assertTrue(String.valueOf(e.getCause() == null ? e.getMessage() : e.getMessage() + e.getCause()).contains("override Module.spec()"), e.toString());
        e = assertThrows(Exception.class, () -> RowTransforms.jacobians(noSpec, rows));
        assertTrue(e.getMessage().contains("override Module.spec()"), e.getMessage());
    }

    @Test
    void snapshotsAndExactSumsRoundTripThroughSparksKryo() {
        SerializerInstance kryo = new KryoSerializer(new SparkConf()).newInstance();
        ParameterSnapshot s = Mlp.of(Digits.PIXELS, 8, 3).build().snapshot();
        ByteBuffer b = kryo.serialize(s, ClassTag$.MODULE$.apply(ParameterSnapshot.class));
        assertEquals(s, kryo.deserialize(b, ClassTag$.MODULE$.apply(ParameterSnapshot.class)));
        ExactSum sum = ExactSum.scalar().add(1e308).add(1.0).add(-1e308);
        ByteBuffer j = new org.apache.spark.serializer.JavaSerializer(new SparkConf()).newInstance().serialize(sum, ClassTag$.MODULE$.apply(ExactSum.class));
        assertEquals(1.0, ((ExactSum) new org.apache.spark.serializer.JavaSerializer(new SparkConf()).newInstance()
                .deserialize(j, ClassTag$.MODULE$.apply(ExactSum.class))).value());
    }
}
