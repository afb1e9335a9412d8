package dev.dualgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Functional layers, and modules built from given weights. */
class NetworkConstructionTest {
    private static final Tensor W = Tensor.of(new double[][] {{1, 2, 3}, {-1, 0, 2}});
    private static final Tensor B = Tensor.vector(0.5, -1);

    @Test
    void functionalLinearIsXTimesWTransposedPlusB() {
        Tensor x = Tensor.of(new double[][] {{1, 1, 1}, {2, 0, -1}});
        // rows: [1+2+3, -1+0+2] + b = [6.5, 0]; [2+0-3, -2+0-2] + b = [-0.5, -5]
        assertArrayEquals(new double[] {6.5, 0, -0.5, -5}, Functional.linear(x, W, B).toArray(), 0);
        assertArrayEquals(new double[] {6, 1}, Functional.linear(Tensor.vector(1, 1, 1), W).toArray(), 0);
        // d/dW Σ(x·Wᵀ) = column sums of x, repeated on every row of W
        Tensor g = Diff.grad(w -> Functional.linear(x, w).sum(), W);
        assertArrayEquals(new double[] {3, 1, 0, 3, 1, 0}, g.toArray(), 0);
        assertThrows(IllegalArgumentException.class, () -> Functional.linear(Tensor.zeros(2, 4), W));
        assertThrows(IllegalArgumentException.class, () -> Functional.linear(Tensor.zeros(2, 3), W, Tensor.zeros(3)));
        assertThrows(IllegalArgumentException.class, () -> Functional.linear(Tensor.zeros(3), Tensor.zeros(3)));
    }

    @Test
    void linearFromGivenWeights() {
        Linear l = Linear.of(W, B);
        assertEquals(3, l.inFeatures());
        assertEquals(2, l.outFeatures());
        assertArrayEquals(new double[] {6.5, 0}, l.forward(Tensor.vector(1, 1, 1)).toArray(), 0);
        Linear noBias = Linear.of(W);
        assertEquals(1, noBias.parameters().size());
        assertArrayEquals(new double[] {6, 1}, noBias.forward(Tensor.vector(1, 1, 1)).toArray(), 0);
        assertThrows(IllegalArgumentException.class, () -> Linear.of(W, Tensor.zeros(3)));
        assertThrows(IllegalArgumentException.class, () -> Linear.of(Tensor.zeros(3)));
        assertThrows(IllegalArgumentException.class, () -> Linear.of(Tensor.zeros(0, 3)));
    }

    @Test
    void mlpFromGivenWeightsComputesTheComposition() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("0.weight", W);
        p.put("0.bias", B);
        p.put("2.weight", Tensor.of(new double[][] {{1, -2}}));
        p.put("2.bias", Tensor.vector(0.25));
        Mlp net = Mlp.of(3, 2, 1).activation(Activation.RELU).build(p);
        // relu([6.5, 0]) = [6.5, 0]; 6.5 − 0 + 0.25
        assertArrayEquals(new double[] {6.75}, net.forward(Tensor.vector(1, 1, 1)).toArray(), 0);
        assertEquals(p.keySet(), net.parameters().keySet());
        assertArrayEquals(new int[] {3, 2, 1}, net.architecture().sizes());
    }

    @Test
    void mlpRebuiltFromItsOwnParametersIsTheSameFunction() {
        Mlp a = Mlp.of(4, 5, 3).activation(Activation.TANH).seed(7).build();
        Mlp b = a.architecture().seed(99).build(a.parameters());
        Tensor x = TensorRandom.seed(1).normal(6, 4);
        assertArrayEquals(a.forward(x).toArray(), b.forward(x).toArray(), 0);
    }

    @Test
    void mlpFromWrongParametersSaysWhatIsWrong() {
        Mlp a = Mlp.of(3, 2, 1).build();
        Map<String, Tensor> p = new LinkedHashMap<>(a.parameters());
        p.remove("2.bias");
        p.put("3.weight", Tensor.zeros(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mlp.of(3, 2, 1).build(p));
        assertTrue(e.getMessage().contains("missing [2.bias]") && e.getMessage().contains("[3.weight]"), e.getMessage());
        Map<String, Tensor> q = new LinkedHashMap<>(a.parameters());
        q.put("0.weight", Tensor.zeros(3, 2));
        assertThrows(IllegalArgumentException.class, () -> Mlp.of(3, 2, 1).build(q));
        assertThrows(IllegalArgumentException.class, () -> Mlp.of(3, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Mlp.of(3));
    }

    @Test
    void theArchitectureIsAValue() {
        Mlp.Builder base = Mlp.of(2, 2);
        Mlp.Builder relu = base.activation(Activation.RELU);
        assertEquals(Activation.TANH, base.activation());
        assertEquals(Activation.RELU, relu.activation());
    }
}
