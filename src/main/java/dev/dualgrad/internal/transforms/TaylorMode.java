package dev.dualgrad.internal.transforms;

import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.internal.engine.TaylorLevel;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.Jet;
import dev.dualgrad.transforms.TaylorOptions;
import dev.dualgrad.transforms.TensorFunction;
import java.util.Arrays;

/**
 * Taylor mode: f run once on a truncated series x(t) = x₀ + Σₖ xₖ tᵏ, every op mapping its input
 * series to its output series by its {@code taylor} rule. Users give and get derivatives
 * (x⁽ᵏ⁾ = k!·xₖ); the pass carries the normalised coefficients.
 */
public final class TaylorMode {
    private TaylorMode() {}

    /** f on the series with primal x and normalised coefficients c [K, ...x]: {y₀, [K, ...y]}. */
    public static Tensor[] series(String op, TensorFunction f, Tensor x, Tensor c) {
        int order = c.dim(0);
        TaylorLevel level = new TaylorLevel(order);
        try {
            Tensor y = Transforms.output(op, f.apply(level.seed(x, c)), level);
            Tensor y0 = level.primalOf(y), yc = level.coefficientsOf(y);
            if (yc == null) yc = Tensor.zeros(Shape.concat(new int[] {order}, y0.shape()));
            return new Tensor[] {y0, yc};
        } finally {
            level.close();
        }
    }

    /** The output derivatives for input derivatives x⁽¹⁾..x⁽ᴷ⁾, each shaped like x. */
    public static Jet jet(String op, TensorFunction f, Tensor x, Tensor[] derivatives) {
        int order = derivatives.length;
        checkOrder(op, order);
        Tensor[] c = new Tensor[order];
        double factorial = 1;
        for (int k = 1; k <= order; k++) {
            Tensor d = derivatives[k - 1];
            if (!Arrays.equals(d.shape(), x.shape())) {
                throw new IllegalArgumentException(op + ": the derivative of order " + k + " has shape " + Shape.str(d.shape())
                        + " but x has shape " + Shape.str(x.shape()) + "; each input derivative x⁽ᵏ⁾ is shaped like x");
            }
            factorial *= k;
            c[k - 1] = k == 1 ? d : d.div(factorial);
        }
        return toJet(series(op, f, x, Tensor.stack(0, c)));
    }

    /** Dᵏf(x)[v, …, v] for k = 1..K from one pass: x(t) = x + t·v. */
    public static Jet directional(String op, TensorFunction f, Tensor x, Tensor v, int order) {
        checkOrder(op, order);
        if (!Arrays.equals(v.shape(), x.shape())) {
            throw new IllegalArgumentException(op + ": the direction v has shape " + Shape.str(v.shape()) + " but x has shape "
                    + Shape.str(x.shape()) + "; v must be shaped like x");
        }
        Tensor c = order == 1 ? v.unsqueeze(0) : Tensor.concat(0, v.unsqueeze(0), Tensor.zeros(Shape.concat(new int[] {order - 1}, x.shape())));
        return toJet(series(op, f, x, c));
    }

    /** The normalised output series as derivatives: y⁽ᵏ⁾ = k!·yₖ. */
    static Jet toJet(Tensor[] s) {
        int order = s[1].dim(0);
        Tensor[] d = new Tensor[order];
        double factorial = 1;
        for (int k = 1; k <= order; k++) {
            factorial *= k;
            Tensor yk = s[1].select(0, k - 1);
            d[k - 1] = k == 1 ? yk : yk.mul(factorial);
        }
        return new Jet(s[0], d);
    }

    static void checkOrder(String op, int order) {
        if (order < 1 || order > TaylorOptions.MAX_ORDER) {
            throw new IllegalArgumentException(op + ": the order must be between 1 and " + TaylorOptions.MAX_ORDER + ", got " + order);
        }
    }
}
