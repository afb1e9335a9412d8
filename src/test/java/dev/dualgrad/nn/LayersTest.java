package dev.dualgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.Loss;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.testing.GradCheck;
import dev.dualgrad.transforms.PerArgument;
import dev.dualgrad.transforms.Pullback;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 20's layers: layerNorm against a plain loop and against values PyTorch 1.13 printed for
 * F.layer_norm (whose variance is the biased one), the fused first-order sweep against the op's
 * tensor-op rules, nn.LayerNorm in a Sequential, and dropout's seeded mask, scaling, edges and modes.
 */
class LayersTest {
    /** (x − μ)/√(var + ε)·w + b per row of the last axis, with the biased variance, by loops. */
    private static double[] layerNormLoop(double[][] x, double[] w, double[] b, double eps) {
        int d = x[0].length;
        double[] y = new double[x.length * d];
        for (int r = 0; r < x.length; r++) {
            double m = 0, v = 0;
            for (double e : x[r]) m += e / d;
            for (double e : x[r]) v += (e - m) * (e - m) / d;
            for (int j = 0; j < d; j++) y[r * d + j] = (x[r][j] - m) / Math.sqrt(v + eps) * w[j] + b[j];
        }
        return y;
    }

    @Test
    void layerNormAgainstALoopAndPyTorch() {
        double[][] x = {{1, 2, 4}, {-1, 0, 3}};
        double[] w = {0.5, 1, 2}, b = {0.1, 0, -0.1};
        Tensor tx = Tensor.of(x), tw = Tensor.vector(w), tb = Tensor.vector(b);
        Tensor y = Functional.layerNorm(tx, new int[] {3}, tw, tb);
        assertArrayEquals(layerNormLoop(x, w, b, 1e-5), y.toArray(), 1e-15);
        // torch.nn.functional.layer_norm(x, (3,), w, b, 1e-5) and the gradients of Σ y ⊙ c, PyTorch 1.13, float64
        double[] torchY = {-0.43452076572514897, -0.2672603828625746, 2.5726038286257435, -0.39028948926823226, -0.3922315914145858, 2.6456211399021};
        assertArrayEquals(torchY, y.toArray(), 1e-15);
        Tensor c = Tensor.of(new double[][] {{1, -2, 0.5}, {0.3, 0.7, -1.1}});
        PerArgument g = Diff.grad(ps -> Functional.layerNorm(ps[0], new int[] {3}, ps[1], ps[2]).mul(c).sum(), tx, tw, tb);
        assertArrayEquals(new double[] {0.9163188582553746, -1.374482582611603, 0.4581637243562282, -0.3088800870864191, 0.4118440874463419,
                -0.10296400035992286}, g.get(0).toArray(), 1e-14);
        assertArrayEquals(new double[] {-1.3632152250112373, 0.25995865173493915, -0.8419406697897192}, g.get(1).toArray(), 1e-14);
        assertArrayEquals(new double[] {1.3, -1.3, -0.6}, g.get(2).toArray(), 1e-15);
        // the biased variance, not var()'s default: the unbiased one would give √(2/3)× the values
        double[] unbiased = layerNormLoop(new double[][] {{1, 2, 4}}, new double[] {1, 1, 1}, new double[3], 0);
        assertNotEquals(unbiased[0] * Math.sqrt(2.0 / 3), Functional.layerNorm(Tensor.of(new double[][] {{1, 2, 4}}), new int[] {3}).get(0, 0), 1e-3);
        // two normalised axes, and no affine map
        Tensor x3 = TensorRandom.seed(3).normal(2, 3, 4);
        Tensor flat = Functional.layerNorm(x3.reshape(2, 12), new int[] {12}, null, null, 0.1);
        assertArrayEquals(flat.toArray(), Functional.layerNorm(x3, new int[] {3, 4}, null, null, 0.1).toArray(), 1e-15);
    }

