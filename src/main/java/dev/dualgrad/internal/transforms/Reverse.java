package dev.dualgrad.internal.transforms;

import dev.dualgrad.transforms.MultiTensorFunction;
import dev.dualgrad.transforms.PerArgument;
import dev.dualgrad.transforms.ValueAndGrad;

import dev.dualgrad.internal.engine.Tape;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;

/** Reverse mode: record f on a tape, then sweep back from the output. */
public final class Reverse {
    private Reverse() {}

    public static TapePullback vjp(String op, MultiTensorFunction f, Tensor[] xs) {
        Tape tape = new Tape();
        Tensor[] leaves = new Tensor[xs.length];
        Tensor y;
        try {
            for (int i = 0; i < xs.length; i++) leaves[i] = tape.watch(xs[i]);
            y = Transforms.output(op, f.apply(leaves), tape);
        } finally {
            tape.close();
        }
        return new TapePullback(tape, y, leaves);
    }

    public static ValueAndGrad valueAndGrad(String op, MultiTensorFunction f, Tensor[] xs) {
        TapePullback p = vjp(op, f, xs);
        Tensor v = p.value();
        if (v.size() != 1) {
            throw new IllegalArgumentException(op + ": f must return a scalar (one element) but returned shape " + Shape.str(v.shape())
                    + "; the gradient is defined for scalar functions. For a vector-valued f use Diff.jacobian,"
                    + " or Diff.vjp with a cotangent u to get uᵀJ.");
        }
        return new ValueAndGrad(v, PerArgument.of(p.sweep(Tensor.ones(v.shape()))));
    }
}
