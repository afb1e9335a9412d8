package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Dispatch;
import dev.dualgrad.internal.engine.Pattern;
import dev.dualgrad.internal.engine.Primitive;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;

/**
 * Scans along one axis, with their rules side by side. Everything rests on one linear recurrence,
 * {@code scan(a, b)}: h₀ = a₀, hᵢ = aᵢ + bᵢ·hᵢ₋₁ (b₀ is not used), or from the end when reversed. Its
 * rules are scans again, so they nest to any order:
 *
 * <pre>
 *   scan(a, b)     ḣ = scan(ȧ + ḃ ⊙ prev(h), b)        ā = λ = adjoint(ȳ, b),  b̄ = λ ⊙ prev(h)
 *   cumsum         y = scan(x, 1)                      ẏ = cumsum(ẋ)            x̄ = reverse cumsum(ȳ)
 *   cumprod        y = scan([x₀, 0, …], x)             the rules of scan: no division, exact at zeros
 *   logcumsumexp   yᵢ = log Σ_{j≤i} e^{xⱼ}            ẏ = scan(E ⊙ ẋ, B)       x̄ = E ⊙ adjoint(ȳ, B)
 * </pre>
 * where prev(h)ᵢ = hᵢ₋₁ (0 at the start), adjoint(g, b) is the reversed scan of g with coefficients
 * bᵢ₊₁ (λᵢ = ȳᵢ + bᵢ₊₁ λᵢ₊₁), E = e^{x − y} ≤ 1 and Bᵢ = e^{yᵢ₋₁ − yᵢ} ≤ 1: every exponent is ≤ 0, so
 * logcumsumexp's rules neither overflow nor underflow where its value does not. The products of the
 * rules are strong-zero products. Axes inside rules are counted from the end (tangents carry a batch
 * prefix).
 */
public final class Scans {
    private static final Primitive.Reads READS_B = Primitive.Reads.inputs(1),
            READS_B_AND_Y = Primitive.Reads.inputs(1).andOutput(), READS_X_AND_Y = Primitive.Reads.inputs(0).andOutput();

    private Scans() {}

    public static Tensor cumsum(Tensor x, int axis) {
        int a = Shape.axis("cumsum", axis, x.shape());
        return x.dim(a) <= 1 ? x : Dispatch.apply(new CumSum(a, false), x);
    }

    public static Tensor cumprod(Tensor x, int axis) {
        int a = Shape.axis("cumprod", axis, x.shape());
        int n = x.dim(a);
        if (n <= 1) return x;
        return Dispatch.apply(new LinearScan(a, false, false), x.slice(a, 0, 1).pad(a, 0, n - 1), x);
    }

    public static Tensor logcumsumexp(Tensor x, int axis) {
        int a = Shape.axis("logcumsumexp", axis, x.shape());
        return x.dim(a) <= 1 ? x : Dispatch.apply(new LogCumSumExp(a), x);
    }

    /**
     * hᵢ = aᵢ + bᵢ·hᵢ∓₁ along axis {@code axis} (counted from the start of a's shape), a and b of one shape,
     * with strong-zero products (bᵢ·0 = 0 even for an infinite or NaN bᵢ): the scans of the rules, where a
     * zero tangent must stay zero. cumprod's primal scan multiplies plainly (∞·0 = NaN, as IEEE).
     */
    static Tensor scan(Tensor a, Tensor b, int axis, boolean reverse) {
        return Dispatch.apply(new LinearScan(axis, reverse, true), a, b);
    }

    /**
     * Π_{j≠i} xⱼ along the last axis, without a division (exact with any number of zeros): the exclusive
     * products from the start and from the end, each a scan, multiplied.
     */
    static Tensor productOfOthers(Tensor x) {
        int n = x.dim(-1), last = x.rank() - 1;
        if (n <= 1) return Tensor.ones(x.shape());
        Tensor first = Tensor.ones(1).pad(0, 0, n - 1), end = Tensor.ones(1).pad(0, n - 1, 0);
        Tensor before = scan(first.broadcastTo(x.shape()), prev(x, -1), last, false);
        Tensor after = scan(end.broadcastTo(x.shape()), next(x, -1), last, true);
        return Tensors.mulStrongZero(before, after);
    }

    /** tᵢ₋₁ along axis a (from the end), 0 at the start. */
    static Tensor prev(Tensor t, int a) {
        int n = t.dim(a);
        return t.pad(a, 1, 0).slice(a, 0, n);
    }

    /** tᵢ₊₁ along axis a (from the end), 0 at the end. */
    static Tensor next(Tensor t, int a) {
        int n = t.dim(a);
        return t.pad(a, 0, 1).slice(a, 1, n + 1);
    }

