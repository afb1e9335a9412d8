package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.internal.engine.Dispatch;
import dev.dualgrad.internal.engine.Pattern;
import dev.dualgrad.internal.kernels.Kernels;
import dev.dualgrad.internal.engine.Primitive;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;

/**
 * Reductions and the softmax family, each with its rules side by side. Axes inside rules are counted
 * from the end, so that they name the same axis of a batched tangent.
 *
 * <pre>
 *   sum        y = Σ_A x            ẏ = Σ_A ẋ                    x̄ = broadcast(ȳ)
 *   max        y = max_A x          ẏ = Σ_A w ⊙ ẋ                x̄ = w ⊙ broadcast(ȳ),  w = [x = y]/#ties
 *   logsumexp  y = m + log z         ẏ = Σ_a s ⊙ ẋ                x̄ = s ⊙ ȳ,             s = softmax(x)
 *   softmax    y = e^(x−m) / z       ẏ = y ⊙ (ẋ − Σ_a y ⊙ ẋ)      x̄ = y ⊙ (ȳ − Σ_a ȳ ⊙ y)
 *   logSoftmax y = (x − m) − log z   ẏ = ẋ − Σ_a eʸ ⊙ ẋ           x̄ = ȳ − eʸ ⊙ Σ_a ȳ
 * </pre>
 * with m = max_a x and z = Σ_a e^(x−m) ∈ [1, n], log z computed as log1p of the terms other than the
 * maximum's (which is exactly 1), so that it keeps its relative accuracy when it is tiny. mean is sum
 * divided by the count.
 *
 * <p>At large logits the order matters: x − (log z + m) rounds log z + m to the ulp of m (100% error
 * at 1e16, where log z vanishes in m), while (x − m) − log z subtracts m first, exactly for every
 * term that survives the exponential (Sterbenz), as PyTorch and SciPy do. For the same reason the
 * logsumexp rule uses softmax(x), never e^(x − y) with the rounded y.</p>
 *
 * <p>The rules' products are strong-zero products, so a zero tangent
 * stays zero even where the softmax is NaN (an input of +∞).</p>
 */
public final class Reductions {
    // The read declarations, built once: the tape asks for them on every recorded op.
    private static final Primitive.Reads READS_X = Primitive.Reads.inputs(0), READS_Y = Primitive.Reads.output(),
            READS_X_AND_Y = Primitive.Reads.inputs(0).andOutput();
    private Reductions() {}

    /*
     * The axes given are exactly the axes reduced: an empty list reduces nothing and returns x itself
     * (as NumPy's axis=()). "Every axis" is Shape.allAxes(rank), spelled out by Tensor.sum(), mean()
     * and max(). The two must never share a spelling: for a 0-d input both lists are empty, and the JVP
     * rule re-applies the list to a tangent [k] that carries k directions.
     */

    public static Tensor sum(Tensor x, int[] axes, boolean keepDims) {
        int[] ax = Shape.axes("sum", axes, x.shape());
        if (ax.length == 0) return x;
        return Dispatch.apply(new Sum(ax, keepDims), x);
    }

    public static Tensor mean(Tensor x, int[] axes, boolean keepDims) {
        int[] ax = Shape.axes("mean", axes, x.shape());
        if (ax.length == 0) return x;
        long n = 1;
        for (int a : ax) n *= x.dim(a);
        return sum(x, ax, keepDims).div(n);
    }

    public static Tensor max(Tensor x, int[] axes, boolean keepDims) {
        int[] ax = Shape.axes("max", axes, x.shape());
        for (int a : ax) {
            if (x.dim(a) == 0) throw new IllegalArgumentException("max: axis " + a + " of shape " + Shape.str(x.shape()) + " is empty; the maximum of nothing is undefined");
        }
        if (ax.length == 0) return x;
        return Dispatch.apply(new Max(ax, keepDims), x);
    }

    public static Tensor logsumexp(Tensor x, int axis, boolean keepDims) {
        return Dispatch.apply(new AlongAxis(Kind.LOGSUMEXP, Shape.axis("logsumexp", axis, x.shape()), keepDims), x);
    }

    public static Tensor softmax(Tensor x, int axis) {
        return Dispatch.apply(new AlongAxis(Kind.SOFTMAX, Shape.axis("softmax", axis, x.shape()), true), x);
    }

