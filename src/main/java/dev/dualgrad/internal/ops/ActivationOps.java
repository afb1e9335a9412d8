package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;

/**
 * Activation functions, each with its kernel and its derivative side by side. Products that meet 0·∞
 * at x = ±∞ use the strong zero, so that the derivatives there are the limits (0 or 1), not NaN.
 *
 * <pre>
 *   op          y = f(x)                              f′(x)                          convention
 *   logSigmoid  −softplus(−x) = min(x,0) − log1p(e^−|x|)   σ(−x)
 *   gelu        x·Φ(x) = ½x·erfc(−x/√2)               Φ(x) + x·φ(x)                  gelu(−∞) = 0
 *   geluTanh    ½x(1 + tanh u) = x·σ(2u),             σ(2u) + x·σ(2u)(1 − σ(2u))·2u′
 *               u = √(2/π)(x + 0.044715x³)
 *   silu        x·σ(x)                                σ(x)(1 + x(1 − σ(x)))          silu(−∞) = 0
 *   elu α       x for x &gt; 0, α(eˣ − 1) otherwise     1 for x &gt; 0, αeˣ otherwise   f′(0) = α (as PyTorch)
 *   leakyRelu s x for x &gt; 0, s·x otherwise           1 for x &gt; 0, s otherwise     f′(0) = s (as PyTorch)
 * </pre>
 */
public final class ActivationOps {
    private ActivationOps() {}

    private static final double SQRT_HALF = Math.sqrt(0.5), INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    private static final double TANH_SCALE = Math.sqrt(2 / Math.PI), TANH_CUBIC = 0.044715;

