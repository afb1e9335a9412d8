package dev.dualgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

/** Construction from nested arrays, seeded random tensors and the reversed scalar ops. */
class TensorConstructionTest {
    @Test
    void nestedArraysOfAnyRank() {
        Tensor t = Tensor.of(new double[][][] {{{1, 2}, {3, 4}, {5, 6}}, {{7, 8}, {9, 10}, {11, 12}}});
        assertArrayEquals(new int[] {2, 3, 2}, t.shape());
        assertEquals(10.0, t.get(1, 1, 1), 0);
        assertEquals(5.0, t.get(0, 2, 0), 0);
        Tensor four = Tensor.fromArray(new double[][][][] {{{{1}, {2}}}, {{{3}, {4}}}});
        assertArrayEquals(new int[] {2, 1, 2, 1}, four.shape());
        assertArrayEquals(new double[] {1, 2, 3, 4}, four.toArray(), 0);
        assertArrayEquals(new int[] {3}, Tensor.fromArray(new double[] {1, 2, 3}).shape());
        assertArrayEquals(new int[] {2, 0}, Tensor.fromArray(new double[][] {{}, {}}).shape());
    }

    @Test
    void nestedArraysThatAreNotRectangularAreRefusedWithThePosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new double[][][] {{{1, 2}, {3, 4}}, {{5, 6}, {7}}}));
        assertTrue(e.getMessage().contains("[1][1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.fromArray(new double[][][] {{{1}}, {}}));
        assertTrue(e.getMessage().contains("[1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.fromArray(new int[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> Tensor.fromArray(new double[0][]));
        assertThrows(NullPointerException.class, () -> Tensor.fromArray(new double[][] {{1}, null}));
        assertThrows(NullPointerException.class, () -> Tensor.fromArray(null));
    }

    @Test
    void theCallersArraysAreCopied() {
        double[][] rows = {{1, 2}, {3, 4}};
        Tensor t = Tensor.fromArray(rows);
        rows[0][0] = 99;
        assertEquals(1.0, t.get(0, 0), 0);
        double[] out = t.toArray();
        out[1] = 99;
        assertEquals(2.0, t.get(0, 1), 0);
    }

    @Test
    void seededNormalAndUniformFollowTheirGeneratorStream() {
        Tensor a = TensorRandom.seed(3).normal(3, 5);
        assertArrayEquals(new int[] {3, 5}, a.shape());
        Well19937c ref = new Well19937c(3L); // the long seed, as TensorRandom.seed(long) uses
        for (double v : a.toArray()) assertEquals(ref.nextGaussian(), v, 0);
        TensorRandom r = TensorRandom.seed(3);
        Tensor first = r.normal(2), next = r.normal(13);
        assertEquals(a.get(0, 0), first.get(0), 0);
        assertEquals(a.get(0, 2), next.get(0), 0); // the stream goes on: no overlap with the first draw
        Tensor u = TensorRandom.seed(7).uniform(-2, 3, 1000);
        for (double v : u.toArray()) assertTrue(v >= -2 && v < 3, "value " + v);
        assertNotEquals(u.get(0), TensorRandom.seed(8).uniform(-2, 3, 1).get(0));
        assertArrayEquals(new int[0], TensorRandom.seed(1).normal().shape());
        assertThrows(IllegalArgumentException.class, () -> TensorRandom.seed(1).uniform(1, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> TensorRandom.seed(1).uniform(0, Double.POSITIVE_INFINITY, 3));
        assertThrows(IllegalArgumentException.class, () -> TensorRandom.seed(1).normal(2, -1));
    }

    @Test
    void reversedScalarOpsAndTheirDerivatives() {
        Tensor x = Tensor.vector(0.5, -2, 4);
        assertArrayEquals(new double[] {0.5, 3, -3}, x.rsub(1).toArray(), 0);
        assertArrayEquals(new double[] {6, -1.5, 0.75}, x.rdiv(3).toArray(), 0);
        assertArrayEquals(new double[] {-1, -1, -1}, Diff.grad(z -> z.rsub(1).sum(), x).toArray(), 0);
        // d(3/x)/dx = −3/x²
        assertArrayEquals(new double[] {-12, -0.75, -0.1875}, Diff.grad(z -> z.rdiv(3).sum(), x).toArray(), 0);
    }

    @Test
    void sizesThatDoNotFitAreRefusedNotWrapped() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.eye(-1));
        assertThrows(IllegalArgumentException.class, () -> Tensor.eye(46341)); // 46341² > 2³¹ − 1
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(65536, 65536));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, -1));
        assertArrayEquals(new int[] {0, 0}, Tensor.eye(0).shape());
    }
}