    public static Tensor logSoftmax(Tensor x, int axis) {
        return Dispatch.apply(new AlongAxis(Kind.LOG_SOFTMAX, Shape.axis("logSoftmax", axis, x.shape()), true), x);
    }

    /** Reshape a cotangent [p..., reduced] to [p..., keep-dims shape] and broadcast it to [p..., x.shape]. */
    static Tensor spread(Tensor g, int[] xShape, int[] axes, boolean keepDims) {
        int[] p = Rules.prefix(g, keepDims ? xShape.length : xShape.length - axes.length);
        Tensor k = keepDims ? g : g.reshape(Shape.concat(p, Shape.reduced(xShape, axes, true)));
        return k.broadcastTo(Shape.concat(p, xShape));
    }

    /**
     * The pattern of a reduction over {@code axes}: output element o depends on the union of the input
     * elements reduced into it (its group). Each input element's group is the element that broadcasting
     * the keep-dims result back to x's shape reads there; the flat order is the same with or without keepDims.
     */
    static Pattern reduced(Tensor x, int[] axes, Pattern[] px) {
        int[] keep = Shape.reduced(x.shape(), axes, true);
        return Pattern.scatter(Shape.size(keep), px, new int[][] {Pattern.broadcastIndex(keep, x.shape())});
    }

    /** Every element of x depends on its whole group along {@code axes}: the reduced pattern broadcast back. */
    static Pattern grouped(Tensor x, int[] axes, Pattern[] px) {
        int[] keep = Shape.reduced(x.shape(), axes, true);
        Pattern g = reduced(x, axes, px);
        return Pattern.gather(x.size(), new Pattern[] {g}, new int[][] {Pattern.broadcastIndex(keep, x.shape())});
    }

    static final class Sum implements Primitive {
        final int[] axes;
        final boolean keepDims;

        Sum(int[] axes, boolean keepDims) {
            this.axes = axes;
            this.keepDims = keepDims;
        }

        public String name() { return "sum"; }

        public Reads vjpReads() { return Reads.NOTHING; } // x̄ = ȳ spread: x's shape only

        public Tensor eval(Tensor[] x) {
            return Kernels.sum(x[0], axes, Shape.reduced(x[0].shape(), axes, keepDims));
        }

        /** Output element o depends on the input elements reduced into it. */
        public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) {
            return reduced(x[0], axes, px);
        }

