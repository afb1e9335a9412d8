package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Primitive.Reads;
import dev.dualgrad.tensor.Tensor;

/**
 * Broadcasting elementwise functions of two tensors beyond the arithmetic, each with its kernel and its
 * partials side by side.
 *
 * <pre>
 *   op         y = f(a, b)              ∂f/∂a                ∂f/∂b                convention
 *   atan2      angle of (b, a) in (−π, π]   b/(a² + b²)      −a/(a² + b²)         a = y-coordinate, b = x (as Math.atan2);
 *                                                                                 signed zeros as Math.atan2; NaN partials at (0, 0)
 *                                                                                 and where an argument is infinite
 *   hypot      √(a² + b²)               a/y                  b/y                  no overflow; partials 0 at (0, 0),
 *                                                                                 NaN where an argument is infinite
 *   logaddexp  log(eᵃ + eᵇ)             σ(a − b)             σ(b − a)             exact at ±∞ and for huge arguments;
 *                                                                                 partials ½ where a = b = ±∞
 * </pre>
 */
public final class BinaryFunctions {
    private BinaryFunctions() {}

    private static final Reads BOTH = Reads.inputs(0, 1);
    private static final Reads EACH_AND_OUTPUT = Reads.perCotangent(Reads.inputs(0).andOutput(), Reads.inputs(1).andOutput());
    private static final double LN2 = Math.log(2);

    public static final BinaryOp ATAN2 = new BinaryOp("atan2") {
        @Override public Reads vjpReads() { return BOTH; }
        public void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int oo, int n) {
            for (int i = 0; i < n; i++) y[oo + i] = Math.atan2(a[ao + i * as], b[bo + i * bs]);
        }
        // b/h/h rather than b/(a² + b²): the squares would overflow or underflow long before the quotient does
        protected Tensor partialA(Tensor a, Tensor b, Tensor y) {
            Tensor h = a.hypot(b);
            return b.div(h).div(h);
        }
        protected Tensor partialB(Tensor a, Tensor b, Tensor y) {
            Tensor h = a.hypot(b);
            return a.div(h).div(h).neg();
        }
    };

    public static final BinaryOp HYPOT = new BinaryOp("hypot") {
        @Override public Reads vjpReads() { return EACH_AND_OUTPUT; }
        public void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int oo, int n) {
            for (int i = 0; i < n; i++) y[oo + i] = Math.hypot(a[ao + i * as], b[bo + i * bs]);
        }
        // the subgradient 0 at the origin, as abs′(0) = 0 (hypot(a, 0) = |a|)
        protected Tensor partialA(Tensor a, Tensor b, Tensor y) { return Tensor.where(y.eq(0), Tensor.scalar(0), a.div(y)); }
        protected Tensor partialB(Tensor a, Tensor b, Tensor y) { return Tensor.where(y.eq(0), Tensor.scalar(0), b.div(y)); }
    };

    public static final BinaryOp LOGADDEXP = new BinaryOp("logaddexp") {
        @Override public Reads vjpReads() { return BOTH; }
        public void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int oo, int n) {
            for (int i = 0; i < n; i++) {
                double u = a[ao + i * as], v = b[bo + i * bs];
                // u = v: u + ln 2 needs no difference (∞ − ∞) and cannot overflow before the result does
                y[oo + i] = u == v ? u + LN2 : Math.max(u, v) + ActivationOps.log1pOfNonNegative(Math.exp(-Math.abs(u - v)));
            }
        }
        protected Tensor partialA(Tensor a, Tensor b, Tensor y) { return Tensor.where(sameInfinity(a, b), Tensor.scalar(0.5), a.sub(b).sigmoid()); }
        protected Tensor partialB(Tensor a, Tensor b, Tensor y) { return Tensor.where(sameInfinity(a, b), Tensor.scalar(0.5), b.sub(a).sigmoid()); }
    };

    /** A constant mask: 1 where a = b = +∞ or a = b = −∞, where a − b is NaN. */
    private static Tensor sameInfinity(Tensor a, Tensor b) {
        Tensor c = a.detach(); // a mask needs no derivative: no tape node for |a|
        return c.eq(b).mul(c.abs().eq(Tensor.scalar(Double.POSITIVE_INFINITY)));
    }
}