    /** The adjoint of g ↦ scan(g, b) along axis a (from the end): the scan the other way with the neighbour's coefficient. */
    static Tensor adjoint(Tensor g, Tensor b, int a, boolean reverse) {
        Tensor c = reverse ? prev(b, a) : next(b, a);
        if (!java.util.Arrays.equals(c.shape(), g.shape())) c = c.broadcastTo(g.shape());
        return scan(g, c, g.rank() + a, !reverse);
    }

    /** The shared kernel: h = scan(a, b) (b null: all ones) along an axis of shape s. */
    static double[] run(double[] a, double[] b, int[] s, int axis, boolean reverse, boolean strong) {
        int len = s[axis], inner = 1;
        for (int i = axis + 1; i < s.length; i++) inner *= s[i];
        int outer = Shape.size(Shape.prefix(s, axis));
        double[] h = new double[a.length];
        if (len == 0) return h;
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * len * inner + i, step = reverse ? -inner : inner, at = reverse ? base + (len - 1) * inner : base;
                h[at] = a[at];
                for (int j = 1; j < len; j++) {
                    int p = at;
                    at += step;
                    double bh = b == null ? h[p] : strong && (b[at] == 0 || h[p] == 0) ? 0 : b[at] * h[p];
                    h[at] = a[at] + bh;
                }
            }
        }
        return h;
    }

    /**
     * The pattern of a scan along an axis of shape s: hᵢ depends on h_{i∓1} and on element i of each input
     * with a pattern, except that {@code skipFirst} input (b of a linear scan, whose first coefficient is
     * never read) contributes nothing at the start. Prefix unions built incrementally, one step per element.
     */
    static Pattern prefixPattern(Pattern[] px, int[] s, int axis, boolean reverse, int skipFirst) {
        int len = s[axis], inner = 1;
        for (int i = axis + 1; i < s.length; i++) inner *= s[i];
        int outer = Shape.size(Shape.prefix(s, axis)), size = Shape.size(s);
        int universe = -1;
        for (Pattern p : px) if (p != null) universe = p.universe();
        int[][] rows = new int[size][];
        Pattern.Union u = new Pattern.Union(universe);
        for (int o = 0; o < outer && len > 0; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * len * inner + i, step = reverse ? -inner : inner, at = reverse ? base + (len - 1) * inner : base;
                int[] prev = Pattern.NONE;
                for (int j = 0; j < len; j++, at += step) {
                    u.clear();
                    u.add(prev);
                    for (int k = 0; k < px.length; k++) if (px[k] != null && (j > 0 || k != skipFirst)) u.add(px[k].row(at));
                    rows[at] = prev = u.result();
                }
            }
        }
        return Pattern.of(universe, rows);
    }

    static final class LinearScan implements Primitive {
        final int axis;
        final boolean reverse, strong;

        LinearScan(int axis, boolean reverse, boolean strong) {
            this.axis = axis;
            this.reverse = reverse;
            this.strong = strong;
        }

        public String name() { return "scan"; }

        public Reads vjpReads() { return Reads.perCotangent(READS_B, READS_B_AND_Y); } // ā = λ needs b; b̄ = λ ⊙ prev(h)

        public Tensor eval(Tensor[] x) {
            return Tensors.adopt(run(Tensors.buffer(x[0]), Tensors.buffer(x[1]), x[0].shape(), axis, reverse, strong), x[0].shape());
        }

        /** hᵢ depends on a and b up to i (from the end when reversed), b's first coefficient excepted. */
        public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) {
            return prefixPattern(px, x[0].shape(), axis, reverse, 1);
        }

        private Tensor shifted(Tensor h, int a) {
            return reverse ? next(h, a) : prev(h, a);
        }

        /**
         * Taylor: hᵢ(t) = aᵢ(t) + bᵢ(t)·hᵢ₋₁(t) order by order, Hₖ = scan(aₖ + Σⱼ₌₁ᵏ bⱼ ⊙ shift(Hₖ₋ⱼ), b₀): K scans
         * (the generic rule would nest a scan inside each scan's JVP, exponential in K).
         */
        @Override
        public Tensor taylor(Tensor[] x, Tensor y, Tensor[] c) {
            if (c[1] == null || c[1].dim(0) == 1) return jvp(x, y, c); // b constant: linear in a
            int order = c[1].dim(0), a = Rules.fromEnd(axis, x[0].rank());
            Tensor b = java.util.Arrays.equals(x[1].shape(), y.shape()) ? x[1] : x[1].broadcastTo(y.shape());
            Tensor[] hs = new Tensor[order + 1];
            hs[0] = y;
            for (int k = 1; k <= order; k++) {
                Tensor r = c[0] == null ? null : c[0].select(0, k - 1);
                for (int j = 1; j <= k; j++) r = Rules.plus(r, Tensors.mulStrongZero(c[1].select(0, j - 1), shifted(hs[k - j], a)));
                if (!java.util.Arrays.equals(r.shape(), y.shape())) r = r.broadcastTo(y.shape());
                hs[k] = scan(r, b, r.rank() + a, reverse);
            }
            return Tensor.stack(0, java.util.Arrays.copyOfRange(hs, 1, order + 1));
        }

        public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
            int a = Rules.fromEnd(axis, x[0].rank());
            Tensor t = Rules.plus(dx[0], dx[1] == null ? null : Tensors.mulStrongZero(dx[1], shifted(y, a)));
            if (t == null) return null;
            Tensor b = java.util.Arrays.equals(t.shape(), x[1].shape()) ? x[1] : x[1].broadcastTo(t.shape());
            return scan(t, b, t.rank() + a, reverse);
        }

        public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
            int a = Rules.fromEnd(axis, x[0].rank());
            Tensor lambda = adjoint(gy, x[1], a, reverse);
            return new Tensor[] {lambda, need[1] ? Tensors.mulStrongZero(lambda, shifted(y, a)) : null};
        }
    }

    static final class CumSum implements Primitive {
        final int axis;
        final boolean reverse;

        CumSum(int axis, boolean reverse) {
            this.axis = axis;
            this.reverse = reverse;
        }

        public String name() { return "cumsum"; }

        public Reads vjpReads() { return Reads.NOTHING; } // linear

        public Tensor eval(Tensor[] x) {
            return Tensors.adopt(run(Tensors.buffer(x[0]), null, x[0].shape(), axis, reverse, false), x[0].shape());
        }

        /** yᵢ depends on x₀..xᵢ (xᵢ..x_{n−1} when reversed): a prefix union along the axis. */
        public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) {
            return prefixPattern(px, x[0].shape(), axis, reverse, -1);
        }

        private Tensor along(Tensor t, int a, boolean rev) {
            return Dispatch.apply(new CumSum(t.rank() + a, rev), t);
        }

        public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
            return dx[0] == null ? null : along(dx[0], Rules.fromEnd(axis, x[0].rank()), reverse);
        }

        public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
            return new Tensor[] {along(gy, Rules.fromEnd(axis, x[0].rank()), !reverse)};
        }
    }

    static final class LogCumSumExp implements Primitive {
        final int axis;

        LogCumSumExp(int axis) {
            this.axis = axis;
        }

        public String name() { return "logcumsumexp"; }

        public Reads vjpReads() { return READS_X_AND_Y; } // E = e^{x − y}, B from y

        public Tensor eval(Tensor[] in) {
            int[] s = in[0].shape();
            double[] x = Tensors.buffer(in[0]), y = new double[x.length];
            int len = s[axis], inner = 1;
            for (int i = axis + 1; i < s.length; i++) inner *= s[i];
            int outer = Shape.size(Shape.prefix(s, axis));
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    int at = o * len * inner + i;
                    double acc = x[at];
                    y[at] = acc;
                    for (int j = 1; j < len; j++) {
                        at += inner;
                        acc = logaddexp(acc, x[at]);
                        y[at] = acc;
                    }
                }
            }
            return Tensors.adopt(y, s);
        }

        /** yᵢ depends on x₀..xᵢ: a prefix union along the axis. */
        public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) {
            return prefixPattern(px, x[0].shape(), axis, false, -1);
        }

        /** log(eᵖ + e^q) = max + log1p(e^{−|p − q|}); an infinite maximum is returned as is (no ∞ − ∞). */
        private static double logaddexp(double p, double q) {
            if (Double.isNaN(p) || Double.isNaN(q)) return Double.NaN;
            double m = Math.max(p, q);
            if (Double.isInfinite(m)) return m;
            return m + Math.log1p(Math.exp(-Math.abs(p - q)));
        }

        /** B = e^{yᵢ₋₁ − yᵢ}, with y₀ in front of itself (B₀ = 1, unused by the scan, finite). */
        private static Tensor ratios(Tensor y, int a) {
            int n = y.dim(a);
            Tensor before = Tensor.concat(a, y.slice(a, 0, 1), y.slice(a, 0, n - 1));
            return before.sub(y).exp();
        }

        public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
            if (dx[0] == null) return null;
            int a = Rules.fromEnd(axis, x[0].rank());
            Tensor t = Tensors.mulStrongZero(dx[0], x[0].sub(y).exp());
            Tensor b = ratios(y, a);
            return scan(t, java.util.Arrays.equals(t.shape(), b.shape()) ? b : b.broadcastTo(t.shape()), t.rank() + a, false);
        }

        public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
            int a = Rules.fromEnd(axis, x[0].rank());
            return new Tensor[] {Tensors.mulStrongZero(adjoint(gy, ratios(y, a), a, false), x[0].sub(y).exp())};
        }
    }
}
