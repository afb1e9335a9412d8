package dev.dualgrad.internal.engine;

import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;

/**
 * The tag of one Taylor-mode transform of order K. A tensor of this level is a truncated series
 * x(t) = x₀ + x₁t + … + x_K t^K: its primal x₀ one level down and its normalised coefficients
 * x₁ … x_K stacked as one tensor [K, ...shape] (x_k = x⁽ᵏ⁾/k!, so no factorial is ever formed).
 * An op splits its inputs into primals and coefficients (absent = a constant), computes the primal one
 * level down and asks the primitive's {@link Primitive#taylor} rule for the output coefficients, also
 * one level down: an enclosing tape records the series arithmetic, so the gradient of a Taylor
 * coefficient w.r.t. parameters is one reverse sweep over this pass.
 *
 * <p>The stacked coefficients ride in the slot a {@link DualLevel} uses for its tangents, with K as
 * the batch prefix: a rule that is linear in the tangent (every JVP rule) maps all K coefficients of
 * a linear op in one call.</p>
 */
public final class TaylorLevel extends Level {
    private final int order;

    /** Opens a Taylor level of order {@code order} ≥ 1. */
    public TaylorLevel(int order) {
        super("jet");
        if (order < 1) throw new IllegalArgumentException("TaylorLevel: order " + order + " < 1");
        this.order = order;
    }

    /** K: the highest coefficient carried. */
    public int order() {
        return order;
    }

    /** The series with primal {@code x0} and coefficients {@code coefficients} [K, ...x0.shape]. */
    public Tensor seed(Tensor x0, Tensor coefficients) {
        int[] want = Shape.concat(new int[] {order}, x0.shape());
        if (!Arrays.equals(coefficients.shape(), want)) {
            throw new IllegalArgumentException("TaylorLevel.seed: coefficients " + Shape.str(coefficients.shape()) + ", expected " + Shape.str(want));
        }
        return Tensors.dual(this, x0, coefficients);
    }

    /** The primal x₀ of {@code y} at this level. */
    public Tensor primalOf(Tensor y) {
        return Tensors.level(y) == this ? Tensors.inner(y) : y;
    }

    /** The coefficients [K, ...shape] of {@code y} at this level, or null when y does not depend on the seeded inputs. */
    public Tensor coefficientsOf(Tensor y) {
        return Tensors.level(y) == this ? Tensors.tangentPart(y) : null;
    }

    @Override
    public Tensor apply(Primitive p, Tensor[] in) {
        int n = in.length;
        Tensor[] primal = new Tensor[n];
        Tensor[] coefficients = new Tensor[n];
        for (int i = 0; i < n; i++) {
            if (Tensors.level(in[i]) == this) {
                primal[i] = Tensors.inner(in[i]);
                coefficients[i] = Tensors.tangentPart(in[i]);
            } else {
                primal[i] = in[i];
            }
        }
        Tensor y = Dispatch.apply(p, primal);
        Tensor c = p.taylor(primal, y, coefficients);
        if (c == null) return y;
        if (c.rank() != y.rank() + 1 || c.dim(0) != order || !Arrays.equals(Shape.suffix(c.shape(), 1), y.shape())) {
            throw new IllegalStateException(p.name() + ": the Taylor rule returned coefficients " + Shape.str(c.shape())
                    + " for an output " + Shape.str(y.shape()) + " at order " + order);
        }
        return Tensors.dual(this, y, c);
    }
}
