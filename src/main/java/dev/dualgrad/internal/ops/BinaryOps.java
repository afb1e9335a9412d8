package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.LaplacianRules;
import dev.dualgrad.internal.engine.Primitive.Reads;
import dev.dualgrad.internal.engine.TaylorRules;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.internal.kernels.Elementwise;
import dev.dualgrad.internal.kernels.Elementwise.Arith;
import dev.dualgrad.tensor.Tensor;

/**
 * The broadcasting elementwise functions of two tensors, each with its kernel and partials side by side.
 *
 * <pre>
 *   op        y = f(a, b)     ∂f/∂a                         ∂f/∂b
 *   add       a + b           1 (linear)                     1
 *   sub       a − b           1 (linear)                     −1
 *   mul       a·b             b                              a           (bilinear)
 *   mulStrongZero  a·b, 0 if a = 0 or b = 0, even against ∞ or NaN; partials as mul
 *   div       a/b             1/b                            −y/b
 *   pow       a^b             b·a^(b−1), 0 where b = 0       y·ln a, 0 where a = 0 and b ≥ 0
 *   maximum   max(a, b)       [a &gt; b] + ½[a = b]             [a &lt; b] + ½[a = b]      (NaN where y is NaN)
 *   minimum   min(a, b)       [a &lt; b] + ½[a = b]             [a &gt; b] + ½[a = b]
 * </pre>
 */
public final class BinaryOps {
    // The read declarations, built once: the tape asks for them on every recorded op.
    private static final Reads EACH_READS_OTHER = Reads.perCotangent(Reads.inputs(1), Reads.inputs(0));
    private static final Reads DIV_READS = Reads.perCotangent(Reads.inputs(1), Reads.inputs(1).andOutput());
    private static final Reads POW_READS = Reads.perCotangent(Reads.inputs(0, 1), Reads.inputs(0, 1).andOutput());
    private static final Reads BOTH_AND_OUTPUT = Reads.inputs(0, 1).andOutput();
    private BinaryOps() {}

