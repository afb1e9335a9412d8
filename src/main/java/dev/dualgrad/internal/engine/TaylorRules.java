package dev.dualgrad.internal.engine;

import dev.dualgrad.tensor.Tensor;

/**
 * The Taylor rules every primitive gets unless it declares its own ({@link Primitive#taylor}).
 *
 * <p>Notation: an input series x(t) = x₀ + Σₖ xₖ tᵏ (k = 1..K), normalised coefficients stacked as
 * c = [x₁; …; x_K] of shape [K, ...x₀.shape]; y(t) = f(x(t)) truncated at order K.</p>
 *
 * <ul>
 *   <li><b>Affine ops</b> (a VJP that reads no value, so the Jacobian J is constant) and <b>piecewise
 *   linear ops</b> ({@link Primitive#piecewiseLinear}: J constant on each piece): yₖ = J·xₖ for every k,
 *   one JVP call over the stack. At a kink the series is the one of the piece the JVP convention
 *   picks, so it is one-sided there.</li>
 *   <li><b>Everything else</b>, by the series of the derivative (JAX's {@code def_deriv}, generalised to
 *   any arity): y′(t) = J(x(t))·x′(t) is the JVP rule evaluated on series, so
 *   yₖ = [jvp(x(t), y(t), x′(t))]ₖ₋₁ / k, with x′(t) = Σⱼ (j+1)·xⱼ₊₁ tʲ. The JVP rule runs at a nested
 *   Taylor level of order K − 1, whose ops use their own rules, recursively down to order 0 (the
 *   plain JVP). A rule that reads its output y needs y's series to order k − 1 to give yₖ: it then
 *   runs once per order, K runs in all; a rule that does not (found out by handing it a stand-in for
 *   y) runs once. K = 1 is the JVP itself, bitwise.</li>
 * </ul>
 */
public final class TaylorRules {
    private TaylorRules() {}

    /** The rule {@link Primitive#taylor} uses when a primitive declares none. */
    public static Tensor byDefault(Primitive p, Tensor[] x, Tensor y, Tensor[] c) {
        if (p.piecewiseLinear() || p.vjpReads().readsNothing()) return p.jvp(x, y, c);
        return viaJvp(p, x, y, c);
    }

    /** K: the order of the first non-null coefficient stack. */
    public static int order(Tensor[] c) {
        for (Tensor t : c) if (t != null) return t.dim(0);
        throw new IllegalStateException("no input carries a series");
    }

    /** The generic rule: the JVP rule evaluated on series, integrated once. */
    public static Tensor viaJvp(Primitive p, Tensor[] x, Tensor y, Tensor[] c) {
        int order = order(c);
        if (order == 1) return p.jvp(x, y, c);
        try {
            Tensor z = derivativeSeries(p, x, Tensors.shapeOnly(y), null, c, order - 1);
            return z == null ? null : integrate(z, order);
        } catch (Tensors.ValueNotKept readsY) {
            // the rule reads y: build y's series one order at a time
        }
        Tensor[] yk = new Tensor[order];
        for (int m = 1; m <= order; m++) {
            Tensor known = m == 1 ? null : Tensor.stack(0, java.util.Arrays.copyOf(yk, m - 1));
            Tensor z = derivativeSeries(p, x, y, known, c, m - 1);
            if (z == null) {
                if (m == 1) return null; // y′(0) = 0 and the rule's output does not grow: all zero
                z = Tensor.zeros(Shape.concat(new int[] {m}, y.shape()));
            }
            yk[m - 1] = z.select(0, m - 1).div(m);
        }
        return Tensor.stack(0, yk);
    }

    /**
     * The series of y′(t) = jvp(x(t), y(t), x′(t)) to order {@code n}, stacked [n + 1, ...y.shape]
     * (null when the JVP is zero). {@code yKnown} holds y₁..yₙ (or null when n = 0 or y is not read).
     */
    private static Tensor derivativeSeries(Primitive p, Tensor[] x, Tensor y, Tensor yKnown, Tensor[] c, int n) {
        int a = x.length;
        if (n == 0) {
            Tensor[] d = new Tensor[a];
            for (int i = 0; i < a; i++) d[i] = c[i] == null ? null : c[i].select(0, 0);
            Tensor z = p.jvp(x, y, d);
            return z == null ? null : z.unsqueeze(0);
        }
        TaylorLevel level = new TaylorLevel(n);
        try {
            Tensor[] xs = new Tensor[a], dxs = new Tensor[a];
            for (int i = 0; i < a; i++) {
                if (c[i] == null) {
                    xs[i] = x[i];
                    continue;
                }
                xs[i] = level.seed(x[i], c[i].slice(0, 0, n));
                dxs[i] = level.seed(c[i].select(0, 0), c[i].slice(0, 1, n + 1).mul(ramp(2, n, x[i].rank())));
            }
            Tensor ys = yKnown == null ? y : level.seed(y, yKnown);
            Tensor z = p.jvp(xs, ys, dxs);
            if (z == null) return null;
            Tensor z0 = level.primalOf(z), zc = level.coefficientsOf(z);
            if (zc == null) zc = Tensor.zeros(Shape.concat(new int[] {n}, z0.shape()));
            return Tensor.concat(0, z0.unsqueeze(0), zc);
        } finally {
            level.close();
        }
    }

    /** yₖ = zₖ₋₁ / k for k = 1..K, from the series z of y′ stacked [K, ...]. */
    private static Tensor integrate(Tensor z, int order) {
        double[] inv = new double[order];
        for (int k = 1; k <= order; k++) inv[k - 1] = 1.0 / k;
        return z.mul(Tensors.adopt(inv, Shape.concat(new int[] {order}, Shape.ones(z.rank() - 1))));
    }

    /** [from, from + 1, …, from + n − 1] shaped [n, 1, …, 1] with {@code rank} trailing ones. */
    static Tensor ramp(int from, int n, int rank) {
        double[] r = new double[n];
        for (int j = 0; j < n; j++) r[j] = from + j;
        return Tensors.adopt(r, Shape.concat(new int[] {n}, Shape.ones(rank)));
    }

    /**
     * The Taylor rule of an op bilinear in its two inputs, f(a, b) = B(a, b) (a product): the Cauchy
     * product yₖ = B(a₀, bₖ) + B(aₖ, b₀) + Σⱼ₌₁ᵏ⁻¹ B(aⱼ, bₖ₋ⱼ). The first two terms are the JVP rule
     * on the stacks; the cross terms apply {@code strongZero}, the op's strong-zero form (0·∞ = 0, as the
     * JVP rules multiply), to coefficient slices.
     */
    public static Tensor bilinear(Primitive p, Primitive strongZero, Tensor[] x, Tensor y, Tensor[] c) {
        Tensor lin = p.jvp(x, y, c);
        if (c[0] == null || c[1] == null) return lin;
        int order = c[0].dim(0);
        if (order == 1) return lin;
        Tensor[] cross = new Tensor[order];
        cross[0] = Tensor.zeros(y.shape());
        for (int k = 2; k <= order; k++) {
            Tensor s = null;
            for (int j = 1; j < k; j++) {
                Tensor t = Dispatch.apply(strongZero, c[0].select(0, j - 1), c[1].select(0, k - j - 1));
                s = s == null ? t : s.add(t);
            }
            cross[k - 1] = s.broadcastTo(y.shape());
        }
        return lin.add(Tensor.stack(0, cross));
    }
}
