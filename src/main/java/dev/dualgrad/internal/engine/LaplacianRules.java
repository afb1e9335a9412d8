package dev.dualgrad.internal.engine;

import dev.dualgrad.internal.kernels.Elementwise;
import dev.dualgrad.tensor.Tensor;

/**
 * The forward-Laplacian rules every primitive gets unless it declares its own
 * ({@link Primitive#laplacian}). A stack s = [J₀; …; J_{D−1}; L] (see {@link LaplacianLevel}).
 *
 * <ul>
 *   <li>Affine and piecewise linear ops: the JVP rule on the whole stack (f″ = 0).</li>
 *   <li>Everything else: J_y = jvp(J) and L_y = jvp(L) + 2·Σ_d y₂(J_d), where y₂(v) is the second
 *   normalised Taylor coefficient of f(x + t·v), ½f″(x)[v, v], from the op's own Taylor rule: D + 2
 *   rule calls, exact for any op.</li>
 * </ul>
 */
public final class LaplacianRules {
    private LaplacianRules() {}

    /** The rule {@link Primitive#laplacian} uses when a primitive declares none. */
    public static Tensor byDefault(Primitive p, Tensor[] x, Tensor y, Tensor[] s) {
        if (p.piecewiseLinear() || p.vjpReads().readsNothing()) return p.jvp(x, y, s);
        return viaTaylor(p, x, y, s);
    }

    /** D: the number of first-order rows of the first non-null stack. */
    public static int directions(Tensor[] s) {
        for (Tensor t : s) if (t != null) return t.dim(0) - 1;
        throw new IllegalStateException("no input carries a Laplacian stack");
    }

    /** The generic rule, through the op's Taylor rule of order 2 along each direction. */
    public static Tensor viaTaylor(Primitive p, Tensor[] x, Tensor y, Tensor[] s) {
        int d = directions(s), a = x.length;
        Tensor[] j = new Tensor[a], l = new Tensor[a];
        for (int i = 0; i < a; i++) {
            if (s[i] == null) continue;
            j[i] = s[i].slice(0, 0, d);
            l[i] = s[i].select(0, d);
        }
        Tensor jy = d == 0 ? null : p.jvp(x, y, j);
        Tensor ly = p.jvp(x, y, l);
        Tensor quad = null;
        for (int q = 0; q < d; q++) {
            Tensor[] c = new Tensor[a];
            for (int i = 0; i < a; i++) {
                if (s[i] == null) continue;
                Tensor v = j[i].select(0, q);
                c[i] = Tensor.stack(0, v, Tensor.zeros(v.shape()));
            }
            Tensor cy = p.taylor(x, y, c);
            if (cy != null) quad = quad == null ? cy.select(0, 1) : quad.add(cy.select(0, 1));
        }
        if (quad != null) ly = ly == null ? quad.mul(2) : ly.add(quad.mul(2));
        return assemble(jy, ly, y.shape(), d);
    }

    /**
     * The rule of an elementwise y = φ(x) from f′ = {@code d1} and f″ = {@code d2} (broadcastable to x):
     * J_y = f′·J, L_y = f′·L + f″·Σ_d J_d².
     */
    public static Tensor elementwise(Tensor s, Tensor d1, Tensor d2) {
        int d = s.dim(0) - 1;
        int[] row = Shape.suffix(s.shape(), 1);
        if (Tensors.level(s) == null && Tensors.level(d1) == null && Tensors.level(d2) == null
                && java.util.Arrays.equals(d1.shape(), row) && java.util.Arrays.equals(d2.shape(), row)) {
            return fused(Tensors.buffer(s), Tensors.buffer(d1), Tensors.allFinite(d1), Tensors.buffer(d2), d, s.shape());
        }
        Tensor j = s.slice(0, 0, d);
        Tensor l = Tensors.mulStrongZero(s.select(0, d), d1);
        if (d > 0) l = l.add(Tensors.mulStrongZero(j.square().sum(0), d2));
        return Tensor.concat(0, Tensors.mulStrongZero(j, d1), l.unsqueeze(0));
    }

