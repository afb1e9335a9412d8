package dev.dualgrad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dualgrad.data.Dataset;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.testing.GradCheckResult;
import dev.dualgrad.testing.TensorArbitrary;
import dev.dualgrad.transforms.PerArgument;
import org.junit.jupiter.api.Test;

/** No public method hands out an array that the library keeps: writing to what it returns changes nothing. */
class NoLiveArraysTest {
    @Test
    void tensorValuesAndShapesAreCopies() {
        Tensor t = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
        t.toArray()[0] = 99;
        t.shape()[0] = 7;
        assertEquals(1.0, t.get(0, 0), 0);
        assertArrayEquals(new int[] {2, 2}, t.shape());
        double[] in = {5, 6};
        Tensor v = Tensor.of(in, 2);
        in[0] = 99;
        assertEquals(5.0, v.get(0), 0);
    }

    @Test
    void datasetLabelsAreCopiedInAndOut() {
        int[] labels = {0, 1};
        Dataset d = new Dataset(Tensor.zeros(2, 3), labels);
        labels[0] = 9;
        d.labels()[1] = 9;
        assertArrayEquals(new int[] {0, 1}, d.labels());
    }

    @Test
    void perArgumentResultsAndReportsHoldTheirOwnArrays() {
        Tensor[] parts = {Tensor.scalar(1), Tensor.scalar(2)};
        PerArgument p = PerArgument.of(parts);
        parts[0] = Tensor.scalar(9);
        p.toArray()[1] = Tensor.scalar(9);
        assertEquals(1.0, p.get(0).item(), 0);
        assertEquals(2.0, p.get(-1).item(), 0);
        int[] index = {1, 2};
        GradCheckResult.Worst w = new GradCheckResult.Worst(0, index, 1, 1, 1);
        index[0] = 7;
        w.index()[1] = 7;
        assertArrayEquals(new int[] {1, 2}, w.index());
        TensorArbitrary.specialValues()[0] = 42;
        assertEquals(0.0, TensorArbitrary.specialValues()[0], 0);
    }
}
