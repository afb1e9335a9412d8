package dev.dualgrad.internal.transforms;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.transforms.MultiTensorFunction;

import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;
import java.util.function.DoubleFunction;

/**
 * Finite differences on concrete values, the gradient checker's reference. Along a direction v, with
 * g(t) = f(x + t·v):
 * <ul>
 *   <li>central: (g(h) − g(−h)) / 2h, error O(h²);</li>
 *   <li>fourth order: (−g(2h) + 8g(h) − 8g(−h) + g(−2h)) / 12h, error O(h⁴).</li>
 * </ul>
 * The Jacobian takes v = e_j for each element j of each argument, the others held.
 */
public final class FiniteDifferences {
    private FiniteDifferences() {}

    /** The central-difference Jacobian of f with respect to each argument, shaped output shape + argument shape. */
    public static Tensor[] jacobian(MultiTensorFunction f, Tensor[] xs, double h) {
        return jacobian(f, xs, h, false);
    }

    /** The Jacobian of f with respect to each argument by central or fourth-order differences. */
    public static Tensor[] jacobian(MultiTensorFunction f, Tensor[] xs, double h, boolean fourthOrder) {
        Tensor[] x = Jacobians.detached(xs);
        int[] yShape = f.apply(x).shape();
        int m = Shape.size(yShape);
        Tensor[] out = new Tensor[x.length];
        for (int i = 0; i < x.length; i++) {
            int n = x[i].size(), arg = i;
            double[] j = new double[m * n];
            double[] base = x[i].toArray();
            for (int c = 0; c < n; c++) {
                int e = c;
                double[] col = stencil(t -> {
                    double[] moved = base.clone();
                    moved[e] += t;
                    return Tensors.buffer(f.apply(with(x, arg, Tensor.of(moved, x[arg].shape()))));
                }, h, fourthOrder);
                for (int r = 0; r < m; r++) j[r * n + c] = col[r];
            }
            out[i] = Tensors.adopt(j, Shape.concat(yShape, x[i].shape()));
        }
        return out;
    }

    /** The central directional derivative (f(x + h v) − f(x − h v)) / 2h, shaped like the output. */
    public static Tensor directional(MultiTensorFunction f, Tensor[] xs, Tensor[] vs, double h) {
        return directional(f, xs, vs, h, false);
    }

    /** The directional derivative along v by central or fourth-order differences, shaped like the output. */
    public static Tensor directional(MultiTensorFunction f, Tensor[] xs, Tensor[] vs, double h, boolean fourthOrder) {
        int[][] shape = {null};
        double[] d = stencil(t -> {
            Tensor[] moved = new Tensor[xs.length];
            for (int i = 0; i < xs.length; i++) moved[i] = xs[i].detach().add(vs[i].detach().mul(t));
            Tensor y = f.apply(moved).detach();
            shape[0] = y.shape();
            return Tensors.buffer(y);
        }, h, fourthOrder);
        return Tensors.adopt(d, shape[0]);
    }

    /** The stencil's combination of g(±h) (and g(±2h)), elementwise over the arrays g returns. */
    private static double[] stencil(DoubleFunction<double[]> g, double h, boolean fourthOrder) {
        double[] p = g.apply(h), m = g.apply(-h);
        double[] r = new double[p.length];
        if (!fourthOrder) {
            for (int k = 0; k < r.length; k++) r[k] = (p[k] - m[k]) / (2 * h);
            return r;
        }
        double[] p2 = g.apply(2 * h), m2 = g.apply(-2 * h);
        for (int k = 0; k < r.length; k++) r[k] = (-p2[k] + 8 * p[k] - 8 * m[k] + m2[k]) / (12 * h);
        return r;
    }

    private static Tensor[] with(Tensor[] xs, int i, Tensor xi) {
        Tensor[] r = xs.clone();
        r[i] = xi;
        return r;
    }
}