    /** The fused first-order sweep and the tensor-op rules (taken for batched cotangents) agree. */
    @Test
    void theFusedSweepEqualsTheRulesInTensorOps() {
        Tensor x = TensorRandom.seed(1).normal(5, 7), w = TensorRandom.seed(2).normal(7), b = TensorRandom.seed(3).normal(7);
        Tensor u = TensorRandom.seed(4).normal(5, 7);
        Pullback p = Diff.vjp(ps -> Functional.layerNorm(ps[0], new int[] {7}, ps[1], ps[2]), x, w, b);
        Tensor[] fused = p.applyAll(u).toArray();
        Tensor[] generic = p.applyAllBatched(u.unsqueeze(0)).toArray();
        for (int i = 0; i < 3; i++) assertArrayEquals(fused[i].toArray(), generic[i].toArray(), 1e-13, "argument " + i);
        Pullback q = Diff.vjp(z -> Functional.layerNorm(z, new int[] {7}), x);
        assertArrayEquals(q.apply(u).toArray(), q.applyBatched(u.unsqueeze(0)).toArray(), 1e-13);
        GradCheck.of(ps -> Functional.layerNorm(ps[0], new int[] {7}, ps[1], ps[2]).tanh(), x, w, b).assertPasses();
    }

    @Test
    void layerNormModuleInASequential() {
        LayerNorm ln = new LayerNorm(4);
        assertEquals(List.of("weight", "bias"), List.copyOf(ln.parameters().keySet()));
        assertArrayEquals(new double[] {1, 1, 1, 1}, ln.parameters().get("weight").toArray(), 0);
        assertArrayEquals(new double[4], ln.parameters().get("bias").toArray(), 0);
        Sequential net = new Sequential(new Linear(3, 4, 0), ln, Activation.TANH, new Linear(4, 2, 1));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias"), List.copyOf(net.parameters().keySet()));
        Tensor x = TensorRandom.seed(5).normal(6, 3);
        Map<String, Tensor> ps = net.parameters();
        Tensor h = Functional.linear(x, ps.get("0.weight"), ps.get("0.bias"));
        Tensor manual = Functional.linear(Functional.layerNorm(h, new int[] {4}, ps.get("1.weight"), ps.get("1.bias")).tanh(),
                ps.get("3.weight"), ps.get("3.bias"));
        assertArrayEquals(manual.toArray(), net.forward(x).toArray(), 0);
        PerArgument g = Diff.grad(p -> Loss.crossEntropy(net.forward(p, x), new int[] {0, 1, 1, 0, 1, 0}), net.parameterArray());
        assertEquals(6, g.size());
        GradCheck.of(p -> net.forward(p, x), net.parameterArray()).assertPasses();
        LayerNorm plain = new LayerNorm(new int[] {2, 2}, LayerNormOptions.defaults().eps(0).elementwiseAffine(false));
        assertTrue(plain.parameters().isEmpty());
        assertEquals("LayerNorm([2, 2], eps=0.0, no affine)", plain.toString());
        assertThrows(IllegalArgumentException.class, () -> ln.forward(Tensor.ones(2, 3)));
        assertThrows(IllegalArgumentException.class, () -> new LayerNorm());
        assertThrows(IllegalArgumentException.class, () -> Functional.layerNorm(Tensor.ones(2, 3), new int[] {3}, Tensor.ones(2), null));
        assertThrows(IllegalArgumentException.class, () -> LayerNormOptions.defaults().eps(-1));
        assertTrue(Double.isNaN(Functional.layerNorm(Tensor.ones(1, 3), new int[] {3}, null, null, 0).get(0, 0))); // ε = 0, constant row: 0/0
        assertEquals(0.0, Functional.layerNorm(Tensor.ones(1, 3), new int[] {3}).get(0, 0), 0);                    // ε > 0: n = 0
    }

