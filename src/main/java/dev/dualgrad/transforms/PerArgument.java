package dev.dualgrad.transforms;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * One tensor per argument of a function of several tensors: the result type of every multi-argument
 * transform (gradients, Jacobians, pullbacks), read the same way everywhere. Entry i belongs to
 * argument i, in the order the arguments were passed.
 *
 * <pre>{@code
 * PerArgument g = Diff.grad(xs -> xs[0].mul(xs[1]).sum(), a, b);
 * Tensor da = g.get(0), db = g.get(1);
 * }</pre>
 *
 * <p>Immutable: it holds its own copy of the array it was made from, and {@link #toArray()} returns a
 * fresh copy.</p>
 */
public final class PerArgument implements Iterable<Tensor> {
    private final Tensor[] values;

    private PerArgument(Tensor[] values) {
        this.values = values;
    }

    /**
     * The entries, one per argument, copied.
     *
     * @param values one tensor per argument; none may be null
     * @return the entries as a {@code PerArgument}
     * @throws NullPointerException if the array or an entry is null
     */
    public static PerArgument of(Tensor... values) {
        Tensor[] v = Args.nonNullEntries(values, "PerArgument.of", "values").clone();
        return new PerArgument(v);
    }

    /**
     * The entry of argument {@code i}.
     *
     * @param i the argument's position, 0-based; negative counts from the end (−1 is the last)
     * @return the entry of argument i
     * @throws IndexOutOfBoundsException naming the number of arguments when i is out of range
     */
    public Tensor get(int i) {
        int n = values.length;
        if (i < -n || i >= n) {
            throw new IndexOutOfBoundsException("argument " + i + " of a function of " + n + " argument" + (n == 1 ? "" : "s")
                    + "; valid positions are " + (n == 0 ? "none" : -n + ".." + (n - 1)));
        }
        return values[i < 0 ? i + n : i];
    }

    /**
     * The only entry, for a function of one argument.
     *
     * @return the entry of argument 0
     * @throws IllegalStateException when there are several arguments (use {@link #get(int)})
     */
    public Tensor only() {
        if (values.length != 1) {
            throw new IllegalStateException("there are " + values.length + " results, one per argument; use get(i)");
        }
        return values[0];
    }

    /** @return the number of arguments */
    public int size() {
        return values.length;
    }

    /** @return a new array holding the entries in argument order */
    public Tensor[] toArray() {
        return values.clone();
    }

    /** @return the entries in argument order, as an unmodifiable list */
    public List<Tensor> asList() {
        return List.of(values);
    }

    /** @return an iterator over the entries in argument order */
    @Override
    public Iterator<Tensor> iterator() {
        return asList().iterator();
    }

    /** @return the entries' shapes, for messages and debugging */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("PerArgument[");
        for (int i = 0; i < values.length; i++) sb.append(i == 0 ? "" : ", ").append(Arrays.toString(values[i].shape()));
        return sb.append(']').toString();
    }
}
