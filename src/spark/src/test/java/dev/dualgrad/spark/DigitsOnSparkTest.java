package dev.dualgrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.spark.examples.DigitsOnSpark;
import org.junit.jupiter.api.Test;

/** The example: Spark local mode and one JVM end with the same parameters bitwise, and learn. */
class DigitsOnSparkTest {
    @Test
    void sameFinalParametersBitwiseAndTheSameAccuracy() {
        DigitsOnSpark.Result r = DigitsOnSpark.run(SparkTestSession.context(), 10);
        assertEquals(r.oneJvm().snapshot(), r.onSpark().snapshot());
        assertEquals(r.oneJvmAccuracy(), r.sparkAccuracy());
        assertTrue(r.lastLoss() < 0.5 * r.firstLoss() && r.sparkAccuracy() > 0.8, r.toString());
    }
}
