package dev.dualgrad.internal.ops;

import dev.dualgrad.tensor.Tensor;
import java.util.concurrent.ConcurrentHashMap;

/**
 * erf, erfc, lgamma, digamma and the higher polygamma functions (the derivatives of digamma, internal:
 * digamma′ = trigamma ψ⁽¹⁾, whose own derivative ψ⁽²⁾ makes digamma differentiable to second order and
 * beyond). The numerics are in {@link SpecialFunctions}.
 *
 * <pre>
 *   op        y = f(x)                 f′(x)                 convention
 *   erf       (2/√π)∫₀ˣ e^{−t²} dt     (2/√π) e^{−x²}        erf(±∞) = ±1
 *   erfc      1 − erf x                −(2/√π) e^{−x²}       no cancellation for large x
 *   lgamma    log|Γ(x)|                ψ(x)                  +∞ at 0, −1, −2, … and at ±∞
 *   digamma   ψ(x) = Γ′(x)/Γ(x)        ψ⁽¹⁾(x)               ψ(±0) = ∓∞ (as PyTorch), NaN at −1, −2, …
 *   ψ⁽ⁿ⁾      dⁿψ/dxⁿ                  ψ⁽ⁿ⁺¹⁾(x)             +∞ at the poles for odd n, NaN for even n
 * </pre>
 */
public final class SpecialOps {
    private SpecialOps() {}

    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    public static final UnaryOp ERF = new UnaryOp("erf") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = SpecialFunctions.erf(x[i]); }
        protected Tensor derivative(Tensor x, Tensor y) { return x.square().neg().exp().mul(TWO_OVER_SQRT_PI); }
    };

    public static final UnaryOp ERFC = new UnaryOp("erfc") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = SpecialFunctions.erfc(x[i]); }
        protected Tensor derivative(Tensor x, Tensor y) { return x.square().neg().exp().mul(-TWO_OVER_SQRT_PI); }
    };

    public static final UnaryOp LGAMMA = new UnaryOp("lgamma") {
        @Override protected Reads derivativeReads() { return Reads.X; }
        protected void kernel(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) y[i] = SpecialFunctions.lgamma(x[i]); }
        protected Tensor derivative(Tensor x, Tensor y) { return x.digamma(); }
    };

    private static final ConcurrentHashMap<Integer, UnaryOp> POLYGAMMA = new ConcurrentHashMap<>(); // before DIGAMMA, which uses it

    public static final UnaryOp DIGAMMA = polygamma(0);

    /** ψ⁽ⁿ⁾ as an op, n ≥ 0, built once per order: its derivative is the op of order n + 1. */
    public static UnaryOp polygamma(int n) {
        if (n < 0) throw new IllegalArgumentException("polygamma: the order " + n + " is negative");
        return POLYGAMMA.computeIfAbsent(n, k -> new UnaryOp(k == 0 ? "digamma" : k == 1 ? "trigamma" : "polygamma(" + k + ")") {
            @Override protected Reads derivativeReads() { return Reads.X; }
            protected void kernel(double[] x, double[] y, int m) { for (int i = 0; i < m; i++) y[i] = SpecialFunctions.polygamma(k, x[i]); }
            protected Tensor derivative(Tensor x, Tensor y) { return polygamma(k + 1).apply(x); }
        });
    }
}
