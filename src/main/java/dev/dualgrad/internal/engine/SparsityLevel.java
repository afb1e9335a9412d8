package dev.dualgrad.internal.engine;

import dev.dualgrad.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Sparsity detection as one more kind of level: a tensor of this level is a value (one level down, so
 * the primal is computed as usual, and enclosing or enclosed transforms work as with any level) and a
 * {@link Pattern}, the set of seeded input elements each of its elements may depend on. An op splits its
 * inputs into values and patterns, computes the value one level down and asks the primitive's
 * {@link Primitive#sparsity} rule for the output pattern. An output that depends on nothing is returned
 * as a plain value.
 *
 * <p>A Hessian pattern is the pattern of the gradient: a tape opened inside this level records f, and
 * its backward sweep (the VJP rules, tensor ops on values of this level) is traced like any other code,
 * so the pattern of ∇f's element i is the set of j with ∂²f/∂xᵢ∂xⱼ possibly nonzero.</p>
 */
public final class SparsityLevel extends Level {
    private final int universe;
    private final List<Pattern> patterns = new ArrayList<>();
    private long tracedElements;

    /** Opens a detection over {@code universe} input elements (the seeds' sizes summed). */
    public SparsityLevel(int universe) {
        super("sparsity");
        this.universe = universe;
    }

    /** {@code x} as a tensor of this level whose element e depends on input element offset + e alone. */
    public Tensor seed(Tensor x, int offset) {
        return traced(x, Pattern.seed(universe, offset, x.size()));
    }

    /** {@code x} as a tensor of this level whose element e depends on the input elements {@code p.row(e)}: a seed with labels of the caller's choosing. */
    public Tensor seed(Tensor x, Pattern p) {
        if (p.size() != x.size() || p.universe() != universe) {
            throw new IllegalArgumentException("SparsityLevel.seed: a pattern of " + p.size() + " elements over " + p.universe()
                    + " inputs for a tensor of " + x.size() + " elements in a detection over " + universe);
        }
        return traced(x, p);
    }

    /** The pattern of {@code y}: empty when y is not of this level (it depends on no seeded input). */
    public Pattern patternOf(Tensor y) {
        return Tensors.level(y) == this ? patterns.get(Tensors.node(y)) : Pattern.empty(universe, y.size());
    }

    private synchronized Tensor traced(Tensor value, Pattern p) {
        patterns.add(p);
        return Tensors.traced(this, value, patterns.size() - 1);
    }

    /**
     * The elements of every traced op's output so far: what one direction's tangents take over the same ops,
     * so a transform sized by memory needs no separate recording to learn it.
     */
    public synchronized long tracedElements() {
        return tracedElements;
    }

    @Override
    public Tensor apply(Primitive p, Tensor[] in) {
        int n = in.length;
        Tensor[] values = new Tensor[n];
        Pattern[] px = new Pattern[n];
        for (int i = 0; i < n; i++) {
            if (Tensors.level(in[i]) == this) {
                values[i] = Tensors.inner(in[i]);
                px[i] = patterns.get(Tensors.node(in[i]));
            } else {
                values[i] = in[i];
            }
        }
        Tensor y = Dispatch.apply(p, values);
        Pattern py = p.sparsity(values, y, px);
        if (py.size() != y.size()) {
            throw new IllegalStateException(p.name() + ": its sparsity rule returned " + py.size() + " rows for an output of " + y.size() + " elements");
        }
        if (py.isEmpty()) return y;
        synchronized (this) {
            tracedElements += y.size();
        }
        return traced(y, py);
    }
}
