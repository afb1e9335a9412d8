package dev.dualgrad.internal.ops;

import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.internal.kernels.Elementwise;

/**
 * The elementwise functions, each with its kernel and its derivative side by side.
 *
 * <pre>
 *   op        y = f(x)                     f′(x)                       convention
 *   neg       −x                           −1 (linear)
 *   exp       eˣ                           y
 *   log       ln x                         1/x                          x &lt; 0 gives NaN
 *   log1p     ln(1+x)                      1/(1+x)
 *   sqrt      √x                           1/(2y)                       +∞ at 0
 *   square    x²                           2x
 *   abs       |x|                          sign(x)                      0 at 0
 *   sin/cos   sin x, cos x                 cos x, −sin x
 *   tanh      tanh x                       1 − y²
 *   sigmoid   1/(1+e^−x)                   y(1 − y)
 *   relu      max(x,0)                     [y &gt; 0] (= [x &gt; 0])       0 at 0
 *   softplus  max(x,0)+log1p(e^−|x|)       sigmoid(x)
 *   pow c     x^c                          c·x^(c−1)                    0 when c = 0
 *   clamp     min(max(x,lo),hi)            [lo ≤ x ≤ hi]              1 at both ends
 * </pre>
 */
public final class UnaryOps {
    private UnaryOps() {}