    public static final BinaryOp ADD = new BinaryOp("add") {
        @Override public Reads vjpReads() { return Reads.NOTHING; } // linear: the VJP needs shapes only
        public void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int oo, int n) {
            // contiguous and scalar-broadcast rows: the vector lanes, then the scalar tail (the whole row without the module)
            int t = Elementwise.arithmeticLanes(Arith.ADD, a, ao, as, b, bo, bs, y, oo, n);
            if (as == 1 && bs == 1) for (int i = t; i < n; i++) y[oo + i] = a[ao + i] + b[bo + i];
            else if (as == 1 && bs == 0) { double v = b[bo]; for (int i = t; i < n; i++) y[oo + i] = a[ao + i] + v; }
            else if (as == 0 && bs == 1) { double u = a[ao]; for (int i = t; i < n; i++) y[oo + i] = u + b[bo + i]; }
            else for (int i = 0; i < n; i++) y[oo + i] = a[ao + i * as] + b[bo + i * bs];
        }
        // Linear: the JVP adds the tangents, the VJP passes the cotangent through (summed where broadcast).
        @Override public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
            int[] out = y.shape();
            Tensor a = dx[0] == null ? null : Rules.align(dx[0], x[0].shape(), out.length);
            Tensor b = dx[1] == null ? null : Rules.align(dx[1], x[1].shape(), out.length);
            return fill(Rules.plus(a, b), x, dx, out);
        }
        @Override public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
            int[] out = y.shape();
            return new Tensor[] {
                need[0] ? Rules.unbroadcast(gy, out, x[0].shape()) : null,
                need[1] ? Rules.unbroadcast(gy, out, x[1].shape()) : null};
        }
    };

    public static final BinaryOp SUB = new BinaryOp("sub") {
        @Override public Reads vjpReads() { return Reads.NOTHING; } // linear: the VJP needs shapes only
        public void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int oo, int n) {
            // contiguous and scalar-broadcast rows: the vector lanes, then the scalar tail (the whole row without the module)
            int t = Elementwise.arithmeticLanes(Arith.SUB, a, ao, as, b, bo, bs, y, oo, n);
            if (as == 1 && bs == 1) for (int i = t; i < n; i++) y[oo + i] = a[ao + i] - b[bo + i];
            else if (as == 1 && bs == 0) { double v = b[bo]; for (int i = t; i < n; i++) y[oo + i] = a[ao + i] - v; }
            else if (as == 0 && bs == 1) { double u = a[ao]; for (int i = t; i < n; i++) y[oo + i] = u - b[bo + i]; }
            else for (int i = 0; i < n; i++) y[oo + i] = a[ao + i * as] - b[bo + i * bs];
        }
        @Override public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
            int[] out = y.shape();
            Tensor a = dx[0] == null ? null : Rules.align(dx[0], x[0].shape(), out.length);
            Tensor b = dx[1] == null ? null : Rules.align(dx[1], x[1].shape(), out.length);
            Tensor t = a == null ? (b == null ? null : b.neg()) : (b == null ? a : a.sub(b));
            return fill(t, x, dx, out);
        }
        @Override public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
            int[] out = y.shape();
            return new Tensor[] {
                need[0] ? Rules.unbroadcast(gy, out, x[0].shape()) : null,
                need[1] ? Rules.unbroadcast(gy.neg(), out, x[1].shape()) : null};
        }
    };

    public static final BinaryOp MUL = new BinaryOp("mul") {
        // bilinear: the Cauchy product (Taylor) and the cross term 2·Σ_d J_a,d·J_b,d (Laplacian)
        @Override public Tensor taylor(Tensor[] x, Tensor y, Tensor[] c) { return TaylorRules.bilinear(this, MUL_STRONG_ZERO, x, y, c); }
        @Override public Tensor laplacian(Tensor[] x, Tensor y, Tensor[] s) { return LaplacianRules.bilinear(this, MUL_STRONG_ZERO, x, y, s); }
        // ā = ȳ·b reads b, b̄ = ȳ·a reads a: x·w with w a constant keeps w only
        @Override public Reads vjpReads() { return EACH_READS_OTHER; }
        public void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int oo, int n) {
            // contiguous and scalar-broadcast rows: the vector lanes, then the scalar tail (the whole row without the module)
            int t = Elementwise.arithmeticLanes(Arith.MUL, a, ao, as, b, bo, bs, y, oo, n);
            if (as == 1 && bs == 1) for (int i = t; i < n; i++) y[oo + i] = a[ao + i] * b[bo + i];
            else if (as == 1 && bs == 0) { double v = b[bo]; for (int i = t; i < n; i++) y[oo + i] = a[ao + i] * v; }
            else if (as == 0 && bs == 1) { double u = a[ao]; for (int i = t; i < n; i++) y[oo + i] = u * b[bo + i]; }
            else for (int i = 0; i < n; i++) y[oo + i] = a[ao + i * as] * b[bo + i * bs];
        }
        protected Tensor partialA(Tensor a, Tensor b, Tensor y) { return b; }
        protected Tensor partialB(Tensor a, Tensor b, Tensor y) { return a; }
    };

    public static final BinaryOp MUL_STRONG_ZERO = new BinaryOp("mulStrongZero") {
        // bilinear: the Cauchy product (Taylor) and the cross term 2·Σ_d J_a,d·J_b,d (Laplacian)
        @Override public Tensor taylor(Tensor[] x, Tensor y, Tensor[] c) { return TaylorRules.bilinear(this, MUL_STRONG_ZERO, x, y, c); }
        @Override public Tensor laplacian(Tensor[] x, Tensor y, Tensor[] s) { return LaplacianRules.bilinear(this, MUL_STRONG_ZERO, x, y, s); }
        @Override public Reads vjpReads() { return EACH_READS_OTHER; }
        public void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int oo, int n) {
            if (as == 1 && bs == 1) {
                Elementwise.mulStrongZero(a, ao, b, bo, y, oo, n); // vectorised where the Vector API is present
                return;
            }
            if (as == 1 && bs == 0) { // a row times one scalar (a constant factor of a rule)
                Elementwise.mulStrongZero(a, ao, b[bo], y, oo, n);
                return;
            }
            if (as == 0 && bs == 1) { // one scalar times a row: the same, the product being commutative
                Elementwise.mulStrongZero(b, bo, a[ao], y, oo, n);
                return;
            }
            for (int i = 0; i < n; i++) {
                double u = a[ao + i * as], v = b[bo + i * bs];
                y[oo + i] = u == 0 || v == 0 ? 0.0 : u * v;
            }
        }
        protected Tensor partialA(Tensor a, Tensor b, Tensor y) { return b; }
        protected Tensor partialB(Tensor a, Tensor b, Tensor y) { return a; }
    };

    public static final BinaryOp DIV = new BinaryOp("div") {
        // ā = ȳ/b reads b; b̄ = −ȳ·y/b reads b and y; never a
        @Override public Reads vjpReads() { return DIV_READS; }
        public void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int oo, int n) {
            // contiguous and scalar-broadcast rows: the vector lanes, then the scalar tail (the whole row without the module)
            int t = Elementwise.arithmeticLanes(Arith.DIV, a, ao, as, b, bo, bs, y, oo, n);
            if (as == 1 && bs == 1) for (int i = t; i < n; i++) y[oo + i] = a[ao + i] / b[bo + i];
            else if (as == 1 && bs == 0) { double v = b[bo]; for (int i = t; i < n; i++) y[oo + i] = a[ao + i] / v; }
            else if (as == 0 && bs == 1) { double u = a[ao]; for (int i = t; i < n; i++) y[oo + i] = u / b[bo + i]; }
            else for (int i = 0; i < n; i++) y[oo + i] = a[ao + i * as] / b[bo + i * bs];
        }
        protected Tensor partialA(Tensor a, Tensor b, Tensor y) { return b.reciprocal(); }
        protected Tensor partialB(Tensor a, Tensor b, Tensor y) { return y.div(b).neg(); }
        // Taylor: the division recurrence b·y = a, yₖ = (aₖ − Σⱼ₌₁ᵏ bⱼ·yₖ₋ⱼ) / b₀ (O(K²) products; the
        // generic rule would nest a division inside each division's JVP, order after order)
        @Override public Tensor taylor(Tensor[] x, Tensor y, Tensor[] c) {
            if (c[1] == null || c[1].dim(0) == 1) return jvp(x, y, c); // a constant divisor: linear in a
            int order = c[1].dim(0);
            int[] out = y.shape();
            Tensor[] ys = new Tensor[order + 1];
            ys[0] = y;
            for (int k = 1; k <= order; k++) {
                Tensor s = c[0] == null ? null : c[0].select(0, k - 1);
                for (int j = 1; j <= k; j++) {
                    Tensor t = Tensors.mulStrongZero(c[1].select(0, j - 1), ys[k - j]);
                    s = s == null ? t.neg() : s.sub(t);
                }
                Tensor yk = s.div(x[1]);
                ys[k] = java.util.Arrays.equals(yk.shape(), out) ? yk : yk.broadcastTo(out);
            }
            return Tensor.stack(0, java.util.Arrays.copyOfRange(ys, 1, order + 1));
        }
    };

    public static final BinaryOp POW = new BinaryOp("pow") {
        // ∂/∂a reads a and b; ∂/∂b reads a, b and y
        @Override public Reads vjpReads() { return POW_READS; }
        public void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int oo, int n) {
            for (int i = 0; i < n; i++) y[oo + i] = Math.pow(a[ao + i * as], b[bo + i * bs]);
        }
        protected Tensor partialA(Tensor a, Tensor b, Tensor y) {
            return Tensor.where(b.eq(0), Tensor.scalar(0), b.mul(a.pow(b.sub(1))));
        }
        protected Tensor partialB(Tensor a, Tensor b, Tensor y) {
            return Tensor.where(a.eq(0).mul(b.ge(0)), Tensor.scalar(0), y.mul(a.log()));
        }
    };

    public static final BinaryOp MAXIMUM = new BinaryOp("maximum") {
        @Override public boolean piecewiseLinear() { return true; } // Taylor and Laplacian: the JVP on each coefficient
        // the masks compare a with b, and are NaN where y is
        @Override public Reads vjpReads() { return BOTH_AND_OUTPUT; }
        public void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int oo, int n) {
            for (int i = 0; i < n; i++) {
                double u = a[ao + i * as], v = b[bo + i * bs];
                y[oo + i] = u > v || Double.isNaN(u) ? u : v;
            }
        }
        protected Tensor partialA(Tensor a, Tensor b, Tensor y) { return UnaryOps.nanWhereNaN(a.gt(b).add(a.eq(b).mul(0.5)), y); }
        protected Tensor partialB(Tensor a, Tensor b, Tensor y) { return UnaryOps.nanWhereNaN(a.lt(b).add(a.eq(b).mul(0.5)), y); }
    };

    public static final BinaryOp MINIMUM = new BinaryOp("minimum") {
        @Override public boolean piecewiseLinear() { return true; } // Taylor and Laplacian: the JVP on each coefficient
        @Override public Reads vjpReads() { return BOTH_AND_OUTPUT; }
        public void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int oo, int n) {
            for (int i = 0; i < n; i++) {
                double u = a[ao + i * as], v = b[bo + i * bs];
                y[oo + i] = u < v || Double.isNaN(u) ? u : v;
            }
        }
        protected Tensor partialA(Tensor a, Tensor b, Tensor y) { return UnaryOps.nanWhereNaN(a.lt(b).add(a.eq(b).mul(0.5)), y); }
        protected Tensor partialB(Tensor a, Tensor b, Tensor y) { return UnaryOps.nanWhereNaN(a.gt(b).add(a.eq(b).mul(0.5)), y); }
    };
}
