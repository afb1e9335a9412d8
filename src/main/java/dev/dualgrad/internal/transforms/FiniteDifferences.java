package dev.dualgrad.internal.transforms;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.transforms.MultiTensorFunction;

import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;

/** Central finite differences: ∂f/∂x_j ≈ (f(x + h e_j) − f(x − h e_j)) / 2h, on concrete values. */
public final class FiniteDifferences {
    private FiniteDifferences() {}

    /** The Jacobian of f with respect to each argument, shaped output shape + argument shape. */
    public static Tensor[] jacobian(MultiTensorFunction f, Tensor[] xs, double h) {
        Tensor[] x = Jacobians.detached(xs);
        int[] yShape = f.apply(x).shape();
        int m = Shape.size(yShape);
        Tensor[] out = new Tensor[x.length];
        for (int i = 0; i < x.length; i++) {
            int n = x[i].size();
            double[] j = new double[m * n];
            double[] base = x[i].toArray();
            for (int c = 0; c < n; c++) {
                double[] plus = base.clone(), minus = base.clone();
                plus[c] += h;
                minus[c] -= h;
                double[] fp = Tensors.buffer(f.apply(with(x, i, Tensor.of(plus, x[i].shape()))));
                double[] fm = Tensors.buffer(f.apply(with(x, i, Tensor.of(minus, x[i].shape()))));
                for (int r = 0; r < m; r++) j[r * n + c] = (fp[r] - fm[r]) / (2 * h);
            }
            out[i] = Tensors.adopt(j, Shape.concat(yShape, x[i].shape()));
        }
        return out;
    }

    /** The directional derivative (f(x + h v) − f(x − h v)) / 2h, shaped like the output. */
    public static Tensor directional(MultiTensorFunction f, Tensor[] xs, Tensor[] vs, double h) {
        Tensor[] plus = new Tensor[xs.length], minus = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) {
            plus[i] = xs[i].detach().add(vs[i].detach().mul(h));
            minus[i] = xs[i].detach().sub(vs[i].detach().mul(h));
        }
        return f.apply(plus).sub(f.apply(minus)).div(2 * h);
    }

    private static Tensor[] with(Tensor[] xs, int i, Tensor xi) {
        Tensor[] r = xs.clone();
        r[i] = xi;
        return r;
    }
}
