package dev.dualgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** LayerNorm.Spec and Dropout.Spec: a Sequential holding them rebuilds and serializes, masks included. */
class NormAndDropoutSpecTest {
    private static final Tensor X = TensorRandom.seed(3).normal(5, 3);

    /** Linear → LayerNorm (trained-looking weight and bias) → tanh → Dropout → Linear, generator advanced. */
    private static Sequential net() {
        LayerNorm norm = new LayerNorm(new int[] {4}, LayerNormOptions.defaults().eps(1e-3));
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("weight", Tensor.of(new double[] {0.5, -1.25, 2, 1}, 4));
        p.put("bias", Tensor.of(new double[] {0.1, 0, -0.3, 0.7}, 4));
        norm = norm.spec().map(s -> (LayerNorm) s.build(p)).orElseThrow();
        Sequential net = new Sequential(new Linear(3, 4, 1), norm, Activation.TANH, new Dropout(0.4, TensorRandom.seed(9)), new Linear(4, 2, 2));
        net.forward(X); // one mask drawn: the copies must continue the stream from here, not from the seed
        return net;
    }

    private static void assertSameBits(Tensor a, Tensor b) {
        assertArrayEquals(a.shape(), b.shape());
        double[] x = a.toArray(), y = b.toArray();
        for (int i = 0; i < x.length; i++) assertEquals(Double.doubleToRawLongBits(x[i]), Double.doubleToRawLongBits(y[i]), "element " + i);
    }

    @Test
    void aSequentialWithLayerNormAndDropoutTravelsWithItsMasksAndMode() throws Exception {
        for (boolean training : new boolean[] {true, false}) {
            Sequential a = net(), b = net(), c = net();
            if (!training) for (Sequential s : new Sequential[] {a, b, c}) s.eval();
            Module rebuilt = Module.from(b.spec().orElseThrow(), b.snapshot());
            Module copy = (Module) ModelsThatTravelTest.roundTrip(c);
            assertEquals(a.toString(), rebuilt.toString());
            assertEquals(training, ((Dropout) ((Sequential) copy).layers().get(3)).isTraining());
            for (int call = 0; call < 3; call++) { // the same next masks (training) or the same function (eval)
                Tensor y = a.forward(X);
                assertSameBits(y, rebuilt.forward(X));
                assertSameBits(y, copy.forward(X));
            }
            Tensor once = a.forward(X);
            assertEquals(training, !java.util.Arrays.equals(once.toArray(), a.forward(X).toArray())); // masks do change
        }
    }

    @Test
    void aDropoutSpecHoldsACopyOfTheGeneratorNotTheLiveOne() {
        TensorRandom r = TensorRandom.seed(4);
        Dropout d = new Dropout(0.5, r);
        Dropout.Spec s = (Dropout.Spec) d.spec().orElseThrow();
        double[] next = r.copy().uniform(0, 1, 6).toArray();
        r.uniform(0, 1, 100); // the live generator moves on; the spec does not
        assertArrayEquals(next, s.random().uniform(0, 1, 6).toArray(), 0);
        assertArrayEquals(next, s.random().uniform(0, 1, 6).toArray(), 0);
        // the mask a fresh Dropout(0.5, seed 4) draws first, by the documented rule u ≥ p keeps with 1/(1 − p)
        Tensor ones = Tensor.ones(6);
        double[] y = s.build(Map.of()).forward(ones).toArray();
        for (int i = 0; i < 6; i++) assertEquals(next[i] >= 0.5 ? 2 : 0, y[i], 0, "element " + i);
        assertFalse(((Dropout) new Dropout(0.5, r).eval().spec().orElseThrow().build(Map.of())).isTraining());
    }

    @Test
    void specsCheckNamesShapesProbabilityAndEps() {
        LayerNorm.Spec s = new LayerNorm.Spec(new int[] {2, 3}, 1e-5, true);
        Map<String, Tensor> good = new LayerNorm(2, 3).parameters();
        assertArrayEquals(new int[] {2, 3}, s.build(good).normalizedShape());
        assertEquals(s, new LayerNorm(2, 3).spec().orElseThrow());
        assertEquals(s.hashCode(), new LayerNorm(2, 3).spec().orElseThrow().hashCode());
        assertNotEquals(s, new LayerNorm.Spec(new int[] {2, 3}, 1e-5, false));
        Map<String, Tensor> misshapen = new LinkedHashMap<>(good);
        misshapen.put("bias", Tensor.zeros(3, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.build(misshapen));
        assertTrue(e.getMessage().contains("bias") && e.getMessage().contains("[3, 2]"), e.getMessage());
        Map<String, Tensor> renamed = Map.of("weight", Tensor.ones(2, 3), "gamma", Tensor.ones(2, 3));
        e = assertThrows(IllegalArgumentException.class, () -> s.build(renamed));
        assertTrue(e.getMessage().contains("missing [bias]") && e.getMessage().contains("gamma"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LayerNorm.Spec(new int[] {2, 3}, 1e-5, false).build(good));
        assertTrue(e.getMessage().contains("weight"), e.getMessage());
        for (double eps : new double[] {-1e-9, Double.NaN, Double.POSITIVE_INFINITY}) {
            e = assertThrows(IllegalArgumentException.class, () -> new LayerNorm.Spec(new int[] {2}, eps, true));
            assertTrue(e.getMessage().contains("eps"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new LayerNorm.Spec(new int[0], 1e-5, true));
        assertThrows(IllegalArgumentException.class, () -> new LayerNorm.Spec(new int[] {2, 0}, 1e-5, true));
        int[] shape = {2};
        LayerNorm.Spec t = new LayerNorm.Spec(shape, 0, true);
        shape[0] = 7;
        t.normalizedShape()[0] = 7;
        assertArrayEquals(new int[] {2}, t.normalizedShape());
        for (double p : new double[] {-0.01, 1.01, Double.NaN}) {
            e = assertThrows(IllegalArgumentException.class, () -> new Dropout.Spec(p, TensorRandom.seed(1), true));
            assertTrue(e.getMessage().contains("[0, 1]"), e.getMessage());
        }
        Dropout.Spec d = new Dropout.Spec(1, TensorRandom.seed(1), true);
        e = assertThrows(IllegalArgumentException.class, () -> d.build(Map.of("weight", Tensor.ones(1))));
        assertTrue(e.getMessage().contains("weight"), e.getMessage());
    }
}