        public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
            return dx[0] == null ? null : dx[0].sum(Rules.fromEnd(axes, x[0].rank()), keepDims);
        }

        public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
            return new Tensor[] {spread(gy, x[0].shape(), axes, keepDims)};
        }
    }

    static final class Max implements Primitive {
        final int[] axes;
        final boolean keepDims;

        Max(int[] axes, boolean keepDims) {
            this.axes = axes;
            this.keepDims = keepDims;
        }

        public String name() { return "max"; }

        @Override public boolean piecewiseLinear() { return true; } // the JVP picks the maximum's entries: constant weights on each piece

        public Reads vjpReads() { return READS_X_AND_Y; } // the weights compare x with y

        public Tensor eval(Tensor[] x) {
            return Kernels.max(x[0], axes, Shape.reduced(x[0].shape(), axes, keepDims));
        }

        /** Constant weights: 1/#ties on the entries equal to the maximum, 0 elsewhere. */
        private Tensor weights(Tensor x, Tensor y) {
            int[] keep = Shape.reduced(x.shape(), axes, true);
            Tensor mask = x.detach().eq(y.detach().reshape(keep));
            return mask.div(mask.sum(axes, true));
        }

        /** Output element o depends on the input elements reduced into it. */
        public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) {
            return reduced(x[0], axes, px);
        }

        public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
            if (dx[0] == null) return null;
            return Tensors.mulStrongZero(dx[0], weights(x[0], y)).sum(Rules.fromEnd(axes, x[0].rank()), keepDims);
        }

        public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
            return new Tensor[] {Tensors.mulStrongZero(spread(gy, x[0].shape(), axes, keepDims), weights(x[0], y))};
        }
    }

    enum Kind { LOGSUMEXP, SOFTMAX, LOG_SOFTMAX }

    static final class AlongAxis implements Primitive {
        final Kind kind;
        final int axis;
        final boolean keepDims;

        AlongAxis(Kind kind, int axis, boolean keepDims) {
            this.kind = kind;
            this.axis = axis;
            this.keepDims = keepDims;
        }

        public String name() {
            return kind == Kind.LOGSUMEXP ? "logsumexp" : kind == Kind.SOFTMAX ? "softmax" : "logSoftmax";
        }

        /** logsumexp: s = softmax(x) reads x; softmax: y; logSoftmax: eʸ, y only. */
        public Reads vjpReads() {
            return kind == Kind.LOGSUMEXP ? READS_X : READS_Y;
        }

        public Tensor eval(Tensor[] in) {
            int[] s = in[0].shape();
            double[] x = Tensors.buffer(in[0]);
            int len = s[axis];
            int inner = 1;
            for (int i = axis + 1; i < s.length; i++) inner *= s[i];
            int outer = Shape.size(Shape.prefix(s, axis)); // not x.length / (len·inner): the axis may be empty
            boolean lse = kind == Kind.LOGSUMEXP;
            double[] y = new double[lse ? outer * inner : x.length];
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    int base = o * len * inner + i;
                    double m = Double.NEGATIVE_INFINITY;
                    int arg = -1;
                    for (int j = 0; j < len; j++) {
                        double v = x[base + j * inner];
                        if (v > m || Double.isNaN(v)) {
                            m = v;
                            arg = j;
                        }
                        if (Double.isNaN(m)) break;
                    }
                    // Shift by the maximum; an infinite maximum is not subtracted (it would give ∞ − ∞).
                    double shift = Double.isInfinite(m) ? 0 : m;
                    double z, logZ;
                    if (shift == m && arg >= 0) {
                        // z = 1 + Σ_{j ≠ arg} e^(x − m): log1p of the rest keeps log z accurate when it is tiny
                        double rest = 0;
                        for (int j = 0; j < len; j++) if (j != arg) rest += Math.exp(x[base + j * inner] - shift);
                        z = 1 + rest;
                        logZ = Math.log1p(rest);
                    } else {
                        z = 0;
                        for (int j = 0; j < len; j++) z += Math.exp(x[base + j * inner] - shift);
                        logZ = Math.log(z);
                    }
                    if (lse) {
                        y[o * inner + i] = logZ + shift;
                    } else if (kind == Kind.LOG_SOFTMAX) {
                        // (x − m) − log z, never x − (log z + m): see the class comment
                        for (int j = 0; j < len; j++) y[base + j * inner] = (x[base + j * inner] - shift) - logZ;
                    } else {
                        for (int j = 0; j < len; j++) y[base + j * inner] = Math.exp(x[base + j * inner] - shift) / z;
                    }
                }
            }
            return Tensors.adopt(y, lse ? Shape.reduced(s, new int[] {axis}, keepDims) : s);
        }

        /** logsumexp: its group along the axis; softmax and logSoftmax: every element depends on its whole group. */
        public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) {
            int[] ax = {axis};
            return kind == Kind.LOGSUMEXP ? reduced(x[0], ax, px) : grouped(x[0], ax, px);
        }

        public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
            if (dx[0] == null) return null;
            int a = Rules.fromEnd(axis, x[0].rank());
            Tensor t = dx[0];
            switch (kind) {
                case LOGSUMEXP:
                    return Tensors.mulStrongZero(t, x[0].softmax(a)).sum(a, keepDims);
                case SOFTMAX:
                    return Tensors.mulStrongZero(y, t.sub(Tensors.mulStrongZero(y, t).sum(a, true)));
                default:
                    return t.sub(Tensors.mulStrongZero(y.exp(), t).sum(a, true));
            }
        }

        public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
            int a = Rules.fromEnd(axis, x[0].rank());
            switch (kind) {
                case LOGSUMEXP: {
                    Tensor g = keepDims ? gy : gy.unsqueeze(a);
                    return new Tensor[] {Tensors.mulStrongZero(g, x[0].softmax(a))};
                }
                case SOFTMAX:
                    return new Tensor[] {Tensors.mulStrongZero(y, gy.sub(Tensors.mulStrongZero(gy, y).sum(a, true)))};
                default:
                    return new Tensor[] {gy.sub(Tensors.mulStrongZero(y.exp(), gy.sum(a, true)))};
            }
        }
    }

    // ---- issue 20: min, prod, var/std, norm, and the scans' entry points (Scans)

    /** min = −max(−x): ties and NaN follow max's convention (ties share the derivative equally). */
    public static Tensor min(Tensor x, int[] axes, boolean keepDims) {
        int[] ax = nonEmpty("min", x, axes);
        if (ax.length == 0) return x;
        return max(x.neg(), ax, keepDims).neg();
    }

    public static Tensor prod(Tensor x, int[] axes, boolean keepDims) {
        int[] ax = Shape.axes("prod", axes, x.shape());
        if (ax.length == 0) return x;
        return Dispatch.apply(new Prod(ax, keepDims), x);
    }

    /**
     * Σ_A (x − mean_A x)² / max(0, N − correction), in two passes; the mean is Σ (x/N), which does not
     * overflow where the result does not. N ≤ correction gives 0/0 = NaN (or x/0 = ∞), as PyTorch.
     */
    public static Tensor variance(String op, Tensor x, int[] axes, int correction, boolean keepDims) {
        int[] ax = Shape.axes(op, axes, x.shape());
        long n = 1;
        for (int a : ax) n *= x.dim(a);
        Tensor d = x.sub(sum(x.div(Math.max(n, 1)), ax, true));
        return sum(d.square(), ax, keepDims).div(Math.max(0, n - correction));
    }

    /** ‖x‖_p over the axes, p ∈ {1, 2, ∞}: Σ|x|, the scaled Euclidean norm (Norm2), max|x|. */
    public static Tensor norm(Tensor x, int[] axes, double p, boolean keepDims) {
        int[] ax = p == Double.POSITIVE_INFINITY ? nonEmpty("norm", x, axes) : Shape.axes("norm", axes, x.shape());
        if (ax.length == 0) return x.abs();
        if (p == 1) return sum(x.abs(), ax, keepDims);
        if (p == 2) return Dispatch.apply(new Norm2(ax, keepDims), x);
        return max(x.abs(), ax, keepDims);
    }

    public static Tensor cumsum(Tensor x, int axis) { return Scans.cumsum(x, axis); }

    public static Tensor cumprod(Tensor x, int axis) { return Scans.cumprod(x, axis); }

    public static Tensor logcumsumexp(Tensor x, int axis) { return Scans.logcumsumexp(x, axis); }

    private static int[] nonEmpty(String op, Tensor x, int[] axes) {
        int[] ax = Shape.axes(op, axes, x.shape());
        for (int a : ax) {
            if (x.dim(a) == 0) throw new IllegalArgumentException(op + ": axis " + a + " of shape " + Shape.str(x.shape()) + " is empty; the " + op + " of nothing is undefined");
        }
        return ax;
    }

    /** x permuted so that the given (sorted) axes come last, in order, and those flattened into one: [kept..., n]. */
    private static Tensor reducedLast(Tensor x, int[] axes) {
        int r = x.rank();
        int[] perm = new int[r];
        boolean[] red = new boolean[r];
        for (int a : axes) red[a] = true;
        int k = 0;
        for (int i = 0; i < r; i++) if (!red[i]) perm[k++] = i;
        int kept = k;
        for (int a : axes) perm[k++] = a;
        int[] shape = new int[kept + 1];
        int n = 1;
        for (int i = 0; i < kept; i++) shape[i] = x.dim(perm[i]);
        for (int a : axes) n *= x.dim(a);
        shape[kept] = n;
        return x.permute(perm).reshape(shape);
    }

    /** The inverse of {@link #reducedLast}: [kept..., n] back to x's shape and axis order. */
    private static Tensor restored(Tensor t, int[] xShape, int[] axes) {
        int r = xShape.length;
        int[] perm = new int[r];
        boolean[] red = new boolean[r];
        for (int a : axes) red[a] = true;
        int k = 0;
        for (int i = 0; i < r; i++) if (!red[i]) perm[k++] = i;
        for (int a : axes) perm[k++] = a;
        int[] permuted = new int[r], inverse = new int[r];
        for (int i = 0; i < r; i++) {
            permuted[i] = xShape[perm[i]];
            inverse[perm[i]] = i;
        }
        return t.reshape(permuted).permute(inverse);
    }

    /**
     * prod: y = Π_A x; ẏ = Σ_A ẋ ⊙ P and x̄ = ȳ ⊙ P with Pᵢ = Π_{j≠i} xⱼ, the product of the others,
     * from exclusive prefix and suffix products (Scans.productOfOthers): no division, so one zero gives
     * the product of the others at it and 0 elsewhere, two or more give 0 everywhere.
     */
    static final class Prod implements Primitive {
        final int[] axes;
        final boolean keepDims;

        Prod(int[] axes, boolean keepDims) {
            this.axes = axes;
            this.keepDims = keepDims;
        }

        public String name() { return "prod"; }

        public Reads vjpReads() { return READS_X; }

        public Tensor eval(Tensor[] in) {
            double[] x = Tensors.buffer(reducedLast(in[0], axes));
            int[] out = Shape.reduced(in[0].shape(), axes, keepDims);
            double[] y = new double[Shape.size(out)];
            int n = y.length == 0 ? 0 : x.length / y.length;
            for (int o = 0; o < y.length; o++) {
                double p = 1;
                for (int j = 0; j < n; j++) p *= x[o * n + j];
                y[o] = p;
            }
            return Tensors.adopt(y, out);
        }

        private Tensor others(Tensor x) {
            return restored(Scans.productOfOthers(reducedLast(x, axes)), x.shape(), axes);
        }

        /** Output element o depends on the input elements reduced into it. */
        public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) {
            return reduced(x[0], axes, px);
        }

        public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
            if (dx[0] == null) return null;
            return Tensors.mulStrongZero(dx[0], others(x[0])).sum(Rules.fromEnd(axes, x[0].rank()), keepDims);
        }

        public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
            return new Tensor[] {Tensors.mulStrongZero(spread(gy, x[0].shape(), axes, keepDims), others(x[0]))};
        }
    }

    /**
     * The Euclidean norm y = ‖x‖₂ over the axes, computed as m·√(Σ (x/m)²) with m = max|x| (as LAPACK's
     * dnrm2), so that it neither overflows nor underflows where y does not. ẏ = Σ_A w ⊙ ẋ, x̄ = ȳ ⊙ w,
     * with w = x / y, and w = 0 where y = 0 (the subgradient 0 at x = 0).
     */
    static final class Norm2 implements Primitive {
        final int[] axes;
        final boolean keepDims;

        Norm2(int[] axes, boolean keepDims) {
            this.axes = axes;
            this.keepDims = keepDims;
        }

        public String name() { return "norm"; }

        public Reads vjpReads() { return READS_X_AND_Y; } // w = x / y

        public Tensor eval(Tensor[] in) {
            double[] x = Tensors.buffer(reducedLast(in[0], axes));
            int[] out = Shape.reduced(in[0].shape(), axes, keepDims);
            double[] y = new double[Shape.size(out)];
            int n = y.length == 0 ? 0 : x.length / y.length;
            for (int o = 0; o < y.length; o++) {
                double m = 0;
                for (int j = 0; j < n; j++) {
                    double a = Math.abs(x[o * n + j]);
                    if (a > m || Double.isNaN(a)) m = a;
                    if (Double.isNaN(m)) break;
                }
                if (m == 0 || !Double.isFinite(m)) {
                    y[o] = m;
                    continue;
                }
                double s = 0;
                for (int j = 0; j < n; j++) {
                    double q = x[o * n + j] / m;
                    s += q * q;
                }
                y[o] = m * Math.sqrt(s);
            }
            return Tensors.adopt(y, out);
        }

        /**
         * x / y, and 0 where y = 0 (x is all zero there): y's zeros replaced by 1 and the quotient masked by the
         * constant y ≠ 0, so that the rule's own derivative is 0 there too (the subgradient convention held to
         * every order), not the v that x / 1 would give.
         */
        private Tensor weights(Tensor x, Tensor y) {
            int[] kept = Shape.reduced(x.shape(), axes, true);
            Tensor zero = y.eq(0).reshape(kept);
            return x.div(y.reshape(kept).add(zero)).mul(zero.rsub(1));
        }

        /** Output element o depends on the input elements reduced into it. */
        public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) {
            return reduced(x[0], axes, px);
        }

        public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
            if (dx[0] == null) return null;
            return Tensors.mulStrongZero(dx[0], weights(x[0], y)).sum(Rules.fromEnd(axes, x[0].rank()), keepDims);
        }

        public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
            return new Tensor[] {Tensors.mulStrongZero(spread(gy, x[0].shape(), axes, keepDims), weights(x[0], y))};
        }
    }
}
