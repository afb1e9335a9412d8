package dev.dualgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 19, item 1: snapshots, specs, a module serialized through them, and ParameterFile on streams. */
class ModelsThatTravelTest {
    @TempDir
    Path dir;

    static Object roundTrip(Object o) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b.toByteArray()))) {
            return in.readObject();
        }
    }

    private static void assertSameBits(Tensor a, Tensor b) {
        assertArrayEquals(a.shape(), b.shape());
        double[] x = a.toArray(), y = b.toArray();
        for (int i = 0; i < x.length; i++) assertEquals(Double.doubleToRawLongBits(x[i]), Double.doubleToRawLongBits(y[i]), "element " + i);
    }

    @Test
    void aSnapshotFlattensTheParametersInOrderAndBack() {
        Mlp net = Mlp.of(3, 4, 2).seed(5).build();
        ParameterSnapshot s = net.snapshot();
        assertEquals(java.util.List.of("0.weight", "0.bias", "2.weight", "2.bias"), s.names());
        assertArrayEquals(new int[][] {{4, 3}, {4}, {2, 4}, {2}}, s.shapes());
        double[] expected = new double[0];
        for (Tensor t : net.parameterArray()) { // the concatenation, by hand
            double[] v = t.toArray();
            double[] e = Arrays.copyOf(expected, expected.length + v.length);
            System.arraycopy(v, 0, e, expected.length, v.length);
            expected = e;
        }
        assertArrayEquals(expected, s.values(), 0);
        assertEquals(4 * 3 + 4 + 2 * 4 + 2, s.valueCount());
        double[] moved = s.values();
        moved[0] = 42;
        ParameterSnapshot t = s.withValues(moved);
        assertEquals(42, t.toMap().get("0.weight").toArray()[0]);
        assertEquals(s.toArray()[1].toString(), t.toArray()[1].toString());
        assertTrue(s.equals(ParameterSnapshot.of(net)) && s.hashCode() == ParameterSnapshot.of(net).hashCode());
        assertTrue(!s.equals(t));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.withValues(new double[3]));
        assertTrue(e.getMessage().contains("3") && e.getMessage().contains("26"), e.getMessage());
    }

    @Test
    void everyLibraryModuleRebuildsFromItsSpecAndSnapshotBitwise() throws Exception {
        Tensor x = TensorRandom.seed(3).normal(5, 3);
        Module[] models = {
            Mlp.of(3, 8, 2).activation(Activation.SOFTPLUS).seed(1).build(),
            new Sequential(new Linear(3, 4, 2), Activation.RELU, new Linear(4, 2, false, 3), new Sequential(Activation.SIGMOID)),
            new Linear(3, 2, 9),
        };
        for (Module m : models) {
            Module rebuilt = Module.from(m.spec().orElseThrow(), m.snapshot());
            assertEquals(m.getClass(), rebuilt.getClass());
            assertEquals(m.toString(), rebuilt.toString());
            assertSameBits(m.forward(x), rebuilt.forward(x));
            Module copy = (Module) roundTrip(m);
            assertNotSame(m, copy);
            assertEquals(m.snapshot(), copy.snapshot());
            assertSameBits(m.forward(x), copy.forward(x));
        }
        assertSame(Activation.TANH, roundTrip(Activation.TANH)); // the constant, by name
        Mlp back = (Mlp) roundTrip(models[0]);
        assertArrayEquals(new int[] {3, 8, 2}, back.architecture().sizes());
        assertSame(Activation.SOFTPLUS, back.architecture().activation());
    }

    @Test
    void aModuleCapturedInASerializedClosureTravelsWithIt() throws Exception {
        Mlp net = Mlp.of(3, 4, 2).seed(7).build();
        Tensor x = TensorRandom.seed(1).normal(2, 3);
        @SuppressWarnings("unchecked")
        UnaryOperator<Tensor> f = (UnaryOperator<Tensor> & Serializable) t -> net.forward(t).tanh();
        @SuppressWarnings("unchecked")
        UnaryOperator<Tensor> g = (UnaryOperator<Tensor>) roundTrip(f);
        assertSameBits(f.apply(x), g.apply(x));
    }

    @Test
    void aModuleWithoutASpecRefusesToSerializeNamingTheFix() {
        Activation swish = new Activation("swish", t -> t.mul(t.sigmoid()));
        assertTrue(swish.spec().isEmpty());
        assertTrue(Mlp.of(2, 2, 1).activation(swish).build().spec().isEmpty());
        Module custom = new Module() {
            @Override
            public Map<String, Tensor> parameters() {
                return new LinkedHashMap<>();
            }

            @Override
            public Tensor forward(Map<String, Tensor> params, Tensor x) {
                return x;
            }

            @Override
            protected void assign(Map<String, Tensor> params) {}
        };
        for (Module m : new Module[] {new Sequential(new Linear(2, 2, 0), swish), custom}) {
            NotSerializableException e = assertThrows(NotSerializableException.class, () -> roundTrip(m));
            assertTrue(e.getMessage().contains("override Module.spec()") && e.getMessage().contains("snapshot()"), e.getMessage());
        }
    }

    @Test
    void specsCheckWhatTheyAreGiven() {
        Mlp net = Mlp.of(3, 4, 2).build();
        ParameterSnapshot other = Mlp.of(3, 5, 2).build().snapshot();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Module.from(net.spec().orElseThrow(), other));
        assertTrue(e.getMessage().contains("0.weight"), e.getMessage());
        Map<String, Tensor> extra = new Linear(3, 2, 0).parameters();
        extra.put("scale", Tensor.ones(1));
        e = assertThrows(IllegalArgumentException.class, () -> new Linear.Spec(3, 2, true).build(extra));
        assertTrue(e.getMessage().contains("scale"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Linear.Spec(2, 3, true).build(new Linear(3, 2, 0).parameters()));
        assertThrows(IllegalArgumentException.class, () -> new Linear.Spec(0, 3, true));
        e = assertThrows(IllegalArgumentException.class, () -> new Activation.Spec("swish"));
        assertTrue(e.getMessage().contains("tanh, relu"), e.getMessage());
        Map<String, Tensor> seqParams = new Sequential(new Linear(3, 2, 0)).parameters();
        seqParams.put("1.weight", Tensor.ones(2, 2));
        assertThrows(IllegalArgumentException.class, () -> new Sequential.Spec(java.util.List.of(new Linear.Spec(3, 2, true))).build(seqParams));
        assertSame(Activation.RELU, Activation.named("relu"));
    }

    @Test
    void parameterFilesOnStreamsAreTheFileBytesWithTheSameChecks() throws Exception {
        Mlp net = Mlp.of(3, 4, 2).seed(2).build();
        Path file = dir.resolve("m.bin");
        net.save(file);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ParameterFile.write(b, net.parameters());
        byte[] bytes = b.toByteArray();
        assertArrayEquals(Files.readAllBytes(file), bytes);
        // more data after the file stays in the stream
        byte[] followed = Arrays.copyOf(bytes, bytes.length + 3);
        followed[bytes.length] = 7;
        ByteArrayInputStream in = new ByteArrayInputStream(followed);
        Map<String, Tensor> back = ParameterFile.read(in);
        assertEquals(ParameterSnapshot.of(net.parameters()), ParameterSnapshot.of(back));
        assertEquals(7, in.read());
        // every truncation and every single-bit flip is an IOException
        for (int n = 0; n < bytes.length; n++) {
            int len = n;
            IOException e = assertThrows(IOException.class, () -> ParameterFile.read(new ByteArrayInputStream(Arrays.copyOf(bytes, len))));
            assertTrue(e.getMessage().startsWith("the stream"), e.getMessage());
        }
        for (int bit = 0; bit < 8 * bytes.length; bit += 7) {
            byte[] c = bytes.clone();
            c[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThrows(IOException.class, () -> ParameterFile.read(new ByteArrayInputStream(c)), "bit " + bit);
        }
    }
}
