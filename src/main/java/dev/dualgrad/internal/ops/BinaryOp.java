package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.internal.engine.Dispatch;
import dev.dualgrad.internal.engine.Pattern;
import dev.dualgrad.internal.kernels.Kernels;
import dev.dualgrad.internal.engine.Primitive;
import dev.dualgrad.internal.kernels.RowKernel;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;

/**
 * A broadcasting elementwise function y = f(a, b), declared by its row kernel and its two partial
 * derivatives ∂f/∂a and ∂f/∂b (as tensor ops):
 * JVP ẏ = ȧ ⊙ ∂f/∂a + ḃ ⊙ ∂f/∂b, VJP ā = unbroadcast(ȳ ⊙ ∂f/∂a), b̄ = unbroadcast(ȳ ⊙ ∂f/∂b).
 * Each op declares {@link #vjpReads()}: what its two partials read, per cotangent where they differ.
 */
public abstract class BinaryOp implements Primitive, RowKernel {
    private final String name;

    protected BinaryOp(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    public Tensor apply(Tensor a, Tensor b) {
        // Tensor's binary methods name their operand o (a.add(o)); the receiver cannot be null there.
        Args.nonNull(a, name, "the left operand");
        Args.nonNull(b, name, "o");
        return Dispatch.apply(this, a, b);
    }

    /**
     * ∂f/∂a at (a, b) with y = f(a, b), broadcastable to y's shape. Ops that override both rules
     * (the linear add and sub, the constant comparisons) need not declare it.
     */
    protected Tensor partialA(Tensor a, Tensor b, Tensor y) {
        throw new IllegalStateException(name + " declares its rules directly, not through partials");
    }

    /** ∂f/∂b at (a, b) with y = f(a, b); see {@link #partialA}. */
    protected Tensor partialB(Tensor a, Tensor b, Tensor y) {
        throw new IllegalStateException(name + " declares its rules directly, not through partials");
    }

    @Override
    public Tensor eval(Tensor[] x) {
        int[] out = Shape.broadcast(name, x[0].shape(), x[1].shape());
        Shape.size(name, out); // a broadcast result may hold more than 2³¹ − 1 elements: refused by name
        return Kernels.broadcast(this, x[0], x[1], out);
    }

    /** Broadcasting elementwise: y[o] depends on the elements of a and b that broadcasting puts at o. */
    @Override
    public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) {
        int[] out = y.shape();
        for (int i = 0; i < 2; i++) {
            if (px[1 - i] == null && Arrays.equals(x[i].shape(), out)) return px[i]; // one traced operand, not broadcast
        }
        return Pattern.broadcast(out, x, px);
    }

    @Override
    public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
        int[] out = y.shape();
        Tensor t = null;
        if (dx[0] != null) t = Tensors.mulStrongZero(Rules.align(dx[0], x[0].shape(), out.length), partialA(x[0], x[1], y));
        if (dx[1] != null) t = Rules.plus(t, Tensors.mulStrongZero(Rules.align(dx[1], x[1].shape(), out.length), partialB(x[0], x[1], y)));
        return fill(t, x, dx, out);
    }

    /** Broadcasts a tangent whose factors happened not to cover every axis of the output up to [p..., out...]. */
    static Tensor fill(Tensor t, Tensor[] x, Tensor[] dx, int[] out) {
        if (t == null) return null;
        int i = dx[0] != null ? 0 : 1;
        int[] target = Shape.concat(Rules.prefix(dx[i], x[i].rank()), out);
        return Arrays.equals(t.shape(), target) ? t : t.broadcastTo(target);
    }

    @Override
    public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
        int[] out = y.shape();
        Tensor ga = need[0] ? Rules.unbroadcast(Tensors.mulStrongZero(gy, partialA(x[0], x[1], y)), out, x[0].shape()) : null;
        Tensor gb = need[1] ? Rules.unbroadcast(Tensors.mulStrongZero(gy, partialB(x[0], x[1], y)), out, x[1].shape()) : null;
        return new Tensor[] {ga, gb};
    }
}
