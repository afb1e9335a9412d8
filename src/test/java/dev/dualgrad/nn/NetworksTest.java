package dev.dualgrad.nn;

import dev.dualgrad.internal.engine.Tensors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.Loss;
import dev.dualgrad.data.Dataset;
import dev.dualgrad.data.Digits;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.PerArgument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworksTest {
    @Test
    void linearIsXWtPlusBWithPyTorchsInitialisationBounds() {
        Linear l = new Linear(5, 3, 7);
        Map<String, Tensor> p = l.parameters();
        assertEquals(List.of("weight", "bias"), List.copyOf(p.keySet()));
        assertArrayEquals(new int[] {3, 5}, p.get("weight").shape());
        double bound = 1 / Math.sqrt(5);
        for (double w : Tensors.buffer(p.get("weight"))) assertTrue(Math.abs(w) <= bound);
        for (double w : Tensors.buffer(p.get("bias"))) assertTrue(Math.abs(w) <= bound);
        Tensor x = TensorRandom.seed(1).normal(2, 5);
        Tensor y = l.forward(x);
        for (int i = 0; i < 2; i++) {
            for (int o = 0; o < 3; o++) {
                double s = p.get("bias").get(o);
                for (int k = 0; k < 5; k++) s += x.get(i, k) * p.get("weight").get(o, k);
                assertEquals(s, y.get(i, o), 1e-14);
            }
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> l.forward(Tensor.zeros(2, 4))).getMessage().contains("[2, 4]"));
    }

    @Test
    void mlpNamesItsParametersLikePyTorchAndTheFunctionalCallReplacesThem() {
        Mlp m = Mlp.of(4, 6, 3).seed(2).build();
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(m.parameters().keySet()));
        assertEquals(4 * 6 + 6 + 6 * 3 + 3, m.parameterCount());
        Tensor x = TensorRandom.seed(3).normal(2, 4);
        Tensor[] zeros = {Tensor.zeros(6, 4), Tensor.zeros(6), Tensor.zeros(3, 6), Tensor.vector(1, 2, 3)};
        Tensor y = m.forward(zeros, x);
        assertArrayEquals(new double[] {1, 2, 3, 1, 2, 3}, Tensors.buffer(y), 0);
        // the module's own parameters are untouched by the functional call
        assertTrue(m.forward(x).get(0, 0) != 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(new Tensor[] {Tensor.zeros(6, 4)}, x));
        assertTrue(e.getMessage().contains("1 parameter tensors given for 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.setParameters(new Tensor[] {Tensor.zeros(6, 5), zeros[1], zeros[2], zeros[3]}));
        assertTrue(e.getMessage().contains("0.weight") && e.getMessage().contains("[6, 4]"), e.getMessage());
    }

    @Test
    void parameterGradientsOfAnMlpMatchFiniteDifferences() {
        Mlp m = Mlp.of(3, 5, 4).seed(1).build();
        Tensor x = TensorRandom.seed(4).normal(6, 3);
        int[] y = {0, 3, 1, 1, 2, 3};
        Diff.check(ps -> Loss.crossEntropy(m.forward(ps, x), y), m.parameterArray()).assertPassed();
    }

    @Test
    void saveAndLoadRoundTripAndBadFilesLeaveTheModuleUnchanged(@TempDir Path dir) throws IOException {
        Mlp a = Mlp.of(3, 4, 2).seed(1).build(), b = Mlp.of(3, 4, 2).seed(99).build();
        Path f = dir.resolve("a.params");
        a.save(f);
        b.load(f);
        for (int i = 0; i < 4; i++) assertArrayEquals(Tensors.buffer(a.parameterArray()[i]), Tensors.buffer(b.parameterArray()[i]), 0);

        Mlp c = Mlp.of(3, 4, 2).seed(5).build();
        Tensor[] before = c.parameterArray();
        byte[] bytes = Files.readAllBytes(f);
        Path truncated = dir.resolve("t.params");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 20));
        IOException e = assertThrows(IOException.class, () -> c.load(truncated));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        Path other = dir.resolve("o.params");
        Mlp.of(3, 5, 2).build().save(other);
        e = assertThrows(IOException.class, () -> c.load(other));
        assertTrue(e.getMessage().contains("0.weight") && e.getMessage().contains("[5, 3]"), e.getMessage());
        Path junk = dir.resolve("j.params");
        Files.writeString(junk, "not a parameter file");
        assertTrue(assertThrows(IOException.class, () -> c.load(junk)).getMessage().contains("magic"));
        for (int i = 0; i < 4; i++) assertArrayEquals(Tensors.buffer(before[i]), Tensors.buffer(c.parameterArray()[i]), 0);
    }

    @Test
    void sgdWithMomentumAndWeightDecayFollowsPyTorchsUpdate() {
        Linear l = new Linear(2, 1, false, 3);
        double p0 = l.parameterArray()[0].get(0, 0), p1 = l.parameterArray()[0].get(0, 1);
        Sgd sgd = new Sgd(0.1, 0.9, 0.01, false);
        Tensor g = Tensor.of(new double[][] {{0.5, -1}});
        sgd.step(l, PerArgument.of(g));
        double d0 = 0.5 + 0.01 * p0, b0 = d0;
        double q0 = p0 - 0.1 * b0;
        assertEquals(q0, l.parameterArray()[0].get(0, 0), 1e-15);
        assertEquals(p1 - 0.1 * (-1 + 0.01 * p1), l.parameterArray()[0].get(0, 1), 1e-15);
        sgd.step(l, PerArgument.of(g));
        double d1 = 0.5 + 0.01 * q0, b1 = 0.9 * b0 + d1;
        assertEquals(q0 - 0.1 * b1, l.parameterArray()[0].get(0, 0), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new Sgd(-1));
        assertThrows(IllegalArgumentException.class, () -> sgd.step(l, PerArgument.of(Tensor.zeros(2))));
    }

    @Test
    void adamFollowsItsUpdate() {
        Linear l = new Linear(1, 1, false, 3);
        double p = l.parameterArray()[0].item();
        Adam adam = new Adam(0.01);
        double m = 0, v = 0;
        for (int t = 1; t <= 3; t++) {
            double g = 0.3 * t;
            adam.step(l, PerArgument.of(Tensor.of(new double[] {g}, 1, 1)));
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
            p -= 0.01 * (m / (1 - Math.pow(0.9, t))) / (Math.sqrt(v / (1 - Math.pow(0.999, t))) + 1e-8);
            assertEquals(p, l.parameterArray()[0].item(), 1e-15);
        }
    }

    @Test
    void digitsLoadWithTheirLabels() {
        Dataset d = Digits.load();
        assertEquals(1797, d.size());
        assertArrayEquals(new int[] {1797, 64}, d.x().shape());
        int[] counts = new int[10];
        for (int l : d.labels()) counts[l]++;
        for (int c : counts) assertTrue(c > 150, java.util.Arrays.toString(counts));
        double max = 0;
        for (double v : Tensors.buffer(d.x())) max = Math.max(max, v);
        assertEquals(1.0, max, 0);
        Dataset[] s = d.split(0.8, 1);
        assertEquals(1438, s[0].size());
        assertEquals(359, s[1].size());
    }

    @Test
    void trainerReportsEachEpochThroughItsListener() {
        Dataset[] s = Digits.load().split(0.8, 3);
        Mlp m = Mlp.of(64, 16, 10).seed(4).build();
        List<Trainer.EpochReport> seen = new java.util.ArrayList<>();
        List<Trainer.EpochReport> h = Trainer.of(m, new Adam(0.01)).epochs(3).batchSize(128).seed(5).listener(seen::add).fit(s[0], s[1]);
        assertEquals(h, seen);
        assertEquals(3, h.size());
        assertTrue(h.get(2).trainLoss() < h.get(0).trainLoss(), h.toString());
        assertTrue(h.get(2).line().contains("epoch   3/3"), h.get(2).line());
    }
}