    public static final UnaryOp NEG = new UnaryOp("neg") {
        @Override protected Reads derivativeReads() { return Reads.NEITHER; }
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = -x[i]; }
        protected Tensor derivative(Tensor x, Tensor y) { return Tensor.scalar(-1); }
    };

    public static final UnaryOp EXP = new UnaryOp("exp") {
        @Override protected Reads derivativeReads() { return Reads.Y; }
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = Math.exp(x[i]); }
        protected Tensor derivative(Tensor x, Tensor y) { return y; }
        @Override protected boolean series(double[] x0, double[] y0, double[] c, double[] out, int n, int k) { dev.dualgrad.internal.kernels.SeriesKernels.exp(x0, y0, c, out, n, k, false); return true; }
    };

    public static final UnaryOp LOG = new UnaryOp("log") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = Math.log(x[i]); }
        protected Tensor derivative(Tensor x, Tensor y) { return x.reciprocal(); }
        @Override protected boolean series(double[] x0, double[] y0, double[] c, double[] out, int n, int k) { dev.dualgrad.internal.kernels.SeriesKernels.log(x0, y0, c, out, n, k, 0); return true; }
    };

    public static final UnaryOp LOG1P = new UnaryOp("log1p") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = Math.log1p(x[i]); }
        protected Tensor derivative(Tensor x, Tensor y) { return x.add(1).reciprocal(); }
        @Override protected boolean series(double[] x0, double[] y0, double[] c, double[] out, int n, int k) { dev.dualgrad.internal.kernels.SeriesKernels.log(x0, y0, c, out, n, k, 1); return true; }
    };

    public static final UnaryOp SQRT = new UnaryOp("sqrt") {
        @Override protected Reads derivativeReads() { return Reads.Y; }
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = Math.sqrt(x[i]); }
        protected Tensor derivative(Tensor x, Tensor y) { return y.mul(2).reciprocal(); }
        @Override protected boolean series(double[] x0, double[] y0, double[] c, double[] out, int n, int k) { dev.dualgrad.internal.kernels.SeriesKernels.sqrt(x0, y0, c, out, n, k); return true; }
    };

    public static final UnaryOp SQUARE = new UnaryOp("square") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = x[i] * x[i]; }
        protected Tensor derivative(Tensor x, Tensor y) { return x.mul(2); }
        @Override protected boolean series(double[] x0, double[] y0, double[] c, double[] out, int n, int k) { dev.dualgrad.internal.kernels.SeriesKernels.square(x0, c, out, n, k); return true; }
    };

    public static final UnaryOp ABS = new UnaryOp("abs") {
            @Override public boolean piecewiseLinear() { return true; } // Taylor and Laplacian: the JVP on each coefficient
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = Math.abs(x[i]); }
        protected Tensor derivative(Tensor x, Tensor y) { return x.sign(); }
    };

    public static final UnaryOp SIN = new UnaryOp("sin") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = Math.sin(x[i]); }
        protected Tensor derivative(Tensor x, Tensor y) { return x.cos(); }
        @Override protected boolean series(double[] x0, double[] y0, double[] c, double[] out, int n, int k) { dev.dualgrad.internal.kernels.SeriesKernels.sinCos(x0, y0, c, out, n, k, false); return true; }
    };

    public static final UnaryOp COS = new UnaryOp("cos") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = Math.cos(x[i]); }
        protected Tensor derivative(Tensor x, Tensor y) { return x.sin().neg(); }
        @Override protected boolean series(double[] x0, double[] y0, double[] c, double[] out, int n, int k) { dev.dualgrad.internal.kernels.SeriesKernels.sinCos(x0, y0, c, out, n, k, true); return true; }
    };

    public static final UnaryOp TANH = new UnaryOp("tanh") {
        @Override protected Reads derivativeReads() { return Reads.Y; }
        protected void kernel(double[] x, double[] y, int n) { Elementwise.tanh(x, y, n); } // 10× Math.tanh, ≤ 4 ulp
        protected Tensor derivative(Tensor x, Tensor y) { return Tensor.scalar(1).sub(y.square()); }
        @Override protected boolean series(double[] x0, double[] y0, double[] c, double[] out, int n, int k) { dev.dualgrad.internal.kernels.SeriesKernels.tanh(x0, y0, c, out, n, k); return true; }
    };

    public static final UnaryOp SIGMOID = new UnaryOp("sigmoid") {
        // σ′ = σ(x)·σ(−x), both factors from x: y·(1 − y) cancels in 1 − y once y is near 1 (relative error
        // 1e-16·eˣ, all digits lost past x ≈ 37), and so did every second derivative built on it (logaddexp's).
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) {
            for (int i = 0; i < n; i++) {
                double v = x[i];
                // Both branches only ever exponentiate a non-positive number: no overflow.
                if (v >= 0) y[i] = 1 / (1 + Math.exp(-v));
                else {
                    double e = Math.exp(v);
                    y[i] = e / (1 + e);
                }
            }
        }
        protected Tensor derivative(Tensor x, Tensor y) { return apply(x).mul(apply(x.neg())); }
        @Override protected boolean series(double[] x0, double[] y0, double[] c, double[] out, int n, int k) { dev.dualgrad.internal.kernels.SeriesKernels.sigmoid(x0, y0, c, out, n, k, false); return true; }
    };

    public static final UnaryOp RELU = new UnaryOp("relu") {
            @Override public boolean piecewiseLinear() { return true; } // Taylor and Laplacian: the JVP on each coefficient
        // Read from y, which the next layer's matmul keeps anyway: y > 0 exactly where x > 0, and y is
        // NaN exactly where x is (the kernel maps −0 and negatives to +0).
        @Override protected Reads derivativeReads() { return Reads.Y; }
        protected void kernel(double[] x, double[] y, int n) {
            for (int i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : (Double.isNaN(x[i]) ? x[i] : 0.0);
        }
        protected Tensor derivative(Tensor x, Tensor y) { return nanWhereNaN(y.gt(0), y); }
    };

    public static final UnaryOp SOFTPLUS = new UnaryOp("softplus") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) {
            for (int i = 0; i < n; i++) y[i] = Math.max(x[i], 0) + Math.log1p(Math.exp(-Math.abs(x[i])));
        }
        protected Tensor derivative(Tensor x, Tensor y) { return x.sigmoid(); }
        @Override protected boolean series(double[] x0, double[] y0, double[] c, double[] out, int n, int k) { dev.dualgrad.internal.kernels.SeriesKernels.sigmoid(x0, y0, c, out, n, k, true); return true; }
    };

    /**
     * A constant mask, NaN where x is NaN: comparisons say "false" for NaN, which would turn the
     * derivative at a NaN input into a silent 0. (PyTorch's relu and clamp do give 0 there.)
     */
    static Tensor nanWhereNaN(Tensor mask, Tensor x) {
        Tensor c = x.detach();
        return Tensor.where(c.eq(c), mask, Tensor.scalar(Double.NaN));
    }

    /** x^c for a constant exponent c. */
    public static UnaryOp pow(double c) {
        return new UnaryOp("pow") {
            @Override protected Reads derivativeReads() { return c == 0 || c == 1 ? Reads.NEITHER : Reads.X; }
            protected void kernel(double[] x, double[] y, int n) {
                if (c == 2) for (int i = 0; i < n; i++) y[i] = x[i] * x[i];
                else for (int i = 0; i < n; i++) y[i] = Math.pow(x[i], c);
            }
            protected Tensor derivative(Tensor x, Tensor y) {
                if (c == 0) return Tensor.scalar(0);
                if (c == 1) return Tensor.scalar(1);
                return x.pow(c - 1).mul(c);
            }
        };
    }

    /** Clamp into [lo, hi]; NaN stays NaN. */
    public static UnaryOp clamp(double lo, double hi) {
        if (!(lo <= hi)) throw new IllegalArgumentException("clamp: the lower bound " + lo + " is above the upper bound " + hi);
        return new UnaryOp("clamp") {
            @Override public boolean piecewiseLinear() { return true; } // Taylor and Laplacian: the JVP on each coefficient
            @Override protected Reads derivativeReads() { return Reads.X; }
            protected void kernel(double[] x, double[] y, int n) {
                for (int i = 0; i < n; i++) y[i] = x[i] < lo ? lo : (x[i] > hi ? hi : x[i]);
            }
            protected Tensor derivative(Tensor x, Tensor y) { return nanWhereNaN(x.ge(lo).mul(x.le(hi)), x); }
        };
    }
}
