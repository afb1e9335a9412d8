package dev.dualgrad.nn;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable, serializable copy of a module's parameters: their names and shapes in order, and all their
 * values flattened into one {@code double[]} (each tensor row-major, one after the other). It is what a
 * model needs to travel (Java serialization, Kryo, a broadcast), together with a {@link ModuleSpec}:
 *
 * <pre>{@code
 * ParameterSnapshot s = model.snapshot();
 * Module same = Module.from(model.spec().orElseThrow(), s);   // on another JVM: bitwise the same model
 * double[] theta = s.values();                                 // θ as one vector, e.g. for an optimizer
 * ParameterSnapshot moved = s.withValues(newTheta);            // and back
 * }</pre>
 *
 * <p>Equality is bitwise on the values (as {@link Arrays#equals(double[], double[])}), with the same names
 * and shapes in the same order.</p>
 */
public final class ParameterSnapshot implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String[] names;
    private final int[][] shapes;
    private final double[] values;

    private ParameterSnapshot(String[] names, int[][] shapes, double[] values) {
        this.names = names;
        this.shapes = shapes;
        this.values = values;
    }

    /**
     * A snapshot of the given tensors (their values are copied).
     *
     * @param parameters the tensors by name, in the order to keep (a module's {@link Module#parameters()})
     * @return the snapshot
     * @throws IllegalArgumentException when a name or a tensor is null, or the values exceed one Java array
     */
    public static ParameterSnapshot of(Map<String, Tensor> parameters) {
        Args.nonNull(parameters, "ParameterSnapshot.of", "parameters");
        String[] names = new String[parameters.size()];
        int[][] shapes = new int[names.length][];
        long total = 0;
        int i = 0;
        for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) throw new IllegalArgumentException("ParameterSnapshot.of: parameters holds a null name or tensor");
            names[i] = e.getKey();
            shapes[i] = e.getValue().shape();
            total += e.getValue().size();
            i++;
        }
        if (total > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("ParameterSnapshot.of: " + total + " values do not fit one array");
        double[] values = new double[(int) total];
        int at = 0;
        for (Tensor t : parameters.values()) {
            double[] v = Tensors.buffer(t);
            System.arraycopy(v, 0, values, at, (int) t.size());
            at += (int) t.size();
        }
        return new ParameterSnapshot(names, shapes, values);
    }

    /**
     * A snapshot of a module's current parameters; the same as {@link Module#snapshot()}.
     *
     * @param module the module
     * @return the snapshot
     */
    public static ParameterSnapshot of(Module module) {
        Args.nonNull(module, "ParameterSnapshot.of", "module");
        return of(module.parameters());
    }

    /**
     * The same names and shapes with other values: the inverse of {@link #values()}.
     *
     * @param values all the values, flattened as {@link #values()} orders them (copied)
     * @return the new snapshot
     * @throws IllegalArgumentException when the length is not {@link #valueCount()}
     */
    public ParameterSnapshot withValues(double[] values) {
        Args.nonNull(values, "ParameterSnapshot.withValues", "values");
        if (values.length != this.values.length) {
            throw new IllegalArgumentException("ParameterSnapshot.withValues: values has " + values.length + " entries but the parameters "
                    + names() + " hold " + this.values.length);
        }
        return new ParameterSnapshot(names, shapes, values.clone());
    }

    /** @return the parameter names, in order (unmodifiable) */
    public List<String> names() {
        return List.of(names);
    }

    /** @return the shape of each parameter, in the order of {@link #names()} (copies) */
    public int[][] shapes() {
        int[][] r = new int[shapes.length][];
        for (int i = 0; i < r.length; i++) r[i] = shapes[i].clone();
        return r;
    }

    /** @return every value, the parameters one after the other, each row-major (a copy) */
    public double[] values() {
        return values.clone();
    }

    /** @return the number of values, the sum of the parameters' sizes */
    public int valueCount() {
        return values.length;
    }

    /** @return the parameters as tensors by name, in order (a new map of new tensors) */
    public Map<String, Tensor> toMap() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        Tensor[] ts = toArray();
        for (int i = 0; i < names.length; i++) m.put(names[i], ts[i]);
        return m;
    }

    /** @return the parameters as tensors in order, as {@link Module#parameterArray()} gives them (new tensors) */
    public Tensor[] toArray() {
        Tensor[] ts = new Tensor[names.length];
        int at = 0;
        for (int i = 0; i < names.length; i++) {
            int n = 1;
            for (int d : shapes[i]) n *= d;
            ts[i] = Tensors.adopt(Arrays.copyOfRange(values, at, at + n), shapes[i].clone());
            at += n;
        }
        return ts;
    }

    /**
     * Bitwise equality of names, shapes and values.
     *
     * @param o another object
     * @return whether o is a snapshot with the same names, shapes and value bits, in the same order
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterSnapshot s && Arrays.equals(names, s.names) && Arrays.deepEquals(shapes, s.shapes)
                && Arrays.equals(values, s.values);
    }

    /** @return a hash of names, shapes and values */
    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(names) + Arrays.deepHashCode(shapes)) + Arrays.hashCode(values);
    }

    /** @return e.g. "ParameterSnapshot[0.weight [3, 2], 0.bias [3]; 9 values]" */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("ParameterSnapshot[");
        for (int i = 0; i < names.length; i++) b.append(i == 0 ? "" : ", ").append(names[i]).append(' ').append(Arrays.toString(shapes[i]));
        return b.append("; ").append(values.length).append(" values]").toString();
    }

    /** A stream is untrusted: names unique, shapes non-negative, and the values exactly fill them. */
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (names == null || shapes == null || values == null || names.length != shapes.length) {
            throw new InvalidObjectException("ParameterSnapshot: missing or mismatched names and shapes");
        }
        Set<String> seen = new HashSet<>();
        long total = 0;
        for (int i = 0; i < names.length; i++) {
            if (names[i] == null || !seen.add(names[i]) || shapes[i] == null) throw new InvalidObjectException("ParameterSnapshot: null or repeated name");
            long n = 1;
            for (int d : shapes[i]) {
                if (d < 0) throw new InvalidObjectException("ParameterSnapshot: negative dimension for " + names[i]);
                n = Math.multiplyExact(n, d);
            }
            total = Math.addExact(total, n);
        }
        if (total != values.length) throw new InvalidObjectException("ParameterSnapshot: " + values.length + " values for shapes holding " + total);
    }
}
