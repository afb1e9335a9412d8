package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.internal.engine.Dispatch;
import dev.dualgrad.internal.engine.Pattern;
import dev.dualgrad.internal.engine.Primitive;
import dev.dualgrad.internal.engine.DualLevel;
import dev.dualgrad.internal.engine.LaplacianRules;
import dev.dualgrad.internal.engine.TaylorRules;
import dev.dualgrad.tensor.Tensor;

/**
 * An elementwise function y = f(x), declared by its kernel and its derivative f′ (as tensor ops):
 * JVP ẏ = ẋ ⊙ f′(x), VJP x̄ = ȳ ⊙ f′(x). The products use the strong zero, so a zero tangent
 * meeting an infinite derivative (√x at 0) stays 0 instead of becoming NaN.
 *
 * <p>Taylor rule: the op's O(K²) recurrence ({@link #series}) on concrete data where it declares one,
 * otherwise (and inside other transforms) the series of f′ (TaylorRules). Laplacian rule:
 * L′ = f′·L + f″·Σ_d J_d², with f″ the derivative of {@link #derivative}, taken by one nested JVP.</p>
 */
public abstract class UnaryOp implements Primitive {
    // Built once: the tape asks for the declaration on every recorded op.
    private static final Primitive.Reads READS_X = Primitive.Reads.inputs(0), READS_Y = Primitive.Reads.output(),
            READS_BOTH = Primitive.Reads.inputs(0).andOutput();
    private final String name;

    protected UnaryOp(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    public Tensor apply(Tensor x) {
        return Dispatch.apply(this, x);
    }

    /** y[i] = f(x[i]) for i < n. */
    protected abstract void kernel(double[] x, double[] y, int n);

    /** f′(x) as tensor ops on x and y = f(x) (both one level down, so the rule is itself differentiable). */
    protected abstract Tensor derivative(Tensor x, Tensor y);

    /** Which of x and y {@link #derivative} reads; the tape keeps only those. */
    protected enum Reads { X, Y, BOTH, NEITHER }

    /** Which of x and y {@link #derivative} reads (values, not shapes): declared by every op, no default. */
    protected abstract Reads derivativeReads();

    /** The VJP ȳ ⊙ f′(x, y) reads what f′ reads. */
    @Override
    public final Primitive.Reads vjpReads() {
        switch (derivativeReads()) {
            case X: return READS_X;
            case Y: return READS_Y;
            case BOTH: return READS_BOTH;
            default: return Primitive.Reads.NOTHING;
        }
    }

    /**
     * The Taylor recurrence on concrete arrays (layout of {@code SeriesKernels}): fills {@code out} with
     * y₁..y_K and returns true, or returns false when f has none (the generic rule then applies).
     */
    protected boolean series(double[] x0, double[] y0, double[] c, double[] out, int n, int order) {
        return false;
    }

    @Override
    public Tensor taylor(Tensor[] x, Tensor y, Tensor[] c) {
        if (c[0] == null) return null;
        int order = c[0].dim(0);
        if (order > 1 && !piecewiseLinear() && Tensors.level(x[0]) == null && Tensors.level(y) == null && Tensors.level(c[0]) == null) {
            double[] out = new double[c[0].size()];
            if (series(Tensors.buffer(x[0]), Tensors.buffer(y), Tensors.buffer(c[0]), out, y.size(), order)) return Tensors.adopt(out, c[0].shape());
        }
        return TaylorRules.byDefault(this, x, y, c);
    }

    @Override
    public Tensor laplacian(Tensor[] x, Tensor y, Tensor[] s) {
        if (s[0] == null) return null;
        if (piecewiseLinear() || vjpReads().readsNothing()) return jvp(x, y, s);
        Tensor d1 = derivative(x[0], y);
        return LaplacianRules.elementwise(s[0], d1, secondDerivative(x[0], y, d1));
    }

    /** f″(x): the tangent of f′(x, y) along x′ = 1 (so y′ = f′), by one nested JVP of {@link #derivative}. */
    Tensor secondDerivative(Tensor x, Tensor y, Tensor d1) {
        DualLevel level = new DualLevel();
        try {
            Tensor dy = java.util.Arrays.equals(d1.shape(), y.shape()) ? d1 : d1.broadcastTo(y.shape());
            Tensor r = derivative(level.seed(x, Tensor.ones(x.shape())), level.seed(y, dy));
            Tensor t = level.tangentOf(r);
            return t == null ? Tensor.scalar(0) : t;
        } finally {
            level.close();
        }
    }

    @Override
    public Tensor eval(Tensor[] in) {
        double[] x = Tensors.buffer(in[0]);
        double[] y = new double[x.length];
        kernel(x, y, x.length);
        return Tensors.adopt(y, in[0].shape());
    }

    /** Elementwise: y[i] depends on what x[i] depends on. */
    @Override
    public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) {
        return px[0];
    }

    @Override
    public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
        return dx[0] == null ? null : Tensors.mulStrongZero(dx[0], derivative(x[0], y));
    }

    @Override
    public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
        return new Tensor[] {Tensors.mulStrongZero(gy, derivative(x[0], y))};
    }
}
