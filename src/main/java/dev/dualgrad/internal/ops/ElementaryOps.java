package dev.dualgrad.internal.ops;

import dev.dualgrad.tensor.Tensor;

/**
 * The trigonometric and hyperbolic functions and their inverses, expm1, log2 and log10, each with its
 * kernel and its derivative side by side; and the rounding functions, constants with a zero derivative.
 *
 * <pre>
 *   op      y = f(x)        f′(x)                  domain, convention
 *   tan     tan x           1 + y²                 poles at π/2 + kπ (±∞-ish values near them)
 *   asin    asin x          1/√(1 − x²)            [−1, 1]; f′(±1) = +∞; NaN outside
 *   acos    acos x          −1/√(1 − x²)           [−1, 1]; f′(±1) = −∞; NaN outside
 *   atan    atan x          1/(1 + x²)
 *   sinh    sinh x          cosh x
 *   cosh    cosh x          sinh x
 *   asinh   asinh x         1/hypot(x, 1)          (hypot: no overflow of x²)
 *   acosh   acosh x         1/(√(x − 1)·√(x + 1))  [1, ∞); f′(1) = +∞; NaN below 1
 *   atanh   atanh x         1/(1 − x²)             [−1, 1]; ±∞ at ±1, f′(±1) = +∞; NaN outside
 *   expm1   eˣ − 1          y + 1
 *   log2    log₂ x          1/(x ln 2)             exact at powers of 2; as log elsewhere
 *   log10   log₁₀ x         1/(x ln 10)
 *   floor, ceil, round (half to even), trunc: constants, f′ = 0 everywhere (also at the jumps)
 * </pre>
 */
public final class ElementaryOps {
    private ElementaryOps() {}

    private static final double LN2 = Math.log(2), LN10 = Math.log(10), TWO_POW_28 = 0x1p28;

