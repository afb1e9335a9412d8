package dev.dualgrad.commons;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Tensor;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.BlockRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.junit.jupiter.api.Test;

/** Round trips, copies that never alias, the traced-read refusal and the shape errors. */
class ConversionsTest {
    @Test
    void roundTripsKeepEveryValueAndNeverShareAnArray() {
        Tensor m = Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
        RealMatrix r = Conversions.matrix(m);
        assertArrayEquals(new double[] {4, 5, 6}, r.getRow(1), 0);
        r.setEntry(0, 0, 99);
        assertEquals(1, m.get(0, 0), 0, "the tensor is unchanged");
        assertArrayEquals(new double[] {99, 2, 3, 4, 5, 6}, Conversions.tensor(r).toArray(), 0);
        assertArrayEquals(new int[] {2, 3}, Conversions.tensor(r).shape());
        double[][] rows = Conversions.rows(m);
        rows[1][2] = -1;
        assertEquals(6, m.get(1, 2), 0);
        assertArrayEquals(m.toArray(), Tensor.of(Conversions.rows(m)).toArray(), 0);

        RealVector v = Conversions.vector(Tensor.vector(1, 2, 3));
        v.setEntry(2, 7);
        assertArrayEquals(new double[] {1, 2, 7}, v.toArray(), 0);
        Tensor back = Conversions.tensor(v);
        v.setEntry(0, -5);
        assertArrayEquals(new double[] {1, 2, 7}, back.toArray(), 0, "the tensor does not alias the vector");
        assertEquals(6, Conversions.vector(m).getDimension(), "any shape, row-major");
        assertEquals(0, Conversions.vector(Tensor.zeros(0)).getDimension());
        assertArrayEquals(new double[] {1, 2, 3, 4}, Conversions.tensor(new BlockRealMatrix(new double[][] {{1, 2}, {3, 4}})).toArray(), 0);
        assertArrayEquals(new double[] {1, 2}, Conversions.tensor(new ArrayRealVector(new double[] {1, 2})).toArray(), 0);
        assertEquals(0, Conversions.rows(Tensor.zeros(0, 3)).length);
        assertTrue(Conversions.matrix(m) instanceof Array2DRowRealMatrix);
    }

    @Test
    void wrongShapesAndTracedTensorsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Conversions.matrix(Tensor.vector(1, 2)));
        assertTrue(e.getMessage().contains("Conversions.matrix: t has shape [2]; rows of a matrix need rank 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Conversions.matrix(Tensor.zeros(0, 3)));
        assertTrue(e.getMessage().contains("at least one row and one column"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Conversions.rows(Tensor.zeros(2, 2, 2)));
        IllegalStateException s = assertThrows(IllegalStateException.class,
                () -> Diff.grad(p -> Tensor.scalar(Conversions.vector(p).getNorm()), Tensor.vector(1, 2)));
        assertTrue(s.getMessage().startsWith("Conversions.vector: toArray()") && s.getMessage().contains("detach()"), s.getMessage());
        assertThrows(IllegalStateException.class, () -> Diff.jvp(p -> Tensor.of(Conversions.rows(p)), Tensor.ones(2, 2), Tensor.ones(2, 2)));
        // after the transform, its results read as usual
        assertEquals(2, Conversions.vector(Diff.grad(p -> p.square().sum(), Tensor.vector(1, 2))).getEntry(0), 0);
    }
}
