package dev.dualgrad.internal.transforms;

import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.TensorFunction;

/** Mixed partials by interpolation from univariate Taylor series (Griewank, Utke and Walther 2000). */
public final class MixedPartials {
    private MixedPartials() {}

    public static Tensor mixedPartial(String op, TensorFunction f, Tensor x, int[] alpha) {
        throw new UnsupportedOperationException(op + ": not yet built");
    }
}
