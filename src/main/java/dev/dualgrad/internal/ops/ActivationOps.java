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
            for (int i = 0; i < n; i++) y[i] = Math.min(x[i], 0) - Math.log1p(Math.exp(-Math.abs(x[i])));
        }
        protected Tensor derivative(Tensor x, Tensor y) { return x.neg().sigmoid(); }
    };

    public static final UnaryOp GELU = new UnaryOp("gelu") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) {
            for (int i = 0; i < n; i++) y[i] = times(x[i], 0.5 * SpecialFunctions.erfc(-x[i] * SQRT_HALF));
        }
        protected Tensor derivative(Tensor x, Tensor y) {
            Tensor cdf = x.mul(-SQRT_HALF).erfc().mul(0.5), pdf = x.square().mul(-0.5).exp().mul(INV_SQRT_2PI);
            return cdf.add(Tensors.mulStrongZero(x, pdf));
        }
    };

    public static final UnaryOp GELU_TANH = new UnaryOp("geluTanh") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) {
            for (int i = 0; i < n; i++) {
                double v = x[i];
                y[i] = times(v, sigmoid(2 * TANH_SCALE * (v + TANH_CUBIC * v * v * v))); // ½(1 + tanh u) = σ(2u): no cancellation
            }
        }
        protected Tensor derivative(Tensor x, Tensor y) {
            Tensor s = x.add(x.pow(3.0).mul(TANH_CUBIC)).mul(2 * TANH_SCALE).sigmoid();
            Tensor du = x.square().mul(3 * TANH_CUBIC).add(1).mul(2 * TANH_SCALE);
            return s.add(Tensors.mulStrongZero(Tensors.mulStrongZero(x, s.mul(s.rsub(1))), du));
        }
    };

    public static final UnaryOp SILU = new UnaryOp("silu") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = times(x[i], sigmoid(x[i])); }
        protected Tensor derivative(Tensor x, Tensor y) {
            Tensor s = x.sigmoid();
            return Tensors.mulStrongZero(s, Tensors.mulStrongZero(x, s.rsub(1)).add(1));
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
            @Override protected Reads derivativeReads() { return Reads.X; }
            protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : slope * x[i]; }
            protected Tensor derivative(Tensor x, Tensor y) { return UnaryOps.nanWhereNaN(x.gt(0).mul(1 - slope).add(slope), x); }
        };
    }

    /** x·t where t ∈ [0, 1] is a factor that vanishes as x → −∞: 0 (not −∞·0 = NaN) once it has underflowed. */
    private static double times(double x, double t) {
        return t == 0 ? -0.0 : x * t;
    }

    private static double sigmoid(double v) {
        if (v >= 0) return 1 / (1 + Math.exp(-v));
        double e = Math.exp(v);
        return e / (1 + e);
    }
}