    @Test
    void dropoutIsSeededScaledAndExactAtItsEdges() {
        Tensor x = TensorRandom.seed(1).uniform(1, 2, 100_000);
        double p = 0.3;
        Tensor a = Functional.dropout(x, p, TensorRandom.seed(7)), b = Functional.dropout(x, p, TensorRandom.seed(7));
        assertArrayEquals(a.toArray(), b.toArray(), 0);
        assertTrue(!java.util.Arrays.equals(a.toArray(), Functional.dropout(x, p, TensorRandom.seed(8)).toArray()));
        double[] xv = x.toArray(), av = a.toArray(), u = TensorRandom.seed(7).uniform(0, 1, 100_000).toArray();
        int kept = 0;
        for (int i = 0; i < xv.length; i++) {
            double want = u[i] >= p ? xv[i] / (1 - p) : 0; // the documented rule: kept when the i-th draw is ≥ p
            assertEquals(want, av[i], 1e-15 * want);
            if (av[i] != 0) kept++;
        }
        double sd = Math.sqrt(xv.length * p * (1 - p));
        assertTrue(Math.abs(kept - xv.length * (1 - p)) < 5 * sd, "kept " + kept);
        // the derivative is the scaled mask
        Tensor small = Tensor.vector(1, 2, 3, 4, 5, 6);
        Tensor y = Functional.dropout(small, 0.5, TensorRandom.seed(3));
        double[] grad = Diff.grad(z -> Functional.dropout(z, 0.5, TensorRandom.seed(3)).sum(), small).toArray();
        for (int i = 0; i < 6; i++) assertEquals(y.toArray()[i] / small.toArray()[i], grad[i], 0);
        // p = 0: x itself; p = 1: zeros (NaN stays NaN, as PyTorch's x·0)
        assertSame(small, Functional.dropout(small, 0, TensorRandom.seed(1)));
        assertArrayEquals(new double[6], Functional.dropout(small, 1, TensorRandom.seed(1)).toArray(), 0);
        assertTrue(Double.isNaN(Functional.dropout(Tensor.vector(Double.NaN), 1, TensorRandom.seed(1)).item()));
        assertThrows(IllegalArgumentException.class, () -> Functional.dropout(small, 1.5, TensorRandom.seed(1)));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(Double.NaN, TensorRandom.seed(1)));
    }

    @Test
    void dropoutModuleTrainsAndEvaluates() {
        Tensor x = TensorRandom.seed(1).uniform(1, 2, 4, 8);
        Dropout drop = new Dropout(0.5, TensorRandom.seed(11));
        assertTrue(drop.isTraining());
        Tensor first = drop.forward(x), second = drop.forward(x);
        assertArrayEquals(Functional.dropout(x, 0.5, TensorRandom.seed(11)).toArray(), first.toArray(), 0); // the generator's first draws
        assertNotEquals(List.of(first.toString()), List.of(second.toString()));                            // a new mask each call
        Sequential net = new Sequential(new Linear(8, 8, 0), drop, Activation.TANH);
        assertSame(net, net.eval());
        assertTrue(!drop.isTraining());
        assertSame(x, drop.forward(x));                                                                    // evaluation: the identity
        Tensor h = Functional.linear(x, net.parameters().get("0.weight"), net.parameters().get("0.bias")).tanh();
        assertArrayEquals(h.toArray(), net.forward(x).toArray(), 0);
        net.train();
        assertTrue(drop.isTraining());
        assertEquals("Dropout(p=0.5)", drop.toString());
        // nested containers pass the mode on, an Mlp among them
        Dropout inner = new Dropout(0.2, TensorRandom.seed(2));
        Sequential outer = new Sequential(Mlp.of(8, 4, 8).build(), new Sequential(inner, new LayerNorm(8)));
        outer.eval();
        assertTrue(!inner.isTraining());
        assertEquals(6, outer.parameters().size()); // 0.0.weight, 0.0.bias, 0.2.weight, 0.2.bias, 1.1.weight, 1.1.bias
        assertTrue(outer.parameters().containsKey("1.1.weight"));
        outer.train();
        assertTrue(inner.isTraining());
        // Trainer: batches in training mode, the accuracies in evaluation mode, left in training mode
        Dropout d = new Dropout(0.5, TensorRandom.seed(4));
        Sequential clf = new Sequential(new Linear(8, 3, 0), d);
        dev.dualgrad.data.Dataset data = new dev.dualgrad.data.Dataset(TensorRandom.seed(5).normal(12, 8), new int[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2});
        clf.eval();
        List<Trainer.EpochReport> rs = Trainer.of(clf, new Sgd(0.1)).epochs(1).listener(Trainer.EpochListener.SILENT).fit(data, null);
        assertTrue(d.isTraining());
        clf.eval();
        assertEquals(Trainer.accuracy(clf, data), rs.get(0).trainAccuracy(), 0); // deterministic: no mask in the reported accuracy
    }
}
