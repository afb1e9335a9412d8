package dev.dualgrad.internal.engine;

import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;

/**
 * The tag of one forward-Laplacian transform (Li et al. 2023; the collapsed second-order Taylor mode of
 * Dangel et al.): a tensor of this level carries its value one level down and a stack [D + 1, ...shape]
 * whose rows 0..D−1 are its derivatives J_d along D seeded directions v_d and whose row D is the
 * collapsed second-order term L = Σ_d v_dᵀ∇²(·)v_d. With the unit vectors as directions, L is the
 * Laplacian; with the columns of σ it is tr(σσᵀ∇²); with random directions, a Hutchinson sum. The
 * stack rides in the tangent slot, so linear ops map J and L in one call of their JVP rule, and an
 * enclosing tape records the arithmetic (the gradient of a Laplacian w.r.t. parameters is one reverse
 * sweep over this pass).
 */
public final class LaplacianLevel extends Level {
    private final int directions;

    /** Opens a level carrying D = {@code directions} ≥ 0 first-order rows. */
    public LaplacianLevel(int directions) {
        super("laplacian");
        if (directions < 0) throw new IllegalArgumentException("LaplacianLevel: " + directions + " directions");
        this.directions = directions;
    }

    /** D: the number of seeded directions. */
    public int directions() {
        return directions;
    }

    /** The tensor with value {@code x0} and stack {@code stack} [D + 1, ...x0.shape]. */
    public Tensor seed(Tensor x0, Tensor stack) {
        int[] want = Shape.concat(new int[] {directions + 1}, x0.shape());
        if (!Arrays.equals(stack.shape(), want)) {
            throw new IllegalArgumentException("LaplacianLevel.seed: stack " + Shape.str(stack.shape()) + ", expected " + Shape.str(want));
        }
        return Tensors.dual(this, x0, stack);
    }

    /** The value of {@code y} at this level. */
    public Tensor primalOf(Tensor y) {
        return Tensors.level(y) == this ? Tensors.inner(y) : y;
    }

    /** The stack [D + 1, ...shape] of {@code y}, or null when y does not depend on the seeded input. */
    public Tensor stackOf(Tensor y) {
        return Tensors.level(y) == this ? Tensors.tangentPart(y) : null;
    }

    @Override
    public Tensor apply(Primitive p, Tensor[] in) {
        int n = in.length;
        Tensor[] primal = new Tensor[n];
        Tensor[] stack = new Tensor[n];
        for (int i = 0; i < n; i++) {
            if (Tensors.level(in[i]) == this) {
                primal[i] = Tensors.inner(in[i]);
                stack[i] = Tensors.tangentPart(in[i]);
            } else {
                primal[i] = in[i];
            }
        }
        Tensor y = Dispatch.apply(p, primal);
        Tensor s = p.laplacian(primal, y, stack);
        if (s == null) return y;
        if (s.rank() != y.rank() + 1 || s.dim(0) != directions + 1 || !Arrays.equals(Shape.suffix(s.shape(), 1), y.shape())) {
            throw new IllegalStateException(p.name() + ": the Laplacian rule returned a stack " + Shape.str(s.shape())
                    + " for an output " + Shape.str(y.shape()) + " with " + directions + " directions");
        }
        return Tensors.dual(this, y, s);
    }
}
