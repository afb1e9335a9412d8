package dev.dualgrad.spark;

import dev.dualgrad.nn.Module;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * A module as Java-serialized bytes (its spec and parameter snapshot, through the module's serialization
 * proxy), so that it travels the same way whatever {@code spark.serializer} is set to: Kryo would copy a
 * module's fields, lambdas included, instead.
 */
final class ShippedModel implements Serializable {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;
    private transient Module module;

    ShippedModel(Module model) {
        this.bytes = Bytes.of(model);
    }

    /** The module, rebuilt once per deserialized copy (once per task or per broadcast value). */
    Module module() {
        if (module == null) module = (Module) Bytes.read(bytes);
        return module;
    }

    /** Java serialization to and from bytes. */
    static final class Bytes {
        private Bytes() {}

        static byte[] of(Object o) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(b)) {
                out.writeObject(o);
            } catch (IOException e) {
                throw new UncheckedIOException("dualgrad-spark: cannot serialize " + o.getClass().getName() + ": " + e.getMessage(), e);
            }
            return b.toByteArray();
        }

        static Object read(byte[] bytes) {
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
                return in.readObject();
            } catch (IOException | ClassNotFoundException e) {
                throw new IllegalStateException("dualgrad-spark: cannot deserialize: " + e, e);
            }
        }
    }
}