    public static final UnaryOp TAN = new UnaryOp("tan") {
        @Override protected Reads derivativeReads() { return Reads.Y; }
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = Math.tan(x[i]); }
        protected Tensor derivative(Tensor x, Tensor y) { return y.square().add(1); }
    };

    public static final UnaryOp ASIN = new UnaryOp("asin") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = Math.asin(x[i]); }
        protected Tensor derivative(Tensor x, Tensor y) { return x.square().rsub(1).pow(-0.5); }
    };

    public static final UnaryOp ACOS = new UnaryOp("acos") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = Math.acos(x[i]); }
        protected Tensor derivative(Tensor x, Tensor y) { return x.square().rsub(1).pow(-0.5).neg(); }
    };

    public static final UnaryOp ATAN = new UnaryOp("atan") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = Math.atan(x[i]); }
        protected Tensor derivative(Tensor x, Tensor y) { return x.square().add(1).reciprocal(); }
    };

    public static final UnaryOp SINH = new UnaryOp("sinh") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = Math.sinh(x[i]); }
        protected Tensor derivative(Tensor x, Tensor y) { return x.cosh(); }
    };

    public static final UnaryOp COSH = new UnaryOp("cosh") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = Math.cosh(x[i]); }
        protected Tensor derivative(Tensor x, Tensor y) { return x.sinh(); }
    };

    public static final UnaryOp ASINH = new UnaryOp("asinh") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = asinh(x[i]); }
        protected Tensor derivative(Tensor x, Tensor y) { return x.hypot(Tensor.scalar(1)).reciprocal(); }
    };

    public static final UnaryOp ACOSH = new UnaryOp("acosh") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = acosh(x[i]); }
        protected Tensor derivative(Tensor x, Tensor y) { return x.sub(1).sqrt().mul(x.add(1).sqrt()).reciprocal(); }
    };

    public static final UnaryOp ATANH = new UnaryOp("atanh") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = atanh(x[i]); }
        protected Tensor derivative(Tensor x, Tensor y) { return x.square().rsub(1).reciprocal(); }
    };

    public static final UnaryOp EXPM1 = new UnaryOp("expm1") {
        @Override protected Reads derivativeReads() { return Reads.Y; }
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = Math.expm1(x[i]); }
        protected Tensor derivative(Tensor x, Tensor y) { return y.add(1); }
        @Override protected boolean series(double[] x0, double[] y0, double[] c, double[] out, int n, int k) { dev.dualgrad.internal.kernels.SeriesKernels.exp(x0, y0, c, out, n, k, true); return true; }
    };

    public static final UnaryOp LOG2 = new UnaryOp("log2") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = log2(x[i]); }
        protected Tensor derivative(Tensor x, Tensor y) { return x.mul(LN2).reciprocal(); }
    };

    public static final UnaryOp LOG10 = new UnaryOp("log10") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = Math.log10(x[i]); }
        protected Tensor derivative(Tensor x, Tensor y) { return x.mul(LN10).reciprocal(); }
    };

    /** asinh x = sign(x)·log(|x| + √(x² + 1)), in forms that neither overflow nor cancel. */
    static double asinh(double x) {
        double a = Math.abs(x), r;
        if (a > TWO_POW_28) r = logTwice(a);                            // √(x² + 1) = |x| to double precision
        else if (a > 2) r = Math.log(2 * a + 1 / (Math.sqrt(a * a + 1) + a));
        else r = Math.log1p(a + a * a / (1 + Math.sqrt(1 + a * a)));    // accurate near 0
        return Math.copySign(r, x);                                     // NaN stays NaN, −0 stays −0
    }

    /** acosh x = log(x + √(x² − 1)) for x ≥ 1; NaN below. */
    static double acosh(double x) {
        if (!(x >= 1)) return Double.NaN;
        if (x > TWO_POW_28) return logTwice(x);
        if (x > 2) return Math.log(2 * x - 1 / (x + Math.sqrt(x * x - 1)));
        double t = x - 1; // exact for x in [1, 2]
        return Math.log1p(t + Math.sqrt(2 * t + t * t));
    }

    /** log(2a) for a &gt; 0, in one rounding where 2a does not overflow. */
    private static double logTwice(double a) {
        return a < 0x1p1022 ? Math.log(2 * a) : Math.log(a) + LN2;
    }

    /** atanh x = ½·log1p(2x/(1 − x)) for x ≥ 0 (odd), which is accurate near 0 and gives ∞ at 1. */
    static double atanh(double x) {
        double a = Math.abs(x);
        return Math.copySign(0.5 * Math.log1p(2 * a / (1 - a)), x);
    }

    /** log₂ x = e + log(m)/ln 2 for x = m·2ᵉ, m in [√½, √2): exact at powers of 2. */
    static double log2(double x) {
        if (!(x > 0) || x == Double.POSITIVE_INFINITY) return Math.log(x); // NaN, −∞ at 0, NaN below, +∞
        int shift = 0;
        if (x < Double.MIN_NORMAL) {
            x *= 0x1p54; // subnormal: scale into the normal range first
            shift = -54;
        }
        int e = Math.getExponent(x);
        double m = Math.scalb(x, -e);
        if (m > Math.sqrt(2)) {
            m /= 2;
            e++;
        }
        return (e + shift) + Math.log(m) / LN2;
    }

    /** A rounding function: its output is a constant (no tangent, no tape node), so its derivative is 0 everywhere. */
    private abstract static class Rounding extends UnaryOp {
        Rounding(String name) { super(name); }
        @Override public boolean differentiable() { return false; }
        @Override protected Reads derivativeReads() { return Reads.NEITHER; } // never recorded
        @Override protected Tensor derivative(Tensor x, Tensor y) { return Tensor.scalar(0); }
    }

    public static final UnaryOp FLOOR = new Rounding("floor") {
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = Math.floor(x[i]); }
    };

    public static final UnaryOp CEIL = new Rounding("ceil") {
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = Math.ceil(x[i]); }
    };

    /** Half to even, as NumPy and PyTorch: round(0.5) = 0, round(1.5) = 2, round(−2.5) = −2. */
    public static final UnaryOp ROUND = new Rounding("round") {
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = Math.rint(x[i]); }
    };

    public static final UnaryOp TRUNC = new Rounding("trunc") {
        protected void kernel(double[] x, double[] y, int n) {
            for (int i = 0; i < n; i++) y[i] = x[i] < 0 ? Math.ceil(x[i]) : Math.floor(x[i]); // ceil keeps −0 for (−1, 0)
        }
    };
}
