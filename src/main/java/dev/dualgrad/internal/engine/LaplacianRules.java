package dev.dualgrad.internal.engine;

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

    /** The stack [J; L] from its parts, zeros for a null part; null when both are. */
    public static Tensor assemble(Tensor j, Tensor l, int[] shape, int d) {
        if (j == null && l == null) return null;
        if (j == null) j = Tensor.zeros(Shape.concat(new int[] {d}, shape));
        if (l == null) l = Tensor.zeros(shape);
        if (!java.util.Arrays.equals(l.shape(), shape)) l = l.broadcastTo(shape);
        return Tensor.concat(0, j, l.unsqueeze(0));
    }
}
