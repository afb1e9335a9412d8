package dev.dualgrad.internal.engine;

import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;

/**
 * The tag of one forward-mode transform. A dual tensor of this level is (primal, tangent) with the
 * tangent shaped [k, ...shape]: k directional derivatives travel through one pass. An op splits its
 * inputs into primals and tangents (absent tangent = zero), computes the primal one level down, and
 * asks the primitive's JVP rule for the output tangent, also one level down, so an enclosing tape
 * records the tangent arithmetic (reverse-over-forward needs no rule of its own).
 */
public final class DualLevel extends Level {
    public DualLevel() {
        super("jvp");
    }

    /** Makes {@code primal} a dual tensor of this level with the given tangent. */
    public Tensor seed(Tensor primal, Tensor tangent) {
        return Tensors.dual(this, primal, tangent);
    }

    /** The primal of {@code y} at this level. */
    public Tensor primalOf(Tensor y) {
        return Tensors.level(y) == this ? Tensors.inner(y) : y;
    }

    /** The tangent of {@code y} at this level, or null when {@code y} does not depend on the seeded inputs. */
    public Tensor tangentOf(Tensor y) {
        return Tensors.level(y) == this ? Tensors.tangentPart(y) : null;
    }

    @Override
    public Tensor apply(Primitive p, Tensor[] in) {
        int n = in.length;
        Tensor[] primal = new Tensor[n];
        Tensor[] tangent = new Tensor[n];
        for (int i = 0; i < n; i++) {
            if (Tensors.level(in[i]) == this) {
                primal[i] = Tensors.inner(in[i]);
                tangent[i] = Tensors.tangentPart(in[i]);
            } else {
                primal[i] = in[i];
            }
        }
        Tensor y = Dispatch.apply(p, primal);
        Tensor t = p.jvp(primal, y, tangent);
        if (t == null) return y;
        assert t.rank() >= y.rank() && Arrays.equals(Arrays.copyOfRange(t.shape(), t.rank() - y.rank(), t.rank()), y.shape())
                : p.name() + ": the JVP rule returned shape " + Arrays.toString(t.shape()) + " for output " + Arrays.toString(y.shape());
        return Tensors.dual(this, y, t);
    }
}