    /**
     * {@link #elementwise} on concrete arrays in one pass over the stack (the composite form reads and
     * writes it five times): the same products, strong zero included, each row of J read once. A result seen to be
     * finite says so ({@link Tensors#adoptFinite}): the product that reads it next need not scan it.
     */
    private static Tensor fused(double[] s, double[] d1, boolean finiteD1, double[] d2, int d, int[] shape) {
        int n = d1.length;
        double[] out = new double[s.length], sq = new double[n];
        // With finite factors a plain product is the strong-zero one (up to the sign of a zero), and the JIT
        // vectorises it. Whether J is finite shows in Σ_d J_d² (an ∞ or NaN entry leaves its sum non-finite), so
        // J is not scanned beforehand; a non-finite f′ or sum redoes the rows keeping 0·∞ = 0 (an ∞ row of J
        // against f′ = 0 must give 0, not NaN).
        boolean plain = finiteD1;
        if (plain) {
            jacobianRows(s, d1, out, sq, d, n, true);
            plain = Elementwise.allFinite(sq);
        }
        if (!plain) {
            java.util.Arrays.fill(sq, 0.0);
            jacobianRows(s, d1, out, sq, d, n, false);
        }
        int o = d * n;
        double zero = 0; // stays 0 while every L_y is finite (x·0 is NaN exactly for ±∞ and NaN)
        double worst = 0; // the largest Σ_d J_d²·f′²: each (f′·J_d)² is at most that, so ≤ 1e300 keeps f′·J_d finite
        for (int i = 0; i < n; i++) {
            double l = s[o + i], f = d1[i], g = d2[i], q = sq[i];
            double a = l == 0 || f == 0 ? 0.0 : l * f;
            double b = q == 0 || g == 0 ? 0.0 : q * g;
            double v = d > 0 ? a + b : a;
            out[o + i] = v;
            zero += v * 0.0;
            worst = Math.max(worst, q * (f * f)); // NaN (∞·0) fails the test below: then the result is not marked
        }
        boolean finite = plain && zero == 0 && worst <= 1e300;
        return finite ? Tensors.adoptFinite(out, shape) : Tensors.adopt(out, shape);
    }

    /** Elements of the plain rows taken through every direction before the next: their f′ and Σ J² stay in L1. */
    private static final int PLAIN_BLOCK = 2048;

    /** Rows q &lt; d of the stack: out = f′·J_q, and sq += J_q²; plain: by the IEEE product (finite factors only). */
    private static void jacobianRows(double[] s, double[] d1, double[] out, double[] sq, int d, int n, boolean plain) {
        if (plain) { // each sq[i] still sums J_q² in increasing q
            for (int i0 = 0; i0 < n; i0 += PLAIN_BLOCK) {
                int len = Math.min(PLAIN_BLOCK, n - i0);
                for (int q = 0; q < d; q++) Elementwise.scaleAndSumSquares(s, q * n + i0, d1, i0, out, sq, len);
            }
            return;
        }
        for (int q = 0; q < d; q++) {
            int o = q * n;
            for (int i = 0; i < n; i++) {
                double j = s[o + i], f = d1[i];
                out[o + i] = j == 0 || f == 0 ? 0.0 : j * f;
                sq[i] += j * j;
            }
        }
    }

    /**
     * The rule of an op bilinear in its two inputs, y = B(a, b) (a product): the JVP rule on the stacks
     * gives B(J_a, b) + B(a, J_b) and B(L_a, b) + B(a, L_b); the cross term 2·Σ_d B(J_a,d, J_b,d) joins
     * row D, one product per direction, by {@code strongZero}: the op's strong-zero form (0·∞ = 0), as the
     * JVP rules multiply.
     */
    public static Tensor bilinear(Primitive p, Primitive strongZero, Tensor[] x, Tensor y, Tensor[] s) {
        Tensor lin = p.jvp(x, y, s);
        if (s[0] == null || s[1] == null) return lin;
        int d = s[0].dim(0) - 1;
        if (d == 0) return lin;
        Tensor cross = null;
        for (int q = 0; q < d; q++) {
            Tensor t = Dispatch.apply(strongZero, s[0].select(0, q), s[1].select(0, q));
            cross = cross == null ? t : cross.add(t);
        }
        Tensor l = lin.select(0, d).add(cross.mul(2));
        return Tensor.concat(0, lin.slice(0, 0, d), l.unsqueeze(0));
    }

    /** The stack [J; L] from its parts, zeros for a null part; null when both are. */
    public static Tensor assemble(Tensor j, Tensor l, int[] shape, int d) {
        if (j == null && l == null) return null;
        if (j == null) j = Tensor.zeros(Shape.concat(new int[] {d}, shape));
        if (l == null) l = Tensor.zeros(shape);
        if (!java.util.Arrays.equals(l.shape(), shape)) l = l.broadcastTo(shape);
        return Tensor.concat(0, j, l.unsqueeze(0));
    }
}
