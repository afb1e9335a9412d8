package dev.dualgrad.internal.transforms;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.internal.engine.Level;
import dev.dualgrad.tensor.Tensor;

/** Checks shared by the transforms. */
final class Transforms {
    private Transforms() {}

    /** Validates what f returned inside the transform {@code level}. */
    static Tensor output(String op, Tensor y, Level level) {
        if (y == null) throw new IllegalArgumentException(op + ": the function returned null; it must return a Tensor");
        Level l = Tensors.level(y);
        if (l != null && l != level && !l.isActive()) {
            throw new IllegalStateException(op + ": the function returned a tensor that carries the tangent or tape of an inner "
                    + "transform (" + l + ") that has already returned; return that transform's result instead");
        }
        return y;
    }
}