    public static final UnaryOp LOG_SIGMOID = new UnaryOp("logSigmoid") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) {
            for (int i = 0; i < n; i++) y[i] = Math.min(x[i], 0) - log1pOfNonNegative(Math.exp(-Math.abs(x[i])));
        }
        protected Tensor derivative(Tensor x, Tensor y) { return x.neg().sigmoid(); }
    };

    // gelu, geluTanh and silu take their derivative from an op of its own (one kernel, not a chain of tensor
    // ops, for a first-order gradient); that op's derivative, f″, is written in tensor ops for higher orders.

    public static final UnaryOp GELU = new UnaryOp("gelu") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) {
            for (int i = 0; i < n; i++) y[i] = times(x[i], 0.5 * SpecialFunctions.erfc(-x[i] * SQRT_HALF));
        }
        protected Tensor derivative(Tensor x, Tensor y) { return GELU_DERIVATIVE.apply(x); }
    };

    /** gelu′ = Φ(x) + x·φ(x); gelu″ = φ(x)(2 − x²). */
    static final UnaryOp GELU_DERIVATIVE = new UnaryOp("geluDerivative") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) {
            for (int i = 0; i < n; i++) {
                double v = x[i], pdf = Math.exp(-0.5 * v * v) * INV_SQRT_2PI;
                y[i] = 0.5 * SpecialFunctions.erfc(-v * SQRT_HALF) + (pdf == 0 ? 0 : v * pdf);
            }
        }
        protected Tensor derivative(Tensor x, Tensor y) {
            Tensor square = x.square();
            return Tensors.mulStrongZero(square.mul(-0.5).exp().mul(INV_SQRT_2PI), square.rsub(2));
        }
    };

    public static final UnaryOp GELU_TANH = new UnaryOp("geluTanh") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) {
            for (int i = 0; i < n; i++) y[i] = times(x[i], sigmoid(tanhArgument(x[i]))); // ½(1 + tanh u) = σ(2u): no cancellation
        }
        protected Tensor derivative(Tensor x, Tensor y) { return GELU_TANH_DERIVATIVE.apply(x); }
    };

    /** With w = 2u and s = σ(w), q = s(1 − s): geluTanh′ = s + x·q·w′, geluTanh″ = 2q·w′ + x·q·((1 − 2s)w′² + w″). */
    static final UnaryOp GELU_TANH_DERIVATIVE = new UnaryOp("geluTanhDerivative") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) {
            for (int i = 0; i < n; i++) {
                double v = x[i], s = sigmoid(tanhArgument(v)), q = s * (1 - s);
                y[i] = s + (q == 0 ? 0 : v * q * (2 * TANH_SCALE * (1 + 3 * TANH_CUBIC * v * v)));
            }
        }
        protected Tensor derivative(Tensor x, Tensor y) {
            Tensor s = x.add(x.pow(3.0).mul(TANH_CUBIC)).mul(2 * TANH_SCALE).sigmoid(), q = s.mul(s.rsub(1));
            Tensor w1 = x.square().mul(3 * TANH_CUBIC).add(1).mul(2 * TANH_SCALE), w2 = x.mul(12 * TANH_SCALE * TANH_CUBIC);
            Tensor inner = Tensors.mulStrongZero(q, s.mul(-2).add(1).mul(w1.square()).add(w2));
            return Tensors.mulStrongZero(q, w1).mul(2).add(Tensors.mulStrongZero(x, inner));
        }
    };

    public static final UnaryOp SILU = new UnaryOp("silu") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = times(x[i], sigmoid(x[i])); }
        protected Tensor derivative(Tensor x, Tensor y) { return SILU_DERIVATIVE.apply(x); }
    };

    /** With s = σ(x) and q = s(1 − s): silu′ = s(1 + x(1 − s)) = s + x·q, silu″ = q(2 + x(1 − 2s)). */
    static final UnaryOp SILU_DERIVATIVE = new UnaryOp("siluDerivative") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) {
            for (int i = 0; i < n; i++) {
                double s = sigmoid(x[i]), q = s * (1 - s);
                y[i] = s + (q == 0 ? 0 : x[i] * q); // q = 0 at ±∞: the limits 0 and 1, not NaN
            }
        }
        protected Tensor derivative(Tensor x, Tensor y) {
            Tensor s = x.sigmoid();
            return Tensors.mulStrongZero(s.mul(s.rsub(1)), Tensors.mulStrongZero(x, s.mul(-2).add(1)).add(2));
        }
    };

    /** elu with the given α (finite). */
    public static UnaryOp elu(double alpha) {
        if (!Double.isFinite(alpha)) throw new IllegalArgumentException("elu: alpha must be finite, not " + alpha);
        return new UnaryOp("elu") {
            @Override protected Reads derivativeReads() { return Reads.X; }
            protected void kernel(double[] x, double[] y, int n) {
                for (int i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : alpha * Math.expm1(x[i]); // NaN: α·NaN
            }
            // the mask is a constant; α·eˣ is NaN where x is, and carries the second derivative
            protected Tensor derivative(Tensor x, Tensor y) { return Tensor.where(x.gt(0), Tensor.scalar(1), x.exp().mul(alpha)); }
        };
    }

    /** leakyRelu with the given negative slope (finite). */
    public static UnaryOp leakyRelu(double slope) {
        if (!Double.isFinite(slope)) throw new IllegalArgumentException("leakyRelu: the slope must be finite, not " + slope);
        return new UnaryOp("leakyRelu") {
            @Override public boolean piecewiseLinear() { return true; } // Taylor and Laplacian: the JVP on each coefficient
            @Override protected Reads derivativeReads() { return Reads.X; }
            protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : slope * x[i]; }
            protected Tensor derivative(Tensor x, Tensor y) { return UnaryOps.nanWhereNaN(x.gt(0).mul(1 - slope).add(slope), x); }
        };
    }

    /** x·t where t ∈ [0, 1] is a factor that vanishes as x → −∞: 0 (not −∞·0 = NaN) once it has underflowed. */
    private static double times(double x, double t) {
        return t == 0 ? -0.0 : x * t;
    }

    /** 2u = 2√(2/π)(x + 0.044715x³), so that ½(1 + tanh u) = σ(2u). */
    private static double tanhArgument(double v) {
        return 2 * TANH_SCALE * (v + TANH_CUBIC * v * v * v);
    }

    /** σ(v) from e^−|v| only (no overflow), with a select rather than a branch on the sign, which random signs mispredict. */
    private static double sigmoid(double v) {
        double e = Math.exp(-Math.abs(v)), r = 1 / (1 + e);
        return v >= 0 ? r : e * r;
    }

    /**
     * log(1 + e) for e ≥ 0 without Math.log1p (a library routine, several times slower than the intrinsic log):
     * Kahan's log(u)·e/(u − 1) with u = 1 + e, within a few ulp.
     */
    static double log1pOfNonNegative(double e) {
        double u = 1 + e;
        return u == 1 ? e : Math.log(u) * e / (u - 1);
    }
}
